"""Video files as frame sources, with exact frame-index seeking (PyAV) and an LRU cache of decoded frames."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from core.errors import SourceError
from core.sources.base import (
    Frame,
    IndexedFrames,
    SourceBase,
    closed_error,
    format_fps,
    format_size,
    read_only,
)
from core.sources.cache import DEFAULT_CACHE_BYTES, FrameCache
from core.sources.video_decoder import DecodedRange, VideoDecoder

# fmt: off
VIDEO_SUFFIXES = {
    ".avi", ".mp4", ".m4v", ".mov", ".mkv", ".webm", ".mpg", ".mpeg", ".wmv", ".flv", ".ts", ".mts", ".m2ts",
    ".3gp", ".ogv", ".mxf", ".y4m", ".h264", ".264", ".hevc", ".265",
}
# fmt: on
CHUNK_BYTES = 64 * 1024 * 1024  # decoded frames held at once when iterating in chunks
MAX_CHUNK_FRAMES = 64
JUMP_BEHIND_FRAMES = 2  # read() after a jump also decodes the frame before; stepping back decodes a chunk


class VideoFileSource(SourceBase):
    """A video file. read(i) is frame i of a sequential decode, whatever order the reads come in.

    Thread-safe: a tracking thread may iterate while the GUI reads single frames."""

    is_live = False

    def __init__(self, path: str | os.PathLike, cache_bytes: int = DEFAULT_CACHE_BYTES) -> None:
        self.path = Path(path)
        if not self.path.is_file():
            raise SourceError(f"video file not found: {self.path}")
        self._decoder: VideoDecoder | None = VideoDecoder(self.path)
        self._lock = threading.Lock()
        self._cache = FrameCache(cache_bytes)
        self.frame_count = self._decoder.frame_count
        self.fps = self._decoder.fps
        first = self._first_frame()
        self.frame_size = (first.shape[1], first.shape[0])
        self._chunk = int(np.clip(CHUNK_BYTES // first.nbytes, 2, MAX_CHUNK_FRAMES))
        size, fps = format_size(self.frame_size), format_fps(self.fps)
        self.description = f"{self.path.name} — {size}, {fps}, {self.frame_count} frames"

    def close(self) -> None:
        with self._lock:
            if self._decoder is not None:
                self._decoder.close()
                self._decoder = None
            self._cache.clear()

    def read(self, index: int) -> Frame:
        index = self._check_index(index)
        with self._lock:
            decoder = self._open_decoder()
            frame = self._cache.get(index)
            if frame is not None:
                return frame
            first = index if decoder.can_continue_to(index) else self._first_to_keep(decoder, index)
            frames, error = self._decode_range(decoder, first, index)
        if len(frames) == index - first + 1:
            return frames[-1]
        raise error or SourceError(f"{self.path.name}: frame {index} cannot be decoded")

    def _first_to_keep(self, decoder: VideoDecoder, index: int) -> int:
        """Decoding `index` starts at its keyframe anyway, so keep a few frames before it too; a whole chunk
        when the caller is stepping back already (the next frame is cached)."""
        behind = self._chunk if index + 1 in self._cache else JUMP_BEHIND_FRAMES
        return max(decoder.index.keyframe_at_or_before(index), index - behind + 1)

    def frames(self, start: int = 0, stop: int | None = None, step: int = 1) -> IndexedFrames:
        indices = self._frame_range(start, stop, step)
        if step == 1:
            return self._forward(indices)
        if step == -1:
            return self._backward(indices)
        return ((index, self.read(index)) for index in indices)

    def _forward(self, indices: range) -> IndexedFrames:
        for first in range(indices.start, indices.stop, self._chunk):
            yield from self._range(first, min(first + self._chunk, indices.stop) - 1, reverse=False)

    def _backward(self, indices: range) -> IndexedFrames:
        """Decode a chunk forward from its keyframe and yield it reversed: exact, and linear in the length."""
        last = indices.start
        while last > indices.stop:
            with self._lock:
                keyframe = self._open_decoder().index.keyframe_at_or_before(last)
            first = max(keyframe, last - self._chunk + 1, indices.stop + 1)
            yield from self._range(first, last, reverse=True)
            last = first - 1

    def _range(self, first: int, last: int, reverse: bool) -> Iterator[tuple[int, Frame]]:
        with self._lock:
            frames, error = self._decode_range(self._open_decoder(), first, last)
        pairs = list(enumerate(frames, start=first))
        if error is not None and reverse:
            raise error  # frames after the broken one were not decoded: nothing exact to yield backward
        yield from reversed(pairs) if reverse else pairs
        if error is not None:
            raise error

    def _decode_range(
        self, decoder: VideoDecoder, first: int, last: int
    ) -> tuple[list[Frame], SourceError | None]:
        """Frames first..last from the cache or the decoder, up to the first one that cannot be decoded."""
        cached = {i: frame for i in range(first, last + 1) if (frame := self._cache.get(i)) is not None}
        decoded = DecodedRange()
        if len(cached) < last - first + 1:
            decoded = decoder.decode(first, last, wanted=lambda i: i not in cached)
            for index, frame in decoded.frames.items():
                self._cache.put(index, read_only(frame))
        frames = []
        for index in range(first, last + 1):
            frame = cached.get(index, decoded.frames.get(index))
            if frame is None:
                break
            frames.append(frame)
        return frames, decoded.error

    def _first_frame(self) -> Frame:
        try:
            return self.read(0)
        except SourceError:
            self.close()
            raise

    def _open_decoder(self) -> VideoDecoder:
        if self._decoder is None:
            raise closed_error(self.description or self.path.name)
        return self._decoder
