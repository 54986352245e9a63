"""Frames of one evaluation sequence, decoded ahead of the tracker so that decoding is never timed.

A sequence whose decoded frames fit in `keep_bytes` is decoded once and kept in memory (its frames are read
many times: 20 TRE segments, 12 SRE starts, every tracker); a longer one is streamed by a read-ahead thread.
Frames are RGB uint8, converted from OpenCV's BGR on the way in.
"""
from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from pathlib import Path

import cv2
import numpy as np

from core.errors import SourceError

DEFAULT_KEEP_BYTES = 3 * 1024**3
READ_AHEAD = 16


def read_frame(path: Path) -> np.ndarray:
    image = cv2.imread(str(path), cv2.IMREAD_COLOR)
    if image is None:
        raise SourceError(f"cannot read image {path}")
    return cv2.cvtColor(image, cv2.COLOR_BGR2RGB)


class FrameStore:
    def __init__(self, paths: list[Path], keep_bytes: int = DEFAULT_KEEP_BYTES) -> None:
        if not paths:
            raise SourceError("a sequence without frames cannot be evaluated")
        self.paths = list(paths)
        first = read_frame(self.paths[0])
        self.frame_shape: tuple[int, ...] = first.shape
        self._keep = first.nbytes * len(self.paths) <= keep_bytes
        self._frames: list[np.ndarray] | None = None

    def __len__(self) -> int:
        return len(self.paths)

    def iterate(self, start: int = 0) -> Iterator[tuple[int, np.ndarray]]:
        """(index, frame) from `start` to the last frame. Close the iterator when leaving early."""
        if self._keep:
            return self._from_memory(start)
        return _read_ahead(self.paths, start)

    def _from_memory(self, start: int) -> Iterator[tuple[int, np.ndarray]]:
        if self._frames is None:
            self._frames = [read_frame(path) for path in self.paths]
        for index in range(start, len(self._frames)):
            yield index, self._frames[index]


def _read_ahead(paths: list[Path], start: int) -> Iterator[tuple[int, np.ndarray]]:
    buffer: queue.Queue = queue.Queue(maxsize=READ_AHEAD)
    stop = threading.Event()

    def produce() -> None:
        for index in range(start, len(paths)):
            try:
                item: object = (index, read_frame(paths[index]))
            except SourceError as exc:
                item = exc
            while not stop.is_set():
                try:
                    buffer.put(item, timeout=0.1)
                    break
                except queue.Full:
                    continue
            if stop.is_set() or isinstance(item, SourceError):
                return

    reader = threading.Thread(target=produce, name="frame-read-ahead", daemon=True)
    reader.start()
    try:
        for _ in range(start, len(paths)):
            item = buffer.get()
            if isinstance(item, SourceError):
                raise item
            yield item
    finally:
        stop.set()
        reader.join()
