"""MOT Challenge text files (gt.txt): `frame,id,bb_left,bb_top,bb_width,bb_height,conf,class,visibility`.

Interpretation (MOT16 paper, CVAT's MOT format):
- frames are 1-based; box corners are written as SiamTrack's own pixel coordinates (as CVAT writes them).
- `conf` is the ground truth's "consider" flag: 1, or 0 for an out-of-view box (which also gets visibility 0).
- `class` is the 1-based line number of the label in `labels.txt` beside the file (CVAT's convention); without
  that file the MOT17 class numbers are used (1 pedestrian ... 12 reflection).
- `visibility` is a ratio; SiamTrack stores flags, so it writes 1 (visible), 0.25 (occluded) or 0 (out of
  view), and reads a ratio under 0.5 as occluded, 0 as out of view.
- Detection or result files with id -1 have no tracks: their boxes are linked into tracks by overlap. Extra
  columns (world x, y, z of the 10-column result format) are ignored.
- The frame size comes from the video or from a `seqinfo.ini` beside the file or one folder up.
"""

from __future__ import annotations

import configparser
from pathlib import Path

from core.annotations.formats.base import AnnotationFormat
from core.annotations.formats.common import (
    ImportedTrack,
    build_project,
    flag_set,
    fmt,
    link_into_tracks,
    resolve_video,
)
from core.annotations.model import BoxRecord, Origin, Project, VideoInfo
from core.atomic import atomic_write_text
from core.errors import FormatError

MOT17_CLASSES = (
    "pedestrian",
    "person on vehicle",
    "car",
    "bicycle",
    "motorbike",
    "non motorized vehicle",
    "static person",
    "distractor",
    "occluder",
    "occluder on the ground",
    "occluder full",
    "reflection",
)
LABELS_FILE = "labels.txt"
OCCLUDED_VISIBILITY = 0.25
OCCLUDED_BELOW = 0.5
DECIMALS = 2


def write(project: Project, path: Path) -> None:
    labels = sorted({obj.label for obj in project.objects.values()})
    class_of = {label: i + 1 for i, label in enumerate(labels)}
    lines = []
    for tid in sorted(project.objects):
        obj = project.object(tid)
        for frame, record in sorted(project.track(tid).items()):
            visibility = 0.0 if record.out_of_view else OCCLUDED_VISIBILITY if record.occluded else 1.0
            consider = 0 if record.out_of_view else 1
            box = ",".join(fmt(v, DECIMALS) for v in record.box)
            lines.append(
                (frame, tid, f"{frame + 1},{tid},{box},{consider},{class_of[obj.label]},{fmt(visibility, 2)}")
            )
    lines.sort()
    atomic_write_text(path, "".join(line + "\n" for _, _, line in lines))
    atomic_write_text(path.with_name(LABELS_FILE), "".join(label + "\n" for label in labels))


def read(path: Path, video: VideoInfo | None) -> Project:
    video = resolve_video(video, _seqinfo_video(path), "MOT")
    labels = _labels(path)
    with_ids: dict[int, ImportedTrack] = {}
    without_ids: dict[int, list] = {}
    for number, line in enumerate(_lines(path), start=1):
        frame, tid, label, record = _parse_line(line, labels, f"{path.name} line {number}")
        if tid < 0:
            without_ids.setdefault(frame, []).append((label, record))
            continue
        track = with_ids.setdefault(tid, ImportedTrack(label, {}))
        if frame in track.boxes:
            raise FormatError(f"{path.name} line {number}: track {tid} has two boxes on frame {frame + 1}")
        track.boxes[frame] = record
    for linked in link_into_tracks(without_ids).values():
        with_ids[max(with_ids, default=0) + 1] = linked
    return build_project(video, with_ids)


def _parse_line(line: str, labels: dict[int, str], where: str) -> tuple[int, int, str, BoxRecord]:
    values = [v.strip() for v in line.split(",")]
    if len(values) < 6:
        raise FormatError(f"{where}: expected frame,id,x,y,w,h[,conf,class,visibility], got {line!r}")
    try:
        numbers = [float(v) for v in values]
    except ValueError:
        raise FormatError(f"{where}: not a list of numbers: {line!r}") from None
    frame, tid = int(numbers[0]) - 1, int(numbers[1])
    box = tuple(numbers[2:6])
    if frame < 0 or box[2] <= 0 or box[3] <= 0:
        raise FormatError(f"{where}: frame numbers start at 1 and boxes need a positive size: {line!r}")
    class_id = int(numbers[7]) if len(numbers) > 7 else -1
    label = labels.get(class_id, f"class {class_id}") if class_id > 0 else "object"
    visibility = numbers[8] if len(numbers) > 8 and 0.0 <= numbers[8] <= 1.0 else 1.0
    flags = flag_set(occluded=0.0 < visibility < OCCLUDED_BELOW, out_of_view=visibility == 0.0)
    return frame, tid, label, BoxRecord(box, Origin.IMPORTED, None, flags)


def _lines(path: Path) -> list[str]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise FormatError(f"cannot read {path}: {exc}") from None
    return [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def _labels(path: Path) -> dict[int, str]:
    labels_path = path.with_name(LABELS_FILE)
    if labels_path.is_file():
        names = [n.strip() for n in labels_path.read_text(encoding="utf-8").splitlines() if n.strip()]
    else:
        names = list(MOT17_CLASSES)
    return {i + 1: name for i, name in enumerate(names)}


def _seqinfo_video(path: Path) -> VideoInfo | None:
    for candidate in (path.with_name("seqinfo.ini"), path.parent.parent / "seqinfo.ini"):
        if candidate.is_file():
            parser = configparser.ConfigParser()
            try:
                parser.read(candidate, encoding="utf-8")
                seq = parser["Sequence"]
                return VideoInfo(
                    candidate.parent / seq.get("imDir", "img1"),
                    int(seq["seqLength"]),
                    int(seq["imWidth"]),
                    int(seq["imHeight"]),
                    float(seq["frameRate"]) if "frameRate" in seq else None,
                )
            except (configparser.Error, KeyError, ValueError) as exc:
                raise FormatError(f"{candidate}: not a MOT seqinfo.ini ({exc})") from None
    return None


FORMAT = AnnotationFormat(
    name="mot",
    description="MOT Challenge gt.txt (1-based frames; labels.txt beside it)",
    read=read,
    write=write,
    writes_folder=False,
    keeps_occluded=True,
    keeps_out_of_view=True,
    decimals=DECIMALS,
)
