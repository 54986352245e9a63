"""YOLO text labels: a folder with one `STEM.txt` per annotated frame, lines `class cx cy w h` normalised
to the frame size (0..1), and `classes.txt` naming class 0, 1, ... one per line.

YOLO has no track ids, no occluded and no out-of-view flags: written boxes are clipped to the frame (out-of-
view boxes are left out), and reading links boxes into tracks by overlap on consecutive frames, so ids are
new after a round trip. A label file is written for every frame that has a record (an empty file means the
frame was annotated and holds nothing); STEM is the image's name for an image-folder source, else the
0-based frame index as six digits.
"""

from __future__ import annotations

from pathlib import Path

from core.annotations.formats.base import AnnotationFormat
from core.annotations.formats.common import (
    annotated_frames,
    build_project,
    files_in,
    fmt,
    frame_lookup,
    frame_names,
    link_into_tracks,
    visible_records,
)
from core.annotations.model import BoxRecord, Origin, Project, VideoInfo
from core.atomic import atomic_write_text
from core.boxes import box_from_center, center_of, clip_box
from core.errors import FormatError

CLASSES_FILE = "classes.txt"
DECIMALS = 6


def write(project: Project, folder: Path) -> None:
    video = project.video
    labels = sorted({obj.label for obj in project.objects.values()})
    class_of = {label: i for i, label in enumerate(labels)}
    names = frame_names(video)
    folder.mkdir(parents=True, exist_ok=True)
    atomic_write_text(folder / CLASSES_FILE, "".join(label + "\n" for label in labels))
    for frame in annotated_frames(project):
        lines = []
        for obj, record in visible_records(project, frame):
            x, y, w, h = clip_box(record.box, video.frame_shape)
            if w <= 0 or h <= 0:
                continue
            cx, cy = center_of((x, y, w, h))
            values = (cx / video.width, cy / video.height, w / video.width, h / video.height)
            lines.append(f"{class_of[obj.label]} " + " ".join(fmt(v, DECIMALS) for v in values))
        atomic_write_text(folder / f"{names[frame]}.txt", "".join(line + "\n" for line in lines))


def read(folder: Path, video: VideoInfo | None) -> Project:
    if video is None:
        raise FormatError("YOLO labels are relative to the frame size: name the video they belong to")
    labels = _classes(folder)
    lookup = frame_lookup(video)
    detections: dict[int, list] = {}
    for path in files_in(folder, ".txt", exclude=(CLASSES_FILE,)):
        frame = lookup(path.stem)
        detections[frame] = [
            _parse_line(line, labels, video, f"{path.name} line {n}")
            for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
            if line.strip()
        ]
    return build_project(video, link_into_tracks(detections))


def _parse_line(line: str, labels: list[str], video: VideoInfo, where: str) -> tuple[str, BoxRecord]:
    values = line.split()
    if len(values) < 5:
        raise FormatError(f"{where}: expected 'class cx cy w h', got {line!r}")
    try:
        class_id = int(values[0])
        cx, cy, w, h = (float(v) for v in values[1:5])
    except ValueError:
        raise FormatError(f"{where}: expected 'class cx cy w h', got {line!r}") from None
    if w <= 0 or h <= 0:
        raise FormatError(f"{where}: a box needs a positive width and height")
    label = labels[class_id] if 0 <= class_id < len(labels) else f"class {class_id}"
    box = box_from_center(cx * video.width, cy * video.height, w * video.width, h * video.height)
    return label, BoxRecord(box, Origin.IMPORTED)


def _classes(folder: Path) -> list[str]:
    for name in (CLASSES_FILE, "obj.names"):
        if (folder / name).is_file():
            return [n.strip() for n in (folder / name).read_text(encoding="utf-8").splitlines() if n.strip()]
    return []


FORMAT = AnnotationFormat(
    name="yolo",
    description="YOLO labels: a folder of per-frame .txt (normalised cx cy w h) + classes.txt; no track ids",
    read=read,
    write=write,
    writes_folder=True,
    keeps_ids=False,
    decimals=3,  # 6 decimals of the frame size: about 1/1000 pixel for frames up to 1000 px
)
