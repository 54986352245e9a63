"""Decodes exact frame ranges of one video file with PyAV: seek to a keyframe, decode forward, match by pts.

Not thread-safe; VideoFileSource serialises access. The decoder remembers where its frame iterator stands,
so consecutive ranges continue decoding instead of seeking again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import av
import numpy as np

from core.errors import SourceError
from core.sources.video_index import VideoIndex, build_index


@dataclass
class DecodedRange:
    frames: dict[int, np.ndarray] = field(default_factory=dict)  # the wanted frames, RGB uint8
    error: SourceError | None = None  # set when the range could not be decoded to its end


class VideoDecoder:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._container = _open_container(path)
        try:
            self._stream = _video_stream(self._container, path)
            self.index = _demux_index(self._container, self._stream, path)
            self.frame_count = self.index.packet_count if self.index.timed else self._count_by_decoding()
        except BaseException:
            self._container.close()
            raise
        if self.frame_count == 0:
            self._container.close()
            raise SourceError(f"{path.name} holds no video frames")
        self.fps = _rate(self._stream)
        self._frames: Iterator[av.VideoFrame] | None = None
        self._pending: tuple[int, av.VideoFrame] | None = None
        self._after: int | None = None  # index just after the last frame pulled; None: not positioned
        self._floor = 0  # after a seek, frames before the keyframe (leading pictures) may be broken
        self._counter = 0  # untimed files: frames decoded since the start

    def close(self) -> None:
        self._frames = None
        self._pending = None
        self._container.close()

    @property
    def position(self) -> int | None:
        """The index the next decoded frame will have (or a later one, if frames are missing)."""
        return self._pending[0] if self._pending is not None else self._after

    def can_continue_to(self, index: int) -> bool:
        position = self.position
        return position is not None and self.index.keyframe_at_or_before(index) <= position <= index

    def decode(self, first: int, last: int, wanted: Callable[[int], bool]) -> DecodedRange:
        """Frames first..last in order; converts to RGB only those `wanted` says (the others are cached)."""
        result = DecodedRange()
        expected = first
        try:
            self._position_at_or_before(first)
            for expected in range(first, last + 1):
                item = self._pull_from(expected)
                if item is None or item[0] != expected or item[1].is_corrupt:
                    result.error = self._frame_error(expected, item)
                    self._reset()
                    return result
                if wanted(expected):
                    result.frames[expected] = to_rgb(item[1])
        except av.FFmpegError as error:
            self._reset()
            result.error = SourceError(f"{self.path.name}: frame {expected} cannot be decoded ({error})")
        return result

    def _pull_from(self, expected: int) -> tuple[int, av.VideoFrame] | None:
        """The next frame at or after `expected`; frames before it are decoded and dropped."""
        while (item := self._pull()) is not None and item[0] < expected:
            pass
        return item

    def _frame_error(self, index: int, item: tuple[int, av.VideoFrame] | None) -> SourceError:
        if item is None:
            reason = "the file ends early (truncated?)"
        elif item[0] != index:
            reason = "the decoder produced no picture for it"
        else:
            reason = "its data is corrupt (truncated or damaged file?)"
        return SourceError(f"{self.path.name}: frame {index} cannot be decoded: {reason}")

    def _position_at_or_before(self, first: int) -> None:
        if self.can_continue_to(first):
            return
        keyframe = self.index.keyframe_at_or_before(first)
        keyframes = [keyframe, self.index.keyframe_before(keyframe)] if self.index.timed else []
        for keyframe in [
            *dict.fromkeys(keyframes),
            None,
        ]:  # a seek can land too late: try earlier, then restart
            self._start_at(keyframe)
            item = self._pull()
            if item is not None and item[0] <= first:
                self._pending = item
                return
        self._pending = item  # nothing decodes at or before `first`; decode() reports it

    def _start_at(self, keyframe: int | None) -> None:
        """Seek to frame `keyframe`; None reopens the file at its start (works where seeking does not)."""
        self._reset()
        if keyframe is not None:
            try:
                self._container.seek(int(self.index.pts[keyframe]), stream=self._stream, backward=True)
            except av.FFmpegError:
                keyframe = None
        if keyframe is None:
            self._rewind()
        self._frames = self._container.decode(self._stream)
        self._floor = keyframe or 0

    def _rewind(self) -> None:
        """Back to the very start: reopen, which also works for streams that cannot seek."""
        self._container.close()
        self._container = _open_container(self.path)
        self._stream = _video_stream(self._container, self.path)
        self._counter = 0

    def _reset(self) -> None:
        self._frames = None
        self._pending = None
        self._after = None

    def _pull(self) -> tuple[int, av.VideoFrame] | None:
        if self._pending is not None:
            item, self._pending = self._pending, None
            return item
        if self._frames is None:
            return None
        for frame in self._frames:
            index = self._identify(frame)
            if index is not None and index >= self._floor:
                self._after = index + 1
                return index, frame
        self._reset()
        return None

    def _identify(self, frame: av.VideoFrame) -> int | None:
        if self.index.timed:
            return self.index.index_of(frame.pts)
        self._counter += 1
        return self._counter - 1

    def _count_by_decoding(self) -> int:
        self._rewind()  # demuxing for the index left the container at its end
        try:
            return sum(1 for _ in self._container.decode(self._stream))
        except av.FFmpegError as error:
            raise SourceError(f"{self.path.name}: cannot count its frames ({error})") from None


def to_rgb(frame: av.VideoFrame) -> np.ndarray:
    """RGB uint8 H×W×3, turned upright when the file says the picture is rotated (as phones record)."""
    rgb = frame.to_ndarray(format="rgb24")
    quarter_turns = round((frame.rotation or 0) / 90) % 4
    return np.ascontiguousarray(np.rot90(rgb, quarter_turns) if quarter_turns else rgb)


def _open_container(path: Path) -> av.container.InputContainer:
    try:
        return av.open(str(path), mode="r")
    except av.FFmpegError as error:
        raise SourceError(f"cannot open {path.name} as a video: {_reason(error)}") from None


def _video_stream(container: av.container.InputContainer, path: Path) -> av.video.stream.VideoStream:
    if not container.streams.video:
        raise SourceError(f"{path.name} holds no video stream")
    stream = container.streams.video[0]
    stream.thread_type = "AUTO"
    return stream


def _demux_index(container, stream, path: Path) -> VideoIndex:
    try:
        return build_index(container.demux(stream))
    except av.FFmpegError as error:
        raise SourceError(f"cannot read {path.name}: {_reason(error)}") from None


def _rate(stream) -> float | None:
    rate = stream.average_rate or stream.guessed_rate
    return float(rate) if rate else None


def _reason(error: av.FFmpegError) -> str:
    return getattr(error, "strerror", None) or str(error)
