"""The tracker interface every tracker in SiamTrack implements."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from core.boxes import Box


@dataclass(frozen=True)
class TrackResult:
    box: Box  # new target box in frame coordinates
    score: float  # confidence in [0, 1]: the peak's contrast relative to the first frame's (1 = as sure as at the start)
    response: np.ndarray | None  # upsampled response map of the chosen scale (None for trackers without one)
    search_box: Box  # where that map lies in the frame (to draw the overlay)
    scale: float  # scale factor applied to the box this frame (1.0 = unchanged)
    scale_maps: np.ndarray | None = None  # raw (S, r, r) response maps of all scales searched
    scale_index: int = 0  # which of scale_maps was chosen


class Tracker(Protocol):
    name: str

    def init(self, frame: np.ndarray, box: Box) -> None: ...

    def update(self, frame: np.ndarray) -> TrackResult: ...


class MultiTracker(Protocol):
    """Several targets of one video advanced together (one network pass per frame where the tracker can)."""

    name: str

    def init(self, frame: np.ndarray, boxes: Sequence[Box]) -> None: ...

    def update(self, frame: np.ndarray) -> list[TrackResult]: ...


class IndependentMultiTracker:
    """A MultiTracker made of one single-target tracker per target, for trackers that cannot batch."""

    def __init__(self, make_tracker) -> None:
        self._make_tracker = make_tracker
        self._trackers: list[Tracker] = []
        self.name = make_tracker().name

    def init(self, frame: np.ndarray, boxes: Sequence[Box]) -> None:
        self._trackers = []
        for box in boxes:
            tracker = self._make_tracker()
            tracker.init(frame, box)
            self._trackers.append(tracker)

    def update(self, frame: np.ndarray) -> list[TrackResult]:
        return [tracker.update(frame) for tracker in self._trackers]
