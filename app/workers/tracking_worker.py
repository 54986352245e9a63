"""Tracking on a worker thread: the tracker is built and initialised there (model loading included), then
every frame after the first is tracked and emitted as a StreamStep carrying its TrackResult."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PySide6.QtCore import Signal

from app.workers.stream_worker import MAX_IN_FLIGHT, StreamWorker
from core.boxes import Box
from core.models import Model
from core.sources import FrameSource, PrefetchingReader
from core.tracking import Tracker, TrackResult, create_multi_tracker, create_tracker
from core.tracking.base import IndependentMultiTracker, MultiTracker

BATCHED_TRACKERS = ("siamfc",)


@dataclass(frozen=True)
class TrackerSpec:
    """What builds a tracker; `model` is a loaded Model, a file, or None for the bundled one."""

    tracker: str = "siamfc"
    model: Model | Path | None = None
    preset: str = "3s"
    device: str = "auto"
    engine: str = "auto"

    def build(self) -> Tracker:
        return create_tracker(
            self.tracker, model=self.model, preset=self.preset, device=self.device, engine=self.engine
        )

    def build_multi(self) -> MultiTracker:
        """A tracker for several objects at once: one network pass per frame for all of them (trackers
        without a batched form run one instance of `build()` per object)."""
        if self.tracker in BATCHED_TRACKERS:
            return create_multi_tracker(
                self.tracker, model=self.model, preset=self.preset, device=self.device, engine=self.engine
            )
        return IndependentMultiTracker(self.build)


@dataclass(frozen=True)
class TrackerInfo:
    """What the window shows about the running tracker."""

    name: str
    engine: str  # e.g. "torch-fp32-cpu"; "" for trackers without a network
    scale_factors: tuple[float, ...]  # the factors of the scales searched, in the order of scale_maps


def describe_tracker(tracker: Tracker) -> TrackerInfo:
    engine = getattr(getattr(tracker, "engine", None), "name", "")
    config = getattr(tracker, "config", None)
    factors: tuple[float, ...] = (1.0,)
    if config is not None:
        half = config.scale_count // 2
        factors = tuple(float(config.scale_step**k) for k in range(-half, half + 1))
    return TrackerInfo(tracker.name, engine, factors)


class TrackingWorker(StreamWorker):
    """Tracks one target from frame `start` (or from `first_frame`, for live sources) over the following
    frames: to the end, for `limit` frames, or until stopped."""

    ready = Signal(object)  # TrackerInfo, once the tracker is initialised

    def __init__(
        self,
        source: FrameSource,
        spec: TrackerSpec,
        box: Box,
        start: int = 0,
        limit: int | None = None,
        first_frame: np.ndarray | None = None,
        max_in_flight: int = MAX_IN_FLIGHT,
    ) -> None:
        super().__init__(source, start, limit, max_in_flight)
        self.spec = spec
        self.box = box
        self._first_frame = first_frame
        self._tracker: Tracker | None = None

    def prepare(self) -> None:
        tracker = self.spec.build()
        first = self._first_frame if self._first_frame is not None else self.source.read(self.start)
        tracker.init(first, self.box)
        self._tracker = tracker
        self.ready.emit(describe_tracker(tracker))

    def frames(self) -> Iterator[tuple[int, np.ndarray]]:
        if self.source.is_live:
            return iter(PrefetchingReader(self.source))
        if self.source.frame_count is not None and self.start + 1 >= self.source.frame_count:
            return iter(())
        return iter(PrefetchingReader(self.source, self.start + 1))

    def process(self, index: int, frame: np.ndarray) -> TrackResult:
        return self._tracker.update(frame)

    def cleanup(self) -> None:
        self._tracker = None  # frees the network (and GPU memory) on the thread that used it
