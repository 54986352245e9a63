"""Each protocol run on synthetic sequences with a scripted tracker whose scores are known by hand."""
from __future__ import annotations

import numpy as np
import pytest
from eval_synthetic import FRAME_SHAPE, ScriptedTracker, moving_boxes

from core.errors import SiamTrackError
from core.evaluation.frames import FrameStore
from core.evaluation.protocols import PROTOCOLS, get_protocol, perturbed_boxes, segment_starts
from core.evaluation.runner import EvaluationCancelled, Monitor
from core.tracking import IdentityTracker

NAN = float("nan")
THRESHOLDS = 21


def run(protocol_name, sequence, make_tracker, monitor=None):
    protocol = get_protocol(protocol_name)
    trials = protocol.run(make_tracker, sequence, FrameStore(sequence.frames), monitor or Monitor())
    return trials, protocol.score(sequence, trials)


def test_registry_has_the_four_protocols_and_rejects_others():
    assert set(PROTOCOLS) == {"ope", "tre", "sre", "vot"}
    with pytest.raises(SiamTrackError, match="unknown protocol"):
        get_protocol("otb")


def test_ope_scores_a_tracker_wrong_on_known_frames(make_sequence):
    truth = moving_boxes(40)
    sequence = make_sequence(truth)
    trials, score = run("ope", sequence, lambda: ScriptedTracker(truth, wrong=set(range(10, 20))))
    assert len(trials) == 1 and trials[0].inits == [0]
    assert np.allclose(trials[0].boxes[0], truth[0])  # the first frame reports the box it was given
    # 30 of 40 frames exact (IoU 1 is above every threshold but 1), 10 frames far away
    assert score.frames == 40
    assert score.auc == pytest.approx(20 * (30 / 40) / THRESHOLDS)
    assert score.precision20 == pytest.approx(30 / 40)


def test_ope_skips_frames_without_ground_truth_and_starts_on_the_first_annotated_one(make_sequence):
    truth = moving_boxes(40)
    truth[[0, 1]] = NAN  # target absent at the start
    truth[30:35] = NAN
    sequence = make_sequence(truth)
    trials, score = run("ope", sequence, lambda: ScriptedTracker(truth, wrong={10, 11, 12}, half={20, 21}))
    assert trials[0].inits == [2]
    assert score.frames == 40 - 2 - 5
    # of 33 scored frames: 28 exact, 2 at IoU 0.5 (above thresholds 0..0.45 only), 3 at IoU 0
    expected = (20 * 28 + 10 * 2) / (33 * THRESHOLDS)
    assert score.auc == pytest.approx(expected)
    assert score.precision20 == pytest.approx(30 / 33)  # half-right frames are 10 px off


def test_tre_starts_follow_the_benchmark_spacing():
    usable = np.ones(40, dtype=bool)
    # 21 candidates (frames 0..20 leave >= 20 frames); k * 21 / 19 floored, k = 0..18, plus the last one
    assert segment_starts(usable, 20, 20) == [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20]


def test_tre_starts_only_on_annotated_frames():
    usable = np.ones(100, dtype=bool)
    usable[[0, 4, 5]] = False
    starts = segment_starts(usable, 20, 20)
    assert starts[0] == 1 and 4 not in starts and 5 not in starts
    assert len(starts) == 20 and starts[-1] == 80


def test_tre_short_sequences_get_fewer_distinct_segments():
    starts = segment_starts(np.ones(25, dtype=bool), 20, 20)
    assert starts == sorted(set(starts)) and starts[0] == 0 and starts[-1] == 5


def test_tre_pools_every_segment_frames(make_sequence):
    truth = moving_boxes(40)
    sequence = make_sequence(truth)
    wrong = {25, 26, 27, 28}
    trials, score = run("tre", sequence, lambda: ScriptedTracker(truth, wrong=wrong))
    starts = [t.inits[0] for t in trials]
    assert starts == [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20]
    # every segment runs to the end and so passes all four wrong frames
    frames = sum(40 - s for s in starts)
    assert score.frames == frames
    assert score.auc == pytest.approx(20 * (frames - 4 * len(starts)) / frames / THRESHOLDS)


def test_sre_perturbations_follow_the_benchmark():
    boxes = perturbed_boxes((100.0, 50.0, 40.0, 20.0), FRAME_SHAPE)
    assert len(boxes) == 12
    expected = {
        "left": (96, 50, 40, 20), "right": (104, 50, 40, 20), "up": (100, 48, 40, 20), "down": (100, 52, 40, 20),
        # corner shifts: that corner moves out by 10 %, the opposite one stays
        "top_left": (96, 48, 44, 22), "top_right": (100, 48, 44, 22),
        "bottom_left": (96, 50, 44, 22), "bottom_right": (100, 50, 44, 22),
        # scalings about the centre (120, 60)
        "scale_0.8": (104, 52, 32, 16), "scale_0.9": (102, 51, 36, 18),
        "scale_1.1": (98, 49, 44, 22), "scale_1.2": (96, 48, 48, 24),
    }
    for name, box in expected.items():
        assert boxes[name] == pytest.approx(box), name


def test_sre_perturbed_boxes_are_clipped_to_the_frame():
    boxes = perturbed_boxes((0.0, 0.0, 40.0, 20.0), FRAME_SHAPE)
    assert boxes["left"] == pytest.approx((0, 0, 36, 20))
    assert boxes["top_left"] == pytest.approx((0, 0, 40, 20))


def test_sre_runs_the_whole_sequence_once_per_perturbation(make_sequence):
    truth = moving_boxes(30)
    sequence = make_sequence(truth)
    made = []

    def make():
        made.append(ScriptedTracker(truth))
        return made[-1]

    trials, score = run("sre", sequence, make)
    given = [tracker.inits[0][1] for tracker in made]
    assert len(trials) == 12 and all(t.inits == [0] for t in trials)
    assert given == list(perturbed_boxes(tuple(truth[0]), FRAME_SHAPE).values())
    assert all(np.allclose(t.boxes[0], box) for t, box in zip(trials, given))
    # every frame but the perturbed first ones is exact; those are above threshold t iff their IoU is
    first = np.array([[*b] for b in given])
    from core.boxes import iou

    ious = iou(first, np.repeat(truth[:1], 12, axis=0))
    thresholds = np.linspace(0, 1, 21)
    hits = 12 * 29 * 20 + sum((ious > t).sum() for t in thresholds)
    assert score.auc == pytest.approx(hits / (12 * 30 * THRESHOLDS))


def test_vot_resets_five_frames_after_a_failure_and_scores_by_hand(make_sequence):
    truth = moving_boxes(60)
    sequence = make_sequence(truth)
    trials, score = run("vot", sequence, lambda: ScriptedTracker(truth, wrong={12}, half=set(range(30, 40))))
    trial = trials[0]
    assert trial.inits == [0, 17] and trial.failures == [12]
    assert np.isnan(trial.boxes[13:17]).all()  # frames 13..16 are skipped
    assert score.failures == 1
    # accuracy counts frames 10, 11 (after the first burn-in) and 27..59 (after the second): 35 frames,
    # 10 of them (30..39) at IoU 0.5
    assert score.accuracy_frames == 35
    assert score.accuracy == pytest.approx((35 - 10 * 0.5) / 35)
    # fragments: frames 0..12 (failed at 12), frames 17..59 (to the end)
    first, second = score.fragments
    assert first.failed and len(first.overlaps) == 13 and not second.failed and len(second.overlaps) == 43
    # EAO for length 13: frames 2..13 of each fragment -> 11/12 and 12/12; for 14: 11/13 and 12.5/13
    assert score.eao((13, 13)) == pytest.approx((11 / 12 + 1) / 2)
    assert score.eao((13, 14)) == pytest.approx(((11 / 12 + 1) / 2 + (11 / 13 + 12.5 / 13) / 2) / 2)


def test_vot_counts_the_resets_of_a_tracker_that_drifts(make_sequence):
    # the target moves 2 px a frame and is 20 px wide; a tracker that never moves loses it 10 frames later
    truth = moving_boxes(60, step=2.0, size=(20.0, 20.0))
    sequence = make_sequence(truth)
    trials, score = run("vot", sequence, IdentityTracker)
    assert trials[0].failures == [10, 25, 40, 55]
    assert trials[0].inits == [0, 15, 30, 45]
    assert score.failures == 4


def test_vot_reinitialises_on_the_next_annotated_frame(make_sequence):
    truth = moving_boxes(40)
    truth[17:19] = NAN  # no ground truth where the reset would be
    sequence = make_sequence(truth)
    trials, _ = run("vot", sequence, lambda: ScriptedTracker(truth, wrong={12}))
    assert trials[0].inits == [0, 19]


def test_should_stop_cancels_between_frames(make_sequence):
    truth = moving_boxes(30)
    sequence = make_sequence(truth)
    seen = []
    monitor = Monitor(lambda: seen.append(1), lambda: len(seen) >= 5)
    with pytest.raises(EvaluationCancelled):
        run("ope", sequence, lambda: ScriptedTracker(truth), monitor)
    assert len(seen) == 5
