"""Driving the annotation workflow of the real window: objects from drawn boxes, keys, runs, seeking."""

from __future__ import annotations

from gui_helpers import CountingMultiTracker, drag_box
from PySide6.QtCore import Qt

from core.annotations import Project

BAG_BOX = (291.0, 124.0, 150.0, 140.0)  # the bag on frame 0
SECOND_BOX = (60.0, 70.0, 80.0, 90.0)  # some background on the left


def use_counting_tracker(window, monkeypatch, dx: float = 1.0) -> list[CountingMultiTracker]:
    """Every run builds a CountingMultiTracker (returned in the list, in order)."""
    from app.workers import tracking_worker

    window.models.update_choice(remember=False, tracker="identity")
    made: list[CountingMultiTracker] = []

    def build_multi(spec):
        made.append(CountingMultiTracker(dx))
        return made[-1]

    monkeypatch.setattr(tracking_worker.TrackerSpec, "build_multi", build_multi)
    return made


def project_of(window) -> Project:
    return window.annotation.projects.project


def press(qtbot, window, key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    window.activateWindow()
    window.frame_view.setFocus()
    qtbot.keyClick(window.frame_view, key, modifier)


def seek(qtbot, window, index: int) -> None:
    window.playback.seek(index)
    qtbot.waitUntil(lambda: window.playback.index == index, timeout=10_000)


def add_drawn_object(qtbot, window, box) -> int:
    """Draw a box with the mouse and press N: returns the new object's id."""
    before = set(project_of(window).objects)
    drag_box(qtbot, window, box)
    press(qtbot, window, Qt.Key.Key_N)
    (new,) = set(project_of(window).objects) - before
    return new


def finish_run(qtbot, window, start) -> None:
    """Call `start` (which starts a run) and wait for the run's end."""
    with qtbot.waitSignal(
        window.tracking.runningChanged, check_params_cb=lambda running: not running, timeout=30_000
    ):
        start()


def set_run_frames(window, frames: int) -> None:
    controls = window.run_length
    controls.combo.setCurrentIndex(controls.combo.findData("frames"))
    controls.frames.setValue(frames)
