"""Tracking operations with a scripted tracker and blank frames: exact, fast checks of the run logic."""

import copy

import cv2
import numpy as np
import pytest
from annotation_helpers import FakeSource, ShiftTracker, make_project, manual

from core.annotations import (
    Extent,
    Flag,
    Origin,
    Reason,
    StopReason,
    correct_box,
    fill_all_gaps,
    fill_gap,
    interpolate_gap,
    track,
)
from core.annotations.gaps import blend_records
from core.annotations.model import BoxRecord
from core.errors import SiamTrackError
from core.sources import open_source
from core.tracking import create_multi_tracker


def factory(log=None, **kwargs):
    made = []

    def make():
        tracker = ShiftTracker(log=log, **kwargs)
        made.append(tracker)
        return tracker

    make.made = made
    return make


def test_forward_run_stops_before_the_next_manual_keyframe(fake_source):
    project = make_project(tracks={1: {10: manual((10, 10, 20, 20)), 20: manual((40, 10, 20, 20))}})
    run = track(project, fake_source, factory(), [1], 10)
    assert run.change.frames_of(1) == list(range(11, 20))
    assert run.stopped == {1: StopReason.KEYFRAME} and run.last_frame == {1: 19}
    assert run.change.boxes[(1, 11)].box == (11, 10, 20, 20)
    assert run.change.boxes[(1, 11)].origin is Origin.TRACKED
    project.apply(run.change)
    assert project.record(1, 20) == manual((40, 10, 20, 20))


def test_backward_run_visits_frames_in_reverse(fake_source):
    project = make_project(tracks={1: {10: manual((10, 10, 20, 20))}})
    log = []
    run = track(project, fake_source, factory(log), [1], 10, step=-1)
    assert [frame for frame, _ in log] == list(range(9, -1, -1))
    assert run.change.frames_of(1) == list(range(10))
    assert run.change.boxes[(1, 0)].box == (20, 10, 20, 20)  # ten shifts away from the start
    assert run.stopped == {1: StopReason.END}


def test_frame_limit_and_video_end(fake_source):
    project = make_project(tracks={1: {40: manual((10, 10, 20, 20))}})
    assert track(project, fake_source, factory(), [1], 40, extent=Extent(max_frames=5)).change.frames_of(
        1
    ) == [41, 42, 43, 44, 45]
    assert (
        track(project, fake_source, factory(), [1], 40, extent=Extent(max_frames=5)).stopped[1]
        is StopReason.LIMIT
    )
    run = track(project, fake_source, factory(), [1], 40, extent=Extent(max_frames=100))
    assert run.change.frames_of(1) == list(range(41, 50)) and run.stopped[1] is StopReason.END


def test_runs_from_the_first_or_last_frame_towards_the_edge_are_empty(fake_source):
    project = make_project(tracks={1: {0: manual((10, 10, 20, 20)), 49: manual((10, 10, 20, 20))}})
    for start, step in ((0, -1), (49, 1)):
        run = track(project, fake_source, factory(), [1], start, step)
        assert run.change.is_empty and run.stopped == {1: StopReason.END}


def test_score_threshold_stops_the_object(fake_source):
    project = make_project(tracks={1: {0: manual((10, 10, 20, 20))}})
    run = track(
        project, fake_source, factory(score_of=lambda n: 1.0 - 0.1 * n), [1], 0, extent=Extent(min_score=0.45)
    )
    assert run.change.frames_of(1) == [1, 2, 3, 4, 5]  # the 6th update scores 0.4
    assert run.stopped[1] is StopReason.LOW_SCORE


def test_several_objects_share_one_tracker_and_one_pass_per_frame(fake_source):
    project = make_project(
        tracks={
            1: {0: manual((10, 10, 20, 20)), 5: manual((30, 10, 20, 20))},
            2: {0: manual((100, 50, 10, 10))},
            3: {0: manual((150, 20, 10, 10))},
        }
    )
    log = []
    make = factory(log)
    run = track(project, fake_source, make, [1, 2, 3], 0, extent=Extent(max_frames=10))
    assert len(make.made) == 1
    assert [frame for frame, _ in log] == list(range(1, 11))  # one update per frame for all objects
    assert [count for _, count in log][:5] == [3, 3, 3, 3, 3]
    assert run.change.frames_of(1) == [1, 2, 3, 4]
    assert run.change.frames_of(2) == run.change.frames_of(3) == list(range(1, 11))


def test_manual_boxes_are_never_overwritten(fake_source):
    project = make_project(
        tracks={
            1: {0: manual((10, 10, 20, 20)), 3: manual((13, 10, 20, 20))},
            2: {0: manual((60, 10, 20, 20))},
        }
    )
    run = track(project, fake_source, factory(), [1, 2], 0)
    assert all(record.origin is Origin.TRACKED for record in run.change.boxes.values())
    assert (1, 3) not in run.change.boxes


def test_cancel_keeps_what_was_tracked_and_progress_sees_every_frame(fake_source):
    project = make_project(tracks={1: {0: manual((10, 10, 20, 20))}})
    steps = []
    run = track(
        project, fake_source, factory(), [1], 0, should_stop=lambda: len(steps) >= 7, progress=steps.append
    )
    assert run.cancelled and run.stopped[1] is StopReason.CANCELLED
    assert [s.frame_index for s in steps] == list(range(1, 8))
    assert run.change.frames_of(1) == list(range(1, 8))
    assert steps[2].records[1] == run.change.boxes[(1, 3)]
    assert steps[2].results[1].box == run.change.boxes[(1, 3)].box


def test_a_tracking_run_is_one_undoable_change(fake_source):
    project = make_project(
        tracks={1: {0: manual((10, 10, 20, 20)), 4: BoxRecord((99, 9, 9, 9), Origin.IMPORTED)}}
    )
    before = copy.deepcopy(project)
    run = track(project, fake_source, factory(), [1], 0, extent=Extent(max_frames=8))
    inverse = project.apply(run.change)
    assert project.record(1, 4).origin is Origin.TRACKED
    project.apply(inverse)
    assert project == before


def test_low_scores_are_marked_for_review_with_suggestions(fake_source):
    project = make_project(tracks={1: {0: manual((10, 10, 20, 20))}})
    scores = [0.9, 0.9, 0.9, 0.9, 0.05, 0.9]
    run = track(
        project, fake_source, factory(score_of=lambda n: scores[n - 1]), [1], 0, extent=Extent(max_frames=6)
    )
    flagged = {f for (_, f), r in run.change.boxes.items() if r.review}
    assert flagged == {5}
    assert run.change.boxes[(1, 5)].reasons == {Reason.LOW_SCORE, Reason.SCORE_DROP}
    assert run.change.boxes[(1, 5)].suggested == {Flag.OCCLUDED}


def test_start_needs_a_box(fake_source):
    project = make_project(tracks={1: {0: manual((10, 10, 20, 20))}})
    with pytest.raises(SiamTrackError, match="no box on frame 3"):
        track(project, fake_source, factory(), [1], 3)


def test_correction_retracks_only_up_to_the_next_keyframe(fake_source):
    project = make_project(tracks={1: {0: manual((10, 10, 20, 20)), 30: manual((40, 10, 20, 20))}})
    project.apply(track(project, fake_source, factory(), [1], 0).change)
    project.apply(track(project, fake_source, factory(), [1], 30).change)
    after_keyframe = {f: project.record(1, f) for f in range(31, 50)}
    before = copy.deepcopy(project)
    run = correct_box(project, fake_source, factory(), 1, 12, (50, 20, 20, 20))
    assert run.change.frames_of(1) == list(range(12, 30))
    inverse = project.apply(run.change)
    assert project.record(1, 12) == manual((50, 20, 20, 20))
    assert project.record(1, 13).box == (51, 20, 20, 20) and project.record(1, 29).box == (67, 20, 20, 20)
    assert project.record(1, 11) == before.record(1, 11)
    assert {f: project.record(1, f) for f in range(31, 50)} == after_keyframe
    project.apply(inverse)
    assert project == before


def test_fill_gap_blends_both_directions_by_score_and_distance():
    source = FakeSource(50)
    # forward moves +1 px a frame, backward (from x=30 at frame 20) moves -1 px a frame: they agree everywhere
    project = make_project(tracks={1: {10: manual((20, 10, 20, 20)), 20: manual((30, 10, 20, 20))}})

    class Mirror(ShiftTracker):
        def init(self, frame, boxes):
            super().init(frame, boxes)
            self.dx = 1.0 if int(frame[0, 0, 0]) == 10 else -1.0

    run = fill_gap(project, source, Mirror, 1, 10, 20)
    assert run.change.frames_of(1) == list(range(11, 20))
    for frame in range(11, 20):
        assert run.change.boxes[(1, frame)].box == pytest.approx((10 + frame, 10, 20, 20))


def test_blend_weights_and_disagreement():
    a = BoxRecord((0, 0, 10, 10), Origin.TRACKED, 0.8)
    b = BoxRecord((2, 0, 10, 10), Origin.TRACKED, 0.2)
    blended = blend_records(a, b, 0.5, 0.5)  # same distance: weights 0.8 and 0.2
    assert blended.box == pytest.approx((0.4, 0, 10, 10))
    assert blended.score == pytest.approx(0.8 * 0.8 + 0.2 * 0.2)
    assert not blended.review
    far = BoxRecord((50, 50, 10, 10), Origin.TRACKED, 0.9)
    chosen = blend_records(a, far, 0.3, 0.7)  # 0.24 vs 0.63: the backward box is trusted more
    assert chosen.box == far.box and chosen.reasons == {Reason.DISAGREEMENT} and chosen.review


def test_fill_gap_refuses_a_keyframe_inside_and_a_cancelled_fill_changes_nothing(fake_source):
    project = make_project(
        tracks={1: {0: manual((10, 10, 20, 20)), 5: manual((15, 10, 20, 20)), 10: manual((20, 10, 20, 20))}}
    )
    with pytest.raises(SiamTrackError, match="frame 5 .* is a manual keyframe"):
        fill_gap(project, fake_source, factory(), 1, 0, 10)
    run = fill_gap(project, fake_source, factory(), 1, 0, 5, should_stop=lambda: True)
    assert run.cancelled and run.change.is_empty


def test_fill_all_gaps_covers_every_gap_in_one_change(fake_source):
    project = make_project(
        tracks={1: {0: manual((10, 10, 20, 20)), 5: manual((15, 10, 20, 20)), 9: manual((20, 10, 20, 20))}}
    )
    run = fill_all_gaps(project, fake_source, factory(), 1)
    assert run.change.frames_of(1) == [1, 2, 3, 4, 6, 7, 8]


def test_linear_interpolation():
    project = make_project(tracks={1: {0: manual((0, 0, 10, 10)), 4: manual((8, 4, 14, 10))}})
    change = interpolate_gap(project, 1, 4, 0)
    assert change.boxes[(1, 1)].box == pytest.approx((2, 1, 11, 10))
    assert change.boxes[(1, 1)].origin is Origin.INTERPOLATED
    assert change.frames_of(1) == [1, 2, 3]


def test_runs_on_a_real_frame_source_with_the_identity_tracker(tmp_path):
    for i in range(8):
        cv2.imwrite(str(tmp_path / f"{i:03d}.png"), np.full((40, 60, 3), 30 * i, np.uint8))
    project = make_project(8, 60, 40, {1: {0: manual((5, 5, 10, 10)), 7: manual((20, 5, 10, 10))}})
    with open_source(tmp_path) as source:
        forward = track(project, source, lambda: create_multi_tracker("identity"), [1], 0)
        backward = track(project, source, lambda: create_multi_tracker("identity"), [1], 7, step=-1)
    assert forward.change.frames_of(1) == backward.change.frames_of(1) == [1, 2, 3, 4, 5, 6]
    assert backward.change.boxes[(1, 1)].box == (20, 5, 10, 10)
