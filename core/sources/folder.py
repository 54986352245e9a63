"""Image folders as frame sources, in natural order (frame2 before frame10)."""

from __future__ import annotations

import os
import re
import threading
from pathlib import Path

import cv2
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
from core.sources.color import opencv_to_rgb

IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".bmp", ".tif", ".tiff", ".webp"}
# Keep 16-bit depth and gray as they are (converted on the way in), but honour EXIF orientation.
_IMREAD_FLAGS = cv2.IMREAD_ANYDEPTH | cv2.IMREAD_ANYCOLOR


def natural_key(name: str) -> list:
    return [int(part) if part.isdigit() else part.lower() for part in re.split(r"(\d+)", name)]


def list_images(directory: str | Path) -> list[Path]:
    directory = Path(directory)
    files = [p for p in directory.iterdir() if p.is_file() and p.suffix.lower() in IMAGE_SUFFIXES]
    return sorted(files, key=lambda p: natural_key(p.name))


def read_image(path: Path) -> Frame:
    """One image file → RGB uint8; SourceError naming the file when it cannot be read."""
    try:
        data = np.fromfile(path, dtype=np.uint8)  # not cv2.imread: it fails on non-ASCII paths on Windows
    except OSError as error:
        raise SourceError(f"cannot read image {path}: {error.strerror or error}") from None
    image = cv2.imdecode(data, _IMREAD_FLAGS) if data.size else None
    if image is None:
        raise SourceError(f"cannot decode image {path} (corrupt or not an image)")
    try:
        return opencv_to_rgb(image)
    except ValueError as error:
        raise SourceError(f"image {path}: {error}") from None


class ImageFolderSource(SourceBase):
    """A folder of images, one frame each. Every image must have the size of the first."""

    is_live = False

    def __init__(
        self, directory: str | os.PathLike, fps: float | None = None, cache_bytes: int = DEFAULT_CACHE_BYTES
    ) -> None:
        self.directory = Path(directory)
        if not self.directory.is_dir():
            raise SourceError(f"image folder not found: {self.directory}")
        self.paths = list_images(self.directory)
        if not self.paths:
            suffixes = ", ".join(sorted(s.lstrip(".") for s in IMAGE_SUFFIXES))
            raise SourceError(f"no images ({suffixes}) in {self.directory}")
        self.frame_count = len(self.paths)
        self.fps = fps
        self._cache = FrameCache(cache_bytes)
        self._lock = threading.Lock()
        first = read_image(self.paths[0])
        self.frame_size = (first.shape[1], first.shape[0])
        self._cache.put(0, read_only(first))
        rate = f", {format_fps(fps)}" if fps else ""
        self.description = f"{_folder_name(self.directory)} — {format_size(self.frame_size)}{rate}, {self.frame_count} images"
        self._closed = False

    def close(self) -> None:
        with self._lock:
            self._closed = True
            self._cache.clear()

    def read(self, index: int) -> Frame:
        index = self._check_index(index)
        with self._lock:
            if self._closed:
                raise closed_error(self.description)
            frame = self._cache.get(index)
        if frame is None:
            frame = read_only(self._checked_size(read_image(self.paths[index]), self.paths[index]))
            with self._lock:
                self._cache.put(index, frame)
        return frame

    def frames(self, start: int = 0, stop: int | None = None, step: int = 1) -> IndexedFrames:
        indices = self._frame_range(start, stop, step)
        return ((index, self.read(index)) for index in indices)

    def _checked_size(self, frame: Frame, path: Path) -> Frame:
        if (frame.shape[1], frame.shape[0]) != self.frame_size:
            raise SourceError(
                f"{path.name} is {frame.shape[1]}×{frame.shape[0]}, but the folder's frames are "
                f"{format_size(self.frame_size)} (from {self.paths[0].name})"
            )
        return frame


def _folder_name(directory: Path) -> str:
    """ "vot15_ball1/img" rather than just "img": image folders are often named generically."""
    resolved = directory.resolve()
    return f"{resolved.parent.name}/{resolved.name}" if resolved.parent.name else resolved.name
