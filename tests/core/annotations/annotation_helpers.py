"""Shared by the annotation tests: frame sources and trackers that need no video file or weights, and
the real sequences wrapped as a frame source."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

from core.annotations import BoxRecord, Origin, Project, TrackObject, VideoInfo
from core.tracking.base import TrackResult


class FakeSource:
    """Blank frames; frames(start, stop, step) visits indices like range() and counts the frames read."""

    def __init__(self, frame_count: int, width: int = 200, height: int = 100) -> None:
        self.frame_count = frame_count
        self.shape = (height, width, 3)
        self.visited: list[int] = []

    def read(self, index: int) -> np.ndarray:
        if not 0 <= index < self.frame_count:
            raise IndexError(index)
        self.visited.append(index)
        frame = np.zeros(self.shape, np.uint8)
        frame[0, 0, 0] = index % 256
        return frame

    def frames(self, start: int, stop: int | None = None, step: int = 1):
        if not 0 <= start < self.frame_count:  # as core.sources does
            raise IndexError(f"start frame {start} is out of range")
        if stop is None:
            stop = self.frame_count if step > 0 else -1
        return ((index, self.read(index)) for index in range(start, stop, step))


class ShiftTracker:
    """A MultiTracker whose targets move `dx` pixels right per update; scores come from `score_of(n)` where
    n counts updates since init. Records every update call in `log` (one entry per network pass)."""

    name = "shift"

    def __init__(self, dx: float = 1.0, score_of=lambda n: 0.9, log: list | None = None) -> None:
        self.dx, self.score_of, self.log = dx, score_of, log if log is not None else []
        self.boxes: list = []
        self.updates = 0

    def init(self, frame, boxes):
        self.boxes = [tuple(b) for b in boxes]
        self.updates = 0

    def update(self, frame):
        self.updates += 1
        self.log.append((int(frame[0, 0, 0]), len(self.boxes)))
        self.boxes = [(x + self.dx, y, w, h) for x, y, w, h in self.boxes]
        score = self.score_of(self.updates)
        return [
            TrackResult(b, score, None, (b[0] - b[2], b[1] - b[3], 3 * b[2], 3 * b[3]), 1.0)
            for b in self.boxes
        ]


class SequenceSource:
    """Frames of a benchmark sequence folder as a frame source (RGB, read on demand, kept)."""

    def __init__(self, paths: list[Path]) -> None:
        self.paths = paths
        self._frames: dict[int, np.ndarray] = {}

    def read(self, index: int) -> np.ndarray:
        if index not in self._frames:
            self._frames[index] = cv2.cvtColor(cv2.imread(str(self.paths[index])), cv2.COLOR_BGR2RGB)
        return self._frames[index]

    def frames(self, start: int, stop: int | None = None, step: int = 1):
        if stop is None:
            stop = len(self.paths) if step > 0 else -1
        for index in range(start, stop, step):
            yield index, self.read(index)


def make_project(
    frame_count: int = 50, width: int = 200, height: int = 100, tracks=None, path="clip.avi"
) -> Project:
    tracks = tracks or {}
    objects = [TrackObject(tid, "car" if tid % 2 else "person") for tid in tracks]
    return Project(VideoInfo(Path(path).absolute(), frame_count, width, height, 25.0), objects, tracks)


def manual(box, **kwargs) -> BoxRecord:
    return BoxRecord(tuple(float(v) for v in box), Origin.MANUAL, **kwargs)
