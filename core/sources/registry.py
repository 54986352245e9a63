"""open_source(spec): a folder, a video file, a camera index or a stream URL → the matching FrameSource."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from core.errors import SourceError
from core.sources.base import FrameSource
from core.sources.folder import IMAGE_SUFFIXES, ImageFolderSource
from core.sources.video import VIDEO_SUFFIXES, VideoFileSource
from core.sources.webcam import WebcamSource, is_camera_spec

SourceSpec = str | int | os.PathLike


@dataclass(frozen=True)
class SourceKind:
    name: str
    matches: Callable[[SourceSpec], bool]
    open: Callable[[SourceSpec], FrameSource]


def _as_path(spec: SourceSpec) -> Path | None:
    if isinstance(spec, (str, os.PathLike)) and str(spec).strip():
        return Path(os.path.expanduser(os.fspath(spec)))
    return None


def _is_folder(spec: SourceSpec) -> bool:
    path = _as_path(spec)
    return path is not None and path.is_dir()


def _is_video_file(spec: SourceSpec) -> bool:
    """A video suffix (reported as missing if absent), or any existing file that is not an image."""
    path = _as_path(spec)
    if path is None or (is_camera_spec(spec) and not path.exists()):
        return False
    suffix = path.suffix.lower()
    return suffix in VIDEO_SUFFIXES or (path.is_file() and suffix not in IMAGE_SUFFIXES)


def _is_image_file(spec: SourceSpec) -> bool:
    path = _as_path(spec)
    return path is not None and path.is_file() and path.suffix.lower() in IMAGE_SUFFIXES


def _refuse_single_image(spec: SourceSpec) -> FrameSource:
    path = _as_path(spec)
    raise SourceError(
        f"{path.name} is a single image: open its folder ({path.parent}) to use the images as frames"
    )


# Tried in order; existing paths come before camera specs, so a folder named "0" opens as a folder.
SOURCE_KINDS: tuple[SourceKind, ...] = (
    SourceKind("image folder", _is_folder, lambda spec: ImageFolderSource(_as_path(spec))),
    SourceKind("image file", _is_image_file, _refuse_single_image),
    SourceKind("video file", _is_video_file, lambda spec: VideoFileSource(_as_path(spec))),
    SourceKind("camera or stream", is_camera_spec, WebcamSource.open),
)


def open_source(spec: SourceSpec, kinds: tuple[SourceKind, ...] = SOURCE_KINDS) -> FrameSource:
    for kind in kinds:
        if kind.matches(spec):
            return kind.open(spec)
    raise SourceError(
        f"cannot open {str(spec)!r}: no such file or folder, and not a camera (0, webcam:0) or stream URL"
    )
