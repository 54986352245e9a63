"""Single-object benchmark ground truth: OTB `groundtruth_rect.txt` and GOT-10k sequence folders.

Both hold one object and no class: export exactly one object (choose it with --track), and read it back as
"object". Both write one `x,y,w,h` line per frame of the video with x and y 1-based (OTB's Matlab
convention; GOT-10k's authors state theirs are 1-based too).
- OTB: a frame without a visible box is written `NaN,NaN,NaN,NaN` (as the shared training sequences do).
- GOT-10k: a folder with `groundtruth.txt` (4 decimals), `absence.label` (1 = target absent: frames without
  a box or out of view), `cover.label` (visible fraction in ninths 0..8: written 8 visible, 4 occluded, 0
  absent; read as occluded at 4 or less) and `cut_by_image.label` (1 = box reaches past the frame's edge).
  An out-of-view box keeps its coordinates with absence 1; a frame without a box is written `0,0,0,0`.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from core.annotations.formats.base import AnnotationFormat
from core.annotations.formats.common import (
    ImportedTrack,
    build_project,
    flag_set,
    fmt,
    is_truncated,
    resolve_video,
)
from core.annotations.model import BoxRecord, Origin, Project, VideoInfo
from core.atomic import atomic_write_text
from core.errors import FormatError
from core.sequences import read_groundtruth

OTB_DECIMALS = 2
GOT_DECIMALS = 4
LABEL = "object"
VISIBLE_COVER, OCCLUDED_COVER = 8, 4


def write_otb(project: Project, path: Path) -> None:
    track = _only_track(project, "OTB")
    lines = []
    for frame in range(project.video.frame_count):
        record = track.get(frame)
        visible = record is not None and not record.out_of_view
        lines.append(_one_based_line(record.box, OTB_DECIMALS) if visible else "NaN,NaN,NaN,NaN")
    atomic_write_text(path, "".join(line + "\n" for line in lines))


def read_otb(path: Path, video: VideoInfo | None) -> Project:
    video = resolve_video(video, None, "OTB")
    rows = _read_rows(path)
    boxes = {i: BoxRecord(_zero_based(row), Origin.IMPORTED) for i, row in enumerate(rows) if _is_box(row)}
    return build_project(video, {1: ImportedTrack(LABEL, boxes)})


def write_got10k(project: Project, folder: Path) -> None:
    track = _only_track(project, "GOT-10k")
    boxes, absence, cover, cut = [], [], [], []
    for frame in range(project.video.frame_count):
        record = track.get(frame)
        present = record is not None and not record.out_of_view
        boxes.append(_one_based_line(record.box, GOT_DECIMALS) if record else "0,0,0,0")
        absence.append(int(not present))
        cover.append(0 if not present else OCCLUDED_COVER if record.occluded else VISIBLE_COVER)
        cut.append(int(record is not None and is_truncated(record.box, project.video)))
    folder.mkdir(parents=True, exist_ok=True)
    for name, lines in (
        ("groundtruth.txt", boxes),
        ("absence.label", absence),
        ("cover.label", cover),
        ("cut_by_image.label", cut),
    ):
        atomic_write_text(folder / name, "".join(f"{line}\n" for line in lines))


def read_got10k(path: Path, video: VideoInfo | None) -> Project:
    folder = path if path.is_dir() else path.parent
    video = resolve_video(video, None, "GOT-10k")
    rows = _read_rows(folder / "groundtruth.txt")
    absence = _read_label(folder / "absence.label", len(rows), default=0)
    cover = _read_label(folder / "cover.label", len(rows), default=VISIBLE_COVER)
    boxes = {}
    for i, row in enumerate(rows):
        if _is_box(row):
            absent = absence[i] == 1
            flags = flag_set(occluded=not absent and cover[i] <= OCCLUDED_COVER, out_of_view=absent)
            boxes[i] = BoxRecord(_zero_based(row), Origin.IMPORTED, None, flags)
    return build_project(video, {1: ImportedTrack(LABEL, boxes)})


def _only_track(project: Project, name: str) -> dict[int, BoxRecord]:
    if len(project.objects) != 1:
        ids = ", ".join(str(t) for t in sorted(project.objects)) or "none"
        raise FormatError(f"{name} ground truth holds exactly one object; choose one (objects: {ids})")
    return dict(project.track(next(iter(project.objects))))


def _one_based_line(box, decimals: int) -> str:
    x, y, w, h = box
    return ",".join(fmt(v, decimals) for v in (x + 1, y + 1, w, h))


def _zero_based(row: np.ndarray) -> tuple[float, float, float, float]:
    return (float(row[0]) - 1.0, float(row[1]) - 1.0, float(row[2]), float(row[3]))


def _is_box(row: np.ndarray) -> bool:
    return all(math.isfinite(v) for v in row) and row[2] > 0 and row[3] > 0


def _read_rows(path: Path) -> np.ndarray:
    if not path.is_file():
        raise FormatError(f"ground-truth file not found: {path}")
    return read_groundtruth(path)


def _read_label(path: Path, count: int, default: int) -> list[int]:
    if not path.is_file():
        return [default] * count
    try:
        values = [int(float(v)) for v in path.read_text(encoding="utf-8").split()]
    except ValueError:
        raise FormatError(f"{path.name} is not a list of numbers") from None
    if len(values) < count:
        raise FormatError(f"{path.name} has {len(values)} lines for {count} ground-truth boxes")
    return values


OTB_FORMAT = AnnotationFormat(
    name="otb",
    description="OTB groundtruth_rect.txt (one object, 1-based x,y,w,h per frame, NaN when absent)",
    read=read_otb,
    write=write_otb,
    writes_folder=False,
    keeps_labels=False,
    single_object=True,
    decimals=OTB_DECIMALS,
)

GOT10K_FORMAT = AnnotationFormat(
    name="got10k",
    description="GOT-10k sequence folder: groundtruth.txt (one object, 1-based) + absence/cover labels",
    read=read_got10k,
    write=write_got10k,
    writes_folder=True,
    keeps_labels=False,
    keeps_occluded=True,
    keeps_out_of_view=True,
    single_object=True,
    decimals=GOT_DECIMALS,
)
