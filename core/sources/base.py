"""The one interface every frame source offers (video file, image folder, camera), and what they share.

Frames are RGB uint8 arrays H×W×3, indices 0-based. Seekable sources return the exact frame `index` every
time, whatever order the reads come in. Returned frames are read-only (they may be shared with a cache):
copy one before drawing on it.
"""

from __future__ import annotations

import operator
from collections.abc import Iterator
from typing import TYPE_CHECKING, Protocol, runtime_checkable

import numpy as np

from core.errors import SourceError

if TYPE_CHECKING:
    from typing_extensions import Self  # typing.Self from Python 3.11

Frame = np.ndarray
IndexedFrames = Iterator[tuple[int, Frame]]


@runtime_checkable
class FrameSource(Protocol):
    description: str  # one line for the UI, e.g. "bag.avi — 480×360, 25 fps, 196 frames"
    frame_count: int | None  # None when unknown (camera, stream)
    fps: float | None
    frame_size: tuple[int, int]  # (width, height)
    is_live: bool  # camera or stream: no seeking

    def read(self, index: int) -> Frame:
        """Frame `index`; IndexError when out of range, SourceError when it cannot be decoded or seeking is
        impossible (live sources)."""
        ...

    def frames(self, start: int = 0, stop: int | None = None, step: int = 1) -> IndexedFrames:
        """(index, frame) pairs like range(start, stop, step); stop=None runs to the last frame (step > 0) or
        through frame 0 (step < 0). Live sources ignore the range and yield (counter, newest frame)."""
        ...

    def close(self) -> None: ...

    def __enter__(self) -> Self: ...

    def __exit__(self, *exc_info: object) -> None: ...


class SourceBase:
    """Context-manager support and index/range checking shared by the concrete sources."""

    description: str = ""
    frame_count: int | None = None
    fps: float | None = None
    frame_size: tuple[int, int] = (0, 0)
    is_live: bool = False

    def close(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.description!r})"

    def _check_index(self, index: int) -> int:
        index = operator.index(index)
        if self.frame_count is None or not 0 <= index < self.frame_count:
            raise IndexError(f"frame {index} is out of range (the source has {self.frame_count} frames)")
        return index

    def _frame_range(self, start: int, stop: int | None, step: int) -> range:
        return frame_range(self.frame_count or 0, start, stop, step)


def frame_range(frame_count: int, start: int, stop: int | None, step: int) -> range:
    """The indices frames(start, stop, step) visits; start must be a valid index, stop is clipped."""
    start, step = operator.index(start), operator.index(step)
    if step == 0:
        raise ValueError("step must not be zero")
    if not 0 <= start < frame_count:
        raise IndexError(f"start frame {start} is out of range (the source has {frame_count} frames)")
    if step > 0:
        stop = frame_count if stop is None else min(operator.index(stop), frame_count)
    else:
        stop = -1 if stop is None else max(operator.index(stop), -1)
    return range(start, stop, step)


def read_only(frame: Frame) -> Frame:
    frame.setflags(write=False)
    return frame


def format_size(size: tuple[int, int]) -> str:
    return f"{size[0]}×{size[1]}"


def format_fps(fps: float | None) -> str:
    return f"{fps:.2f}".rstrip("0").rstrip(".") + " fps" if fps else "unknown fps"


def closed_error(description: str) -> SourceError:
    return SourceError(f"{description.split(' — ')[0]} is closed")
