"""Annotating in the real window: objects from drawn boxes, tracking several together in one MultiTracker,
backward tracking, correct-and-re-track up to the next keyframe, gap filling, undo/redo of whole runs."""

from __future__ import annotations

import numpy as np
import pytest
from app_annotation_helpers import (
    BAG_BOX,
    SECOND_BOX,
    add_drawn_object,
    finish_run,
    press,
    project_of,
    seek,
    set_run_frames,
    use_counting_tracker,
)
from gui_helpers import drag_box, drag_editable_box, open_and_wait
from PySide6.QtCore import Qt

from core.annotations import Origin
from core.boxes import iou
from core.sequences import load_sequence

NO_MOD = Qt.KeyboardModifier.NoModifier


def test_two_drawn_objects_track_together_in_one_multitracker_and_undo_as_one_step(
    qtbot, window, bag_video, monkeypatch
):
    open_and_wait(qtbot, window, bag_video)
    made = use_counting_tracker(window, monkeypatch, dx=2.0)
    first = add_drawn_object(qtbot, window, BAG_BOX)
    second = add_drawn_object(qtbot, window, SECOND_BOX)
    project = project_of(window)
    assert sorted(project.objects) == [first, second]
    assert project.keyframes(first) == [0] and project.keyframes(second) == [0]
    window.objects_panel.tree.selectAll()  # both, from the objects panel
    assert set(window.annotation.selection.ids) == {first, second}
    set_run_frames(window, 8)
    before, steps_before = project.copy(), window.annotation.projects.undo_stack.count()

    finish_run(qtbot, window, lambda: press(qtbot, window, Qt.Key.Key_T))

    assert len(made) == 1 and made[0].inits == [2]  # one tracker for both objects...
    assert made[0].updates == [2] * 8  # ...one pass per frame, each giving both boxes
    for tid in (first, second):
        assert project.frames(tid) == list(range(9))
        start = project.record(tid, 0).box
        for frame in range(1, 9):
            record = project.record(tid, frame)
            assert record.origin is Origin.TRACKED
            assert record.box[0] == pytest.approx(start[0] + 2.0 * frame)
    assert window.playback.index == 8
    assert {d.track_id for d in window.frame_view.annotations.shown} == {first, second}
    strips = {row.track_id: row.strip for row in window.timeline.rows}
    assert all(strips[t].kind[1:9].tolist() == [3] * 8 and strips[t].kind[9] == 0 for t in (first, second))

    stack = window.annotation.projects.undo_stack
    assert stack.count() == steps_before + 1
    history = window.docks["history"].widget().model()
    assert history.rowCount() == stack.count() + 1  # "Opened", then one row per step
    assert history.index(stack.count(), 0).data().startswith("track 2 objects forward")
    after = project.copy()
    assert window.actions["undo"].text().startswith("&Undo track 2 objects forward")
    window.actions["undo"].trigger()
    assert project == before
    assert window.timeline.rows[0].strip.kind[1:9].tolist() == [0] * 8
    window.actions["redo"].trigger()
    assert project == after


def test_backward_from_a_keyframe_then_forward_stops_at_the_next_keyframe(
    qtbot, window, bag_video, monkeypatch
):
    open_and_wait(qtbot, window, bag_video)
    use_counting_tracker(window, monkeypatch, dx=1.0)
    seek(qtbot, window, 12)
    tid = add_drawn_object(qtbot, window, BAG_BOX)
    finish_run(qtbot, window, lambda: press(qtbot, window, Qt.Key.Key_T, Qt.KeyboardModifier.ShiftModifier))
    project = project_of(window)
    assert project.frames(tid) == list(range(13))  # frames 0..11 filled backward
    assert project.record(tid, 0).box[0] == pytest.approx(project.record(tid, 12).box[0] + 12.0)
    assert window.playback.index == 0

    seek(qtbot, window, 20)
    drag_box(qtbot, window, (200.0, 100.0, 120.0, 120.0))  # the selected object has no box here: keyframe
    keyframe = project.record(tid, 20)
    assert keyframe is not None and keyframe.is_keyframe
    seek(qtbot, window, 12)
    finish_run(qtbot, window, lambda: press(qtbot, window, Qt.Key.Key_T))
    assert project.frames(tid) == list(range(21))
    assert project.record(tid, 20) == keyframe  # a manual keyframe is never overwritten
    assert f"object {tid} to frame 19 (its next keyframe)" in window.statusBar().currentMessage()
    assert [project.record(tid, f).origin for f in (13, 19)] == [Origin.TRACKED, Origin.TRACKED]


def test_a_corrected_box_is_tracked_again_only_up_to_the_next_keyframe(qtbot, window, bag_video, monkeypatch):
    open_and_wait(qtbot, window, bag_video)
    use_counting_tracker(window, monkeypatch, dx=1.0)
    tid = add_drawn_object(qtbot, window, BAG_BOX)
    seek(qtbot, window, 10)
    drag_box(qtbot, window, (250.0, 120.0, 150.0, 140.0))  # keyframe on frame 10
    seek(qtbot, window, 0)
    finish_run(qtbot, window, lambda: press(qtbot, window, Qt.Key.Key_T))
    project = project_of(window)
    keyframe_10 = project.record(tid, 10)
    tracked = {f: project.record(tid, f) for f in range(1, 10)}

    seek(qtbot, window, 5)
    steps = window.annotation.projects.undo_stack.count()
    drag_editable_box(qtbot, window, -30.0, 0.0)  # the correction: one undo step, a keyframe
    assert window.annotation.projects.undo_stack.count() == steps + 1
    corrected = project.record(tid, 5)
    assert corrected.is_keyframe and corrected.box[0] < tracked[5].box[0] - 20
    finish_run(qtbot, window, lambda: press(qtbot, window, Qt.Key.Key_R))
    assert project.record(tid, 10) == keyframe_10
    for frame in range(6, 10):
        assert project.record(tid, frame).box[0] == pytest.approx(corrected.box[0] + (frame - 5))
    assert all(project.record(tid, f) == tracked[f] for f in range(1, 5))

    window.actions["retrack_after_correction"].setChecked(True)  # now a correction re-tracks at once
    seek(qtbot, window, 7)
    before = project.copy()
    finish_run(qtbot, window, lambda: drag_editable_box(qtbot, window, 0.0, 25.0))
    moved = project.record(tid, 7)
    assert moved.is_keyframe and moved.box[1] > before.record(tid, 7).box[1] + 15
    assert project.record(tid, 9).box[1] == pytest.approx(moved.box[1])
    assert project.record(tid, 10) == keyframe_10
    window.actions["undo"].trigger()  # the correction and its re-tracking are one step
    assert project == before


def test_fill_gap_and_interpolate_between_keyframes(qtbot, window, bag_video, monkeypatch):
    open_and_wait(qtbot, window, bag_video)
    made = use_counting_tracker(window, monkeypatch, dx=0.0)
    tid = add_drawn_object(qtbot, window, BAG_BOX)
    seek(qtbot, window, 10)
    drag_box(qtbot, window, (200.0, 100.0, 100.0, 100.0))
    project = project_of(window)
    a, b = np.array(project.record(tid, 0).box), np.array(project.record(tid, 10).box)
    seek(qtbot, window, 4)
    press(qtbot, window, Qt.Key.Key_I)
    assert project.frames(tid) == list(range(11))
    assert np.allclose(project.record(tid, 4).box, a + 0.4 * (b - a))
    assert project.record(tid, 4).origin is Origin.INTERPOLATED
    window.actions["undo"].trigger()
    assert project.frames(tid) == [0, 10]

    finish_run(qtbot, window, lambda: press(qtbot, window, Qt.Key.Key_G))
    assert len(made) == 2  # forward from frame 0, backward from frame 10
    assert project.frames(tid) == list(range(11))
    assert project.record(tid, 5).origin is Origin.TRACKED


def test_deleting_boxes_flags_and_review_navigation(qtbot, window, bag_video, monkeypatch):
    from core.annotations import Flag, set_flag

    open_and_wait(qtbot, window, bag_video)
    use_counting_tracker(window, monkeypatch)
    tid = add_drawn_object(qtbot, window, BAG_BOX)
    set_run_frames(window, 12)
    finish_run(qtbot, window, lambda: press(qtbot, window, Qt.Key.Key_T))
    project = project_of(window)
    window.annotation.projects.push(set_flag(project, tid, [9], Flag.REVIEW))
    seek(qtbot, window, 2)
    press(qtbot, window, Qt.Key.Key_BracketRight)
    qtbot.waitUntil(lambda: window.playback.index == 9, timeout=10_000)
    assert any(d.review for d in window.frame_view.annotations.shown)
    press(qtbot, window, Qt.Key.Key_A)  # accept: the review mark goes
    assert not project.record(tid, 9).review
    press(qtbot, window, Qt.Key.Key_O)
    assert project.record(tid, 9).occluded
    press(qtbot, window, Qt.Key.Key_Left, Qt.KeyboardModifier.ControlModifier)  # previous keyframe
    qtbot.waitUntil(lambda: window.playback.index == 0, timeout=10_000)

    seek(qtbot, window, 6)
    press(qtbot, window, Qt.Key.Key_Delete)
    assert project.record(tid, 6) is None and project.record(tid, 7) is not None
    press(qtbot, window, Qt.Key.Key_Delete, Qt.KeyboardModifier.ShiftModifier)  # to the next keyframe (none)
    assert project.frames(tid) == [0, 1, 2, 3, 4, 5]
    press(qtbot, window, Qt.Key.Key_Delete, Qt.KeyboardModifier.ControlModifier)  # the object itself
    assert not project.objects
    window.actions["undo"].trigger()
    assert project.frames(tid) == [0, 1, 2, 3, 4, 5]


def test_siamfc_tracks_two_objects_in_one_network_pass_per_frame(
    qtbot, window, bag_video, cfnet_weights, shared_data, monkeypatch
):
    from app.workers import tracking_worker

    passes = []
    real = tracking_worker.create_multi_tracker

    def counting(*args, **kwargs):
        tracker = real(*args, **kwargs)
        update = tracker.update

        def counted(frame):
            results = update(frame)
            passes.append(len(results))
            return results

        tracker.update = counted
        return tracker

    monkeypatch.setattr(tracking_worker, "create_multi_tracker", counting)
    open_and_wait(qtbot, window, bag_video)
    window.models.use_weights(cfnet_weights)
    window.models.update_choice(device="cpu")
    bag = add_drawn_object(qtbot, window, BAG_BOX)
    other = add_drawn_object(qtbot, window, SECOND_BOX)
    window.annotation.selection.set([bag, other])
    set_run_frames(window, 4)
    finish_run(qtbot, window, lambda: press(qtbot, window, Qt.Key.Key_T))
    assert passes == [2, 2, 2, 2]
    truth = load_sequence(shared_data / "sequences" / "vot15_bag").boxes[4]
    assert iou(np.array(project_of(window).record(bag, 4).box), truth) > 0.5
    assert project_of(window).frames(other) == [0, 1, 2, 3, 4]
    assert window.scale_maps.chosen_index is not None


def test_stopping_a_run_keeps_what_was_tracked_as_one_step(qtbot, window, bag_video, monkeypatch):
    from gui_helpers import SlowTracker

    from app.workers import tracking_worker

    open_and_wait(qtbot, window, bag_video)
    window.models.update_choice(remember=False, tracker="identity")
    monkeypatch.setattr(tracking_worker.TrackerSpec, "build", lambda spec: SlowTracker(delay=0.05))
    tid = add_drawn_object(qtbot, window, BAG_BOX)
    shown = []
    window.tracking.resultShown.connect(shown.append)
    press(qtbot, window, Qt.Key.Key_T)
    qtbot.waitUntil(lambda: len(shown) >= 3, timeout=20_000)
    finish_run(qtbot, window, lambda: press(qtbot, window, Qt.Key.Key_Escape))
    project = project_of(window)
    frames = project.frames(tid)
    assert frames == list(range(len(frames))) and 4 <= len(frames) < 150
    window.actions["undo"].trigger()
    assert project.frames(tid) == [0]
