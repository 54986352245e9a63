"""A worker that walks through a frame source on its own thread and emits one StreamStep per frame.

It reads the frames itself, checks a thread-safe stop flag at every frame, and never runs ahead of the GUI by
more than `max_in_flight` steps: each emitted step holds a slot until the receiver acknowledges it, so the
queue between the threads stays bounded however slow the GUI is. Subclasses add work per frame (tracking)
or pacing (playback).
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QObject, Signal

from app.workers.errors import describe_error
from core.sources import FrameSource, PrefetchingReader
from core.tracking import TrackResult

MAX_IN_FLIGHT = 3
SLOT_POLL_S = 0.05  # how often a worker waiting for a free slot looks at the stop flag
RATE_WINDOW = 30  # frames over which the processing rate is measured
WORKER_NICENESS = 5


@dataclass(frozen=True)
class StreamStep:
    index: int  # frame index (capture counter for live sources)
    frame: np.ndarray  # RGB uint8, read-only
    result: TrackResult | None  # None when nothing but frames is streamed (playback, live preview)
    rate: float  # frames per second the worker is processing, over the last RATE_WINDOW frames
    dropped: int  # frames a live source dropped so far because the worker was busy


class RateMeter:
    """Frames per second over a sliding window of recent frame times."""

    def __init__(self, window: int = RATE_WINDOW) -> None:
        self._times: deque[float] = deque(maxlen=window)

    def tick(self) -> float:
        self._times.append(time.perf_counter())
        if len(self._times) < 2:
            return 0.0
        elapsed = self._times[-1] - self._times[0]
        return (len(self._times) - 1) / elapsed if elapsed > 0 else 0.0


class StepGate:
    """A worker's stop flag and its bound on steps in flight (emitted, not yet acknowledged by the GUI)."""

    def __init__(self, max_in_flight: int) -> None:
        self.stop_flag = threading.Event()
        self._slots = threading.Semaphore(max_in_flight)

    def claim_slot(self) -> bool:
        """Wait for a free slot; False when a stop was requested meanwhile."""
        while not self._slots.acquire(timeout=SLOT_POLL_S):
            if self.stop_flag.is_set():
                return False
        return True

    def release_slot(self) -> None:
        self._slots.release()


class StreamWorker(QObject):
    step = Signal(object)  # StreamStep
    failed = Signal(str)  # one line for the user
    finished = Signal()

    def __init__(
        self,
        source: FrameSource,
        start: int = 0,
        limit: int | None = None,
        max_in_flight: int = MAX_IN_FLIGHT,
    ) -> None:
        super().__init__()
        self.source = source
        self.start = start
        self.limit = limit  # at most this many steps, then the worker ends by itself
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
        """The receiver has taken a step: its slot is free again."""
        self._gate.release_slot()

    # --- the worker thread ------------------------------------------------------------------------------
    def run(self) -> None:
        try:
            lower_thread_priority()
            self.prepare()
            with _closing(iter(self.frames())) as frames:  # closed here, on this thread, when stopping early
                self._stream(frames)
        except Exception as error:  # noqa: BLE001 (every failure reaches the user)
            self.failed.emit(describe_error(error))
        finally:
            self.cleanup()
            self.finished.emit()

    def _stream(self, frames: Iterator[tuple[int, np.ndarray]]) -> None:
        for emitted, (index, frame) in enumerate(frames, start=1):
            if self._stop_flag.is_set():
                return
            result = self.process(index, frame)
            if not self._emit(StreamStep(index, frame, result, self._rate.tick(), self._dropped())):
                return
            if emitted == self.limit:
                return

    def prepare(self) -> None:
        """Work done on the worker thread before the first frame (loading a model, initialising a tracker)."""

    def frames(self) -> Iterator[tuple[int, np.ndarray]]:
        """Frames from `start` on, decoded ahead on a thread of their own (live: the newest frames)."""
        return iter(PrefetchingReader(self.source, self.start))

    def process(self, index: int, frame: np.ndarray) -> TrackResult | None:
        return None

    def cleanup(self) -> None:
        """Runs on the worker thread after the last frame, whatever happened."""

    def wait(self, seconds: float) -> bool:
        """Sleep unless asked to stop; True when the sleep ended because of a stop request."""
        return self._stop_flag.wait(seconds)

    def _emit(self, step: StreamStep) -> bool:
        if not self._gate.claim_slot():
            return False
        self.step.emit(step)
        return True

    def _dropped(self) -> int:
        return int(getattr(self.source, "dropped_frames", 0))


def lower_thread_priority() -> None:
    """Let the GUI thread win the CPU when the cores are busy. On Linux niceness belongs to the thread (and
    to the threads it starts: decoding, torch's pool); elsewhere os.nice would slow the whole process."""
    if sys.platform.startswith("linux"):
        with suppress(OSError):
            os.nice(WORKER_NICENESS)


@contextmanager
def _closing(frames: Iterator[tuple[int, np.ndarray]]) -> Iterator[Iterator[tuple[int, np.ndarray]]]:
    """Close a generator of frames when leaving early, so a source's reader is released at once."""
    try:
        yield frames
    finally:
        close = getattr(frames, "close", None)
        if close is not None:
            close()
