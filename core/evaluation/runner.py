"""Running one tracker over part of a sequence: boxes and the time each frame took to track.

Only the tracker's own work (init or update) is timed; frames arrive already decoded.
"""
from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from core.boxes import Box, iou
from core.evaluation.frames import FrameStore
from core.tracking import Tracker

TrackerFactory = Callable[[], Tracker]


class EvaluationCancelled(Exception):
    """should_stop() said yes; what was finished before is kept in the cache."""


@dataclass
class Monitor:
    """Reports each tracked frame and asks whether to stop."""

    on_frame: Callable[[], None] = lambda: None
    should_stop: Callable[[], bool] = lambda: False

    def frame_done(self) -> None:
        self.on_frame()
        if self.should_stop():
            raise EvaluationCancelled("evaluation stopped")


@dataclass
class Trial:
    """One tracker run over a sequence: NaN boxes and times on frames it did not track."""

    boxes: np.ndarray  # (N, 4)
    times: np.ndarray  # (N,) seconds of tracker work per frame
    inits: list[int] = field(default_factory=list)
    failures: list[int] = field(default_factory=list)

    @classmethod
    def empty(cls, length: int) -> Trial:
        return cls(np.full((length, 4), np.nan), np.full(length, np.nan))

    @property
    def tracked_frames(self) -> int:
        return int(np.isfinite(self.times).sum())

    @property
    def seconds(self) -> float:
        return float(np.nansum(self.times))


FailureTest = Callable[[int, Box], bool]


def run_segment(
    make_tracker: TrackerFactory,
    frames: FrameStore,
    start: int,
    box: Box,
    trial: Trial,
    monitor: Monitor,
    is_failure: FailureTest | None = None,
) -> int | None:
    """Initialise a new tracker with `box` on frame `start`, then track to the end of the sequence.
    Returns the first frame where `is_failure(index, box)` holds (tracking stops there), else None."""
    tracker = make_tracker()
    trial.inits.append(start)
    with contextlib.closing(frames.iterate(start)) as stream:
        for index, frame in stream:
            began = time.perf_counter()
            if index == start:
                tracker.init(frame, box)
                result = box
            else:
                result = tracker.update(frame).box
            trial.times[index] = time.perf_counter() - began
            trial.boxes[index] = result
            monitor.frame_done()
            if index > start and is_failure is not None and is_failure(index, result):
                trial.failures.append(index)
                return index
    return None


def initialisable(boxes: np.ndarray, frame_shape: tuple[int, ...]) -> np.ndarray:
    """Frames whose ground-truth box can start a tracker: present, at least 1x1 px, overlapping the frame."""
    boxes = np.asarray(boxes, dtype=np.float64)
    height, width = frame_shape[:2]
    x, y, w, h = boxes.T
    with np.errstate(invalid="ignore"):
        return np.isfinite(boxes).all(axis=1) & (w >= 1) & (h >= 1) & (x < width) & (y < height) & (x + w > 0) & (
            y + h > 0
        )


def next_initialisable(mask: np.ndarray, start: int) -> int | None:
    later = np.flatnonzero(mask[start:])
    return int(start + later[0]) if later.size else None


def lost_target(truth: np.ndarray) -> FailureTest:
    """VOT's failure: the predicted box no longer overlaps an annotated target at all."""

    def test(index: int, box: Box) -> bool:
        target = truth[index]
        if not np.isfinite(target).all():
            return False
        return float(iou(np.asarray(box), target)) <= 0.0

    return test
