"""Playback: frames streamed at the source's own rate (or as fast as they decode, if that is slower)."""

from __future__ import annotations

import time
from collections.abc import Iterator

import numpy as np

from app.workers.stream_worker import StreamWorker

DEFAULT_FPS = 25.0


class PlaybackWorker(StreamWorker):
    def frames(self) -> Iterator[tuple[int, np.ndarray]]:
        if self.source.is_live:  # a camera paces itself
            yield from super().frames()
            return
        interval = 1.0 / (self.source.fps or DEFAULT_FPS)
        due = time.perf_counter()
        for index, frame in super().frames():
            delay = due - time.perf_counter()
            if delay > 0 and self.wait(delay):
                return
            due = max(due + interval, time.perf_counter() - interval)  # never rush to catch up after a stall
            yield index, frame
