"""A tracking run over the project on a worker thread: forward, backward, gap filling, re-tracking.

The run itself is a core operation (core.annotations.tracking / gaps): it reads its frames from the source
(decoded ahead on a thread of their own), asks the stop flag before every frame and reports every frame,
which is handed to the GUI with the same bounded hand-off as StreamWorker (at most `max_in_flight` steps
waiting). The tracker is built on this thread. The run's result (a TrackRun, whose change the GUI applies
as one undo step) is kept in `result` for the GUI to take once the thread has been joined.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QObject, Signal

from app.workers.errors import describe_error
from app.workers.stream_worker import MAX_IN_FLIGHT, RateMeter, StepGate, StreamStep, lower_thread_priority
from app.workers.tracking_worker import TrackerSpec, describe_tracker
from core.annotations import BoxRecord, TrackRun, TrackStep
from core.sources import FrameSource, PrefetchingReader
from core.tracking import TrackResult
from core.tracking.base import MultiTracker

TrackerFactory = Callable[[], MultiTracker]
ShouldStop = Callable[[], bool]
Progress = Callable[[TrackStep], None]
# what runs on the worker thread: (frames, tracker factory, stop flag, progress) -> TrackRun
Operation = Callable[["PrefetchedFrames", TrackerFactory, ShouldStop, Progress], TrackRun]


@dataclass(frozen=True)
class AnnotationStep(StreamStep):
    """One frame of a run: the new boxes of every object still tracked; `result` is the shown object's."""

    records: Mapping[int, BoxRecord]
    results: Mapping[int, TrackResult]


class PrefetchedFrames:
    """A source whose ranges of frames are decoded ahead on a thread while the network runs."""

    def __init__(self, source: FrameSource) -> None:
        self.source = source

    def read(self, index: int) -> np.ndarray:
        return self.source.read(index)

    def frames(self, start: int, stop: int | None = None, step: int = 1) -> Iterator[tuple[int, np.ndarray]]:
        return iter(PrefetchingReader(self.source, start, stop, step))


class AnnotationWorker(QObject):
    step = Signal(object)  # AnnotationStep
    ready = Signal(object)  # TrackerInfo, once the tracker is built
    failed = Signal(str)
    finished = Signal()

    def __init__(
        self,
        operation: Operation,
        source: FrameSource,
        spec: TrackerSpec,
        shown_order: tuple[int, ...],
        max_in_flight: int = MAX_IN_FLIGHT,
    ) -> None:
        super().__init__()
        self.operation, self.source, self.spec = operation, source, spec
        self.shown_order = shown_order  # whose result the readouts show: the first still tracked
        self.result: TrackRun | None = None  # read by the GUI after the thread was joined
        self._gate = StepGate(max_in_flight)
        self._stop_flag = self._gate.stop_flag
        self._rate = RateMeter()

    # --- called from any thread -------------------------------------------------------------------------
    def request_stop(self) -> None:
        self._stop_flag.set()

    @property
    def stop_requested(self) -> bool:
        return self._stop_flag.is_set()

    def acknowledge(self) -> None:
        self._gate.release_slot()

    # --- the worker thread ------------------------------------------------------------------------------
    def run(self) -> None:
        try:
            lower_thread_priority()
            self.result = self.operation(
                PrefetchedFrames(self.source), self._make_tracker, self._stop_flag.is_set, self._progress
            )
        except Exception as error:  # noqa: BLE001 (every failure reaches the user)
            self.failed.emit(describe_error(error))
        finally:
            self.finished.emit()

    def _make_tracker(self) -> MultiTracker:
        tracker = self.spec.build_multi()
        self.ready.emit(describe_tracker(tracker))
        return tracker

    def _progress(self, step: TrackStep) -> None:
        if not self._gate.claim_slot():
            return  # the run stops before the next frame; its result still holds this one
        shown = next((tid for tid in self.shown_order if tid in step.results), None)
        if shown is None and step.results:
            shown = next(iter(step.results))
        result = step.results.get(shown) if shown is not None else None
        self.step.emit(
            AnnotationStep(
                step.frame_index, step.frame, result, self._rate.tick(), 0, step.records, step.results
            )
        )
