"""Decode ahead in a thread of its own, so that decoding overlaps tracking.

    with PrefetchingReader(source, start=120, step=-1) as reader:
        for index, frame in reader:
            ...

The queue is bounded (`depth` frames); the thread stops when the range ends, when close() is called, or when
the consumer stops iterating early. An error in the thread is raised in the consumer, at the frame it hit.
Live sources are passed through: they already keep only their newest frame.
"""

from __future__ import annotations

import queue
import threading
import weakref
from dataclasses import dataclass
from typing import TYPE_CHECKING

from core.sources.base import FrameSource, IndexedFrames

if TYPE_CHECKING:
    from typing_extensions import Self  # typing.Self from Python 3.11

DEFAULT_DEPTH = 8
_POLL_S = 0.05  # how often a blocked producer or consumer looks at the stop flag
JOIN_TIMEOUT_S = 10.0


@dataclass(frozen=True)
class _Failure:
    error: BaseException


_END = object()


class PrefetchingReader:
    """Iterates (index, frame) over source.frames(start, stop, step), decoded up to `depth` frames ahead."""

    def __init__(
        self,
        source: FrameSource,
        start: int = 0,
        stop: int | None = None,
        step: int = 1,
        depth: int = DEFAULT_DEPTH,
    ) -> None:
        if depth < 1:
            raise ValueError("depth must be at least 1")
        self.source = source
        self._frames = source.frames(start, stop, step)  # checks the range here, in the caller's thread
        self._stop = threading.Event()
        self._queue: queue.Queue = queue.Queue(maxsize=depth)
        self._thread: threading.Thread | None = None
        if not source.is_live:
            # The thread holds no reference to self: a reader that is dropped unused still stops it.
            arguments = (self._frames, self._queue, self._stop)
            self._thread = threading.Thread(
                target=_produce, args=arguments, name="frame prefetch", daemon=True
            )
            self._thread.start()
            weakref.finalize(self, self._stop.set)

    def __iter__(self) -> IndexedFrames:
        try:
            if self._thread is None:
                yield from self._pass_through()
            else:
                yield from self._consume()
        finally:
            self.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def close(self) -> None:
        """Stop the thread and wait for it; safe to call more than once and from the consuming loop."""
        self._stop.set()
        self._drain()
        thread = self._thread
        if thread is not None and thread.is_alive() and thread is not threading.current_thread():
            thread.join(JOIN_TIMEOUT_S)
        if thread is None:
            self._close_frames()

    def _consume(self) -> IndexedFrames:
        while not self._stop.is_set():
            try:
                item = self._queue.get(timeout=_POLL_S)
            except queue.Empty:
                continue
            if item is _END:
                return
            if isinstance(item, _Failure):
                raise item.error
            yield item

    def _pass_through(self) -> IndexedFrames:
        for item in self._frames:
            if self._stop.is_set():
                return
            yield item

    def _close_frames(self) -> None:
        _close_iterator(self._frames)

    def _drain(self) -> None:
        try:
            while True:
                self._queue.get_nowait()
        except queue.Empty:
            pass


def _produce(frames: IndexedFrames, out: queue.Queue, stop: threading.Event) -> None:
    try:
        for item in frames:
            if not _offer(item, out, stop):
                return
        _offer(_END, out, stop)
    except Exception as error:  # noqa: BLE001 (handed to the consumer and raised there)
        _offer(_Failure(error), out, stop)
    finally:
        _close_iterator(frames)


def _offer(item: object, out: queue.Queue, stop: threading.Event) -> bool:
    while not stop.is_set():
        try:
            out.put(item, timeout=_POLL_S)
            return True
        except queue.Full:
            continue
    return False


def _close_iterator(frames: IndexedFrames) -> None:
    close = getattr(frames, "close", None)
    if close is None:
        return
    try:
        close()
    except ValueError:  # the consuming thread is inside it right now; it stops at its next frame
        pass
