"""Tracking operations with SiamFC (CFNet baseline-conv3 weights) on real benchmark sequences.

Figures are printed (run with -s to see them)."""

import copy

import numpy as np
import pytest
from annotation_helpers import SequenceSource, make_project, manual

from core.annotations import Extent, correct_box, fill_gap, interpolate_gap, track
from core.boxes import iou
from core.models import load_model
from core.sequences import load_sequence
from core.tracking import create_multi_tracker

BACKWARD_TOLERANCE = 0.1  # backward mean IoU may be at most this much below forward


@pytest.fixture(scope="module")
def make_tracker(cfnet_weights):
    model = load_model(cfnet_weights)
    return lambda: create_multi_tracker("siamfc", model=model, device="cpu")


@pytest.fixture(scope="module")
def sequences(shared_data):
    loaded = {}

    def get(name):
        if name not in loaded:
            seq = load_sequence(shared_data / "sequences" / name)
            loaded[name] = (seq, SequenceSource(seq.frames))
        return loaded[name]

    return get


def keyframe_project(seq, source, frames):
    height, width = source.read(0).shape[:2]
    return make_project(len(seq), width, height, {1: {f: manual(seq.boxes[f]) for f in frames}})


def mean_iou(change, seq, frames):
    boxes = np.array([change.boxes[(1, f)].box for f in frames])
    return float(iou(boxes, seq.boxes[list(frames)]).mean())


@pytest.mark.parametrize("name, first, last", [("vot15_bag", 0, 30), ("Crossing", 0, 30)])
def test_backward_tracking_is_about_as_good_as_forward(make_tracker, sequences, name, first, last):
    seq, source = sequences(name)
    project = keyframe_project(seq, source, [first, last])
    forward = track(project, source, make_tracker, [1], first)
    backward = track(project, source, make_tracker, [1], last, step=-1)
    frames = range(first + 1, last)
    assert forward.change.frames_of(1) == backward.change.frames_of(1) == list(frames)
    fw, bw = mean_iou(forward.change, seq, frames), mean_iou(backward.change, seq, frames)
    print(f"\n{name} frames {first + 1}-{last - 1}: mean IoU forward {fw:.3f}, backward {bw:.3f}")
    assert fw > 0.5 and bw > 0.5
    assert bw >= fw - BACKWARD_TOLERANCE


@pytest.mark.parametrize("name, first, last", [("vot15_bag", 0, 30), ("Girl", 100, 130)])
def test_gap_filling_beats_linear_interpolation(make_tracker, sequences, name, first, last):
    seq, source = sequences(name)
    project = keyframe_project(seq, source, [first, last])
    filled = fill_gap(project, source, make_tracker, 1, first, last)
    linear = interpolate_gap(project, 1, first, last)
    frames = range(first + 1, last)
    gap, lin = mean_iou(filled.change, seq, frames), mean_iou(linear, seq, frames)
    print(
        f"\n{name} frames {first + 1}-{last - 1}: mean IoU gap filling {gap:.3f}, "
        f"linear interpolation {lin:.3f}"
    )
    assert gap > lin + 0.05


def test_correction_retracks_up_to_the_next_keyframe_and_undoes_exactly(make_tracker, sequences):
    seq, source = sequences("vot15_bag")
    project = keyframe_project(seq, source, [0, 20])
    project.apply(track(project, source, make_tracker, [1], 0, extent=Extent(max_frames=15)).change)
    project.apply(track(project, source, make_tracker, [1], 20, extent=Extent(max_frames=5)).change)
    before = copy.deepcopy(project)

    run = correct_box(project, source, make_tracker, 1, 10, tuple(seq.boxes[10]))
    assert run.change.frames_of(1) == list(range(10, 20))  # the corrected frame and on up to keyframe 20
    inverse = project.apply(run.change)
    assert project.record(1, 10).is_keyframe
    assert project.keyframes(1) == [0, 10, 20]
    for frame in [*range(10), *range(20, 26)]:
        assert project.record(1, frame) == before.record(1, frame)
    assert all(project.record(1, f) is not None for f in range(11, 20))  # filled up to the keyframe

    project.apply(inverse)
    assert project == before
