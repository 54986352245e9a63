"""What every annotation format offers: a reader producing a Project and a writer taking one."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from core.annotations.model import Project, VideoInfo

Reader = Callable[[Path, "VideoInfo | None"], Project]
Writer = Callable[[Project, Path], None]


@dataclass(frozen=True)
class AnnotationFormat:
    name: str  # as typed after --format
    description: str  # one line for --help
    read: Reader  # read(path, video) -> Project; video may be None when the file states the frame size
    write: Writer  # write(project, path)
    writes_folder: bool  # the output is a folder of per-frame files (else one file)
    keeps_ids: bool = True  # track ids survive a round trip (else tracks are re-linked by overlap)
    keeps_labels: bool = True  # class labels survive a round trip
    keeps_occluded: bool = False
    keeps_out_of_view: bool = False
    single_object: bool = False  # holds exactly one object
    decimals: int | None = None  # coordinate precision in pixels' decimals (None: whole pixels)
