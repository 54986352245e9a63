"""A least-recently-used cache of decoded frames, bounded in bytes, so stepping back and forth is instant."""

from __future__ import annotations

from collections import OrderedDict

import numpy as np

DEFAULT_CACHE_BYTES = 256 * 1024 * 1024


class FrameCache:
    """index → frame. Not thread-safe: the owning source guards it with its own lock."""

    def __init__(self, max_bytes: int = DEFAULT_CACHE_BYTES) -> None:
        if max_bytes < 0:
            raise ValueError("max_bytes must be >= 0")
        self.max_bytes = max_bytes
        self._frames: OrderedDict[int, np.ndarray] = OrderedDict()
        self._bytes = 0

    def __len__(self) -> int:
        return len(self._frames)

    def __contains__(self, index: int) -> bool:
        return index in self._frames

    @property
    def nbytes(self) -> int:
        return self._bytes

    def get(self, index: int) -> np.ndarray | None:
        frame = self._frames.get(index)
        if frame is not None:
            self._frames.move_to_end(index)
        return frame

    def put(self, index: int, frame: np.ndarray) -> None:
        if frame.nbytes > self.max_bytes:
            return
        old = self._frames.pop(index, None)
        if old is not None:
            self._bytes -= old.nbytes
        self._frames[index] = frame
        self._bytes += frame.nbytes
        while self._bytes > self.max_bytes:
            _, evicted = self._frames.popitem(last=False)
            self._bytes -= evicted.nbytes

    def clear(self) -> None:
        self._frames.clear()
        self._bytes = 0
