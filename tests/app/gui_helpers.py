"""Helpers for driving the real main window in tests: opening sources, drawing with the mouse, fakes."""

from __future__ import annotations

import threading
import time

import numpy as np
from PySide6.QtCore import QPoint, QPointF, Qt

from core.boxes import Box
from core.tracking import IdentityTracker, TrackResult


def open_and_wait(qtbot, window, spec, timeout: int = 20_000) -> None:
    with qtbot.waitSignal(window.playback.frameShown, timeout=timeout):
        window.sources.open(spec)


def view_point(window, x: float, y: float) -> QPoint:
    """The viewport position showing frame point (x, y)."""
    view = window.frame_view
    scene = view.view_box.mapViewToScene(QPointF(x, y))
    return view.mapFromScene(scene)


def drag_box(qtbot, window, box: Box) -> None:
    """Draw `box` with the mouse, as a user does: press, move in steps, release."""
    x, y, w, h = box
    viewport = window.frame_view.viewport()
    start, end = view_point(window, x, y), view_point(window, x + w, y + h)
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=start)
    for t in np.linspace(0.1, 1.0, 8):
        qtbot.mouseMove(viewport, start + (end - start) * float(t))
        qtbot.wait(5)
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=end)


class SlowTracker(IdentityTracker):
    """The identity tracker, slowed down; optionally failing on a given update."""

    def __init__(self, delay: float = 0.05, fail_on: int | None = None) -> None:
        super().__init__()
        self.delay, self.fail_on, self.updates = delay, fail_on, 0

    def update(self, frame: np.ndarray) -> TrackResult:
        self.updates += 1
        if self.updates == self.fail_on:
            raise RuntimeError("the tracker broke on purpose")
        time.sleep(self.delay)
        return super().update(frame)


class FakeCapture:
    """A camera for tests (the Capture protocol): numbered frames as fast as `fps`, BGR like OpenCV."""

    def __init__(self, size: tuple[int, int] = (320, 240), fps: float = 120.0) -> None:
        self.size, self.fps = size, fps
        self.delivered = 0
        self._released = threading.Event()

    def read(self):
        if self._released.wait(1.0 / self.fps):
            return False, None
        width, height = self.size
        frame = np.full((height, width, 3), 60, np.uint8)
        x = 40 + self.delivered % 100
        frame[100:140, x : x + 40] = (30, 200, 250)
        self.delivered += 1
        return True, frame

    def isOpened(self) -> bool:
        return not self._released.is_set()

    def release(self) -> None:
        self._released.set()

    def get(self, prop_id: int) -> float:
        return self.fps


class ArraySource:
    """A seekable in-memory FrameSource of numbered grey frames (frame i has value i % 256)."""

    is_live = False
    fps = 25.0

    def __init__(self, count: int = 50, size: tuple[int, int] = (64, 48)) -> None:
        self.frame_count = count
        self.frame_size = size
        self.description = f"test frames — {count} frames"

    def read(self, index: int) -> np.ndarray:
        if not 0 <= index < self.frame_count:
            raise IndexError(index)
        width, height = self.frame_size
        return np.full((height, width, 3), index % 256, np.uint8)

    def frames(self, start: int = 0, stop: int | None = None, step: int = 1):
        stop = self.frame_count if stop is None else stop
        for index in range(start, stop, step):
            yield index, self.read(index)

    def close(self) -> None:
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()


class DriftTracker(IdentityTracker):
    """The identity tracker, moving the box `dx` pixels right every frame (so each frame's box differs)."""

    def __init__(self, dx: float = 1.0, score: float = 0.9) -> None:
        super().__init__()
        self.dx, self.score = dx, score

    def update(self, frame: np.ndarray) -> TrackResult:
        x, y, w, h = self._box
        self._box = (x + self.dx, y, w, h)
        result = super().update(frame)
        return TrackResult(
            result.box, self.score, result.response, result.search_box, 1.0, result.scale_maps, 0
        )


class CountingMultiTracker:
    """A MultiTracker of DriftTrackers that records every call: how many targets each init had, how many
    update calls (network passes) were made, and how many results each returned."""

    name = "counting"

    def __init__(self, dx: float = 1.0) -> None:
        self.dx = dx
        self.inits: list[int] = []
        self.updates: list[int] = []
        self._trackers: list[DriftTracker] = []

    def init(self, frame: np.ndarray, boxes) -> None:
        self.inits.append(len(boxes))
        self._trackers = []
        for box in boxes:
            tracker = DriftTracker(self.dx)
            tracker.init(frame, box)
            self._trackers.append(tracker)

    def update(self, frame: np.ndarray) -> list[TrackResult]:
        results = [tracker.update(frame) for tracker in self._trackers]
        self.updates.append(len(results))
        return results

    def remove(self, index: int) -> None:
        del self._trackers[index]


def drag_editable_box(qtbot, window, dx: float, dy: float) -> None:
    """Move the selected object's editable box by (dx, dy) frame pixels with the mouse."""
    x, y, w, h = window.frame_view.box()
    viewport = window.frame_view.viewport()
    start = view_point(window, x + w / 2, y + h / 2)
    end = view_point(window, x + w / 2 + dx, y + h / 2 + dy)
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=start)
    for t in np.linspace(0.1, 1.0, 8):
        qtbot.mouseMove(viewport, start + (end - start) * float(t))
        qtbot.wait(5)
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=end)
