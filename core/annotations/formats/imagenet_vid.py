"""ImageNet VID (ILSVRC 2015) XML: a folder with one `STEM.xml` per annotated frame (STEM = the 0-based frame
index as six digits for a video, as ILSVRC names its frames).

Each file: <annotation> with <folder>, <filename> (the stem), <source><database>, <size> (width, height),
and per visible object <object> with <trackid>, <name>, <bndbox> (xmax, xmin, ymax, ymin), <occluded>
and <generated>. Interpretation: corners are whole 0-based pixel indices, both inclusive (the GOT-10k
toolkit's reader turns them into x = xmin, w = xmax - xmin + 1), so a box covering [x, x+w) is written
xmin = x, xmax = x+w-1 (rounded). <generated> is 1 for boxes a program made (tracked or interpolated; the
devkit: "generated using linear interpolation") and is read back as an interpolated box. <name> is the
WordNet id for the 30 VID classes (airplane <-> n02691156 ...); other labels are written as they are.
ILSVRC has no out-of-view flag: out-of-view boxes are left out.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from core.annotations.formats.base import AnnotationFormat
from core.annotations.formats.common import (
    ImportedTrack,
    annotated_frames,
    build_project,
    child_text,
    files_in,
    flag_set,
    frame_lookup,
    frame_names,
    number,
    read_xml,
    resolve_video,
    sub,
    visible_records,
    write_xml,
)
from core.annotations.model import BoxRecord, Origin, Project, VideoInfo
from core.errors import FormatError

VID_CLASSES = {
    "airplane": "n02691156",
    "antelope": "n02419796",
    "bear": "n02131653",
    "bicycle": "n02834778",
    "bird": "n01503061",
    "bus": "n02924116",
    "car": "n02958343",
    "cattle": "n02402425",
    "dog": "n02084071",
    "domestic_cat": "n02121808",
    "elephant": "n02503517",
    "fox": "n02118333",
    "giant_panda": "n02510455",
    "hamster": "n02342885",
    "horse": "n02374451",
    "lion": "n02129165",
    "lizard": "n01674464",
    "monkey": "n02484322",
    "motorcycle": "n03790512",
    "rabbit": "n02324045",
    "red_panda": "n02509815",
    "sheep": "n02411705",
    "snake": "n01726692",
    "squirrel": "n02355227",
    "tiger": "n02129604",
    "train": "n04468005",
    "turtle": "n01662784",
    "watercraft": "n04530566",
    "whale": "n02062744",
    "zebra": "n02391049",
}
LABEL_OF_WNID = {wnid: label for label, wnid in VID_CLASSES.items()}
MACHINE_MADE = (Origin.TRACKED, Origin.INTERPOLATED)


def write(project: Project, folder: Path) -> None:
    video = project.video
    stems = frame_names(video)
    folder_name = video.path.name if video.path.is_dir() else video.path.stem
    folder.mkdir(parents=True, exist_ok=True)
    for frame in annotated_frames(project):
        root = ET.Element("annotation")
        sub(root, "folder", folder_name)
        sub(root, "filename", stems[frame])
        sub(sub(root, "source"), "database", "SiamTrack")
        size = sub(root, "size")
        sub(size, "width", video.width)
        sub(size, "height", video.height)
        for obj, record in visible_records(project, frame):
            item = sub(root, "object")
            sub(item, "trackid", obj.id)
            sub(item, "name", VID_CLASSES.get(obj.label, obj.label))
            x, y, w, h = record.box
            bndbox = sub(item, "bndbox")
            for tag, value in (("xmax", x + w - 1), ("xmin", x), ("ymax", y + h - 1), ("ymin", y)):
                sub(bndbox, tag, round(value))
            sub(item, "occluded", int(record.occluded))
            sub(item, "generated", int(record.origin in MACHINE_MADE))
        write_xml(root, folder / f"{stems[frame]}.xml")


def read(folder: Path, video: VideoInfo | None) -> Project:
    lookup = frame_lookup(video)
    tracks: dict[int, ImportedTrack] = {}
    size = None
    last_frame = 0
    for path in files_in(folder, ".xml"):
        root = read_xml(path)
        if root.tag != "annotation":
            raise FormatError(f"{path.name} is not an ImageNet VID annotation (root <{root.tag}>)")
        frame = lookup(path.stem)
        last_frame = max(last_frame, frame)
        size = size or _size(root, path.name)
        for item in root.findall("object"):
            tid, label, record = _object(item, path.name)
            track = tracks.setdefault(tid, ImportedTrack(label, {}))
            if frame in track.boxes:
                raise FormatError(f"{path.name}: track {tid} appears twice")
            track.boxes[frame] = record
    found = VideoInfo(folder, last_frame + 1, *size) if size else None
    return build_project(resolve_video(video, found, "ImageNet VID"), tracks)


def _size(root: ET.Element, where: str) -> tuple[int, int] | None:
    size = root.find("size")
    if size is None:
        return None
    return int(number(child_text(size, "width", where), where)), int(
        number(child_text(size, "height", where), where)
    )


def _object(item: ET.Element, where: str) -> tuple[int, str, BoxRecord]:
    tid = int(number(child_text(item, "trackid", where), where))
    name = child_text(item, "name", where)
    bndbox = item.find("bndbox")
    if bndbox is None:
        raise FormatError(f"{where}: an <object> has no <bndbox>")
    xmin, ymin, xmax, ymax = (
        number(child_text(bndbox, t, where), where) for t in ("xmin", "ymin", "xmax", "ymax")
    )
    if xmax < xmin or ymax < ymin:
        raise FormatError(f"{where}: <bndbox> has xmax < xmin or ymax < ymin")
    generated = child_text(item, "generated", where, default="0") == "1"
    occluded = child_text(item, "occluded", where, default="0") == "1"
    record = BoxRecord(
        (xmin, ymin, xmax - xmin + 1, ymax - ymin + 1),
        Origin.INTERPOLATED if generated else Origin.IMPORTED,
        None,
        flag_set(occluded=occluded),
    )
    return tid, LABEL_OF_WNID.get(name, name), record


FORMAT = AnnotationFormat(
    name="imagenet-vid",
    description="ImageNet VID XML: a folder of per-frame .xml with trackid, WordNet name, 0-based corners",
    read=read,
    write=write,
    writes_folder=True,
    keeps_occluded=True,
)
