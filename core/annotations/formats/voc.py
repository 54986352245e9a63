"""PASCAL VOC XML: a folder with one `STEM.xml` per annotated frame.

Each file: <annotation> with <folder>, <filename> (the frame's image), <size> (width, height, depth 3),
<segmented>0, and per visible object <object> with <name> (the class label), <pose>Unspecified,
<truncated> (1 when the box reaches past the frame's edge), <difficult>0, <occluded> (VOC 2010+), and
<bndbox> xmin, ymin, xmax, ymax. VOC corners are whole 1-based pixel indices, both inclusive: a box
covering 0-based pixels [x, x+w) is written xmin = x+1, xmax = x+w (rounded), and read back as x = xmin-1,
w = xmax-xmin+1. VOC has no track ids and no out-of-view flag: out-of-view boxes are left out and reading
links boxes into tracks by overlap on consecutive frames, so ids are new after a round trip.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from core.annotations.formats.base import AnnotationFormat
from core.annotations.formats.common import (
    annotated_frames,
    build_project,
    child_text,
    files_in,
    flag_set,
    frame_lookup,
    frame_names,
    image_names,
    is_truncated,
    link_into_tracks,
    number,
    read_xml,
    resolve_video,
    sub,
    visible_records,
    write_xml,
)
from core.annotations.model import BoxRecord, Origin, Project, VideoInfo
from core.errors import FormatError


def write(project: Project, folder: Path) -> None:
    video = project.video
    stems, images = frame_names(video), image_names(video)
    folder_name = video.path.name if video.path.is_dir() else video.path.stem
    folder.mkdir(parents=True, exist_ok=True)
    for frame in annotated_frames(project):
        root = ET.Element("annotation")
        sub(root, "folder", folder_name)
        sub(root, "filename", images[frame])
        sub(sub(root, "source"), "database", "SiamTrack")
        size = sub(root, "size")
        sub(size, "width", video.width)
        sub(size, "height", video.height)
        sub(size, "depth", 3)
        sub(root, "segmented", 0)
        for obj, record in visible_records(project, frame):
            item = sub(root, "object")
            sub(item, "name", obj.label)
            sub(item, "pose", "Unspecified")
            sub(item, "truncated", int(is_truncated(record.box, video)))
            sub(item, "difficult", 0)
            sub(item, "occluded", int(record.occluded))
            x, y, w, h = record.box
            bndbox = sub(item, "bndbox")
            for tag, value in (("xmin", x + 1), ("ymin", y + 1), ("xmax", x + w), ("ymax", y + h)):
                sub(bndbox, tag, round(value))
        write_xml(root, folder / f"{stems[frame]}.xml")


def read(folder: Path, video: VideoInfo | None) -> Project:
    lookup = frame_lookup(video)
    detections: dict[int, list] = {}
    size = None
    for path in files_in(folder, ".xml"):
        root = read_xml(path)
        if root.tag != "annotation":
            raise FormatError(f"{path.name} is not a VOC annotation (root <{root.tag}>)")
        size = size or _size(root, path.name)
        detections[lookup(path.stem)] = [_object(item, path.name) for item in root.findall("object")]
    found = VideoInfo(folder, max(detections) + 1, *size) if size else None
    return build_project(resolve_video(video, found, "VOC"), link_into_tracks(detections))


def _size(root: ET.Element, where: str) -> tuple[int, int] | None:
    size = root.find("size")
    if size is None:
        return None
    return int(number(child_text(size, "width", where), where)), int(
        number(child_text(size, "height", where), where)
    )


def _object(item: ET.Element, where: str) -> tuple[str, BoxRecord]:
    bndbox = item.find("bndbox")
    if bndbox is None:
        raise FormatError(f"{where}: an <object> has no <bndbox>")
    xmin, ymin, xmax, ymax = (
        number(child_text(bndbox, t, where), where) for t in ("xmin", "ymin", "xmax", "ymax")
    )
    if xmax < xmin or ymax < ymin:
        raise FormatError(f"{where}: <bndbox> has xmax < xmin or ymax < ymin")
    box = (xmin - 1, ymin - 1, xmax - xmin + 1, ymax - ymin + 1)
    occluded = child_text(item, "occluded", where, default="0") == "1"
    return child_text(item, "name", where), BoxRecord(box, Origin.IMPORTED, None, flag_set(occluded=occluded))


FORMAT = AnnotationFormat(
    name="voc",
    description="PASCAL VOC XML: a folder of per-frame .xml (1-based pixel corners); no track ids",
    read=read,
    write=write,
    writes_folder=True,
    keeps_ids=False,
    keeps_occluded=True,
)
