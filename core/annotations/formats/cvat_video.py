"""CVAT for video 1.1 XML: one file with <meta> and a <track> per object holding its <box>es.

Written: <annotations><version>1.1</version><meta><task> with name, size (frame count), mode
interpolation, overlap 0, flipped False, the labels (name, colour, type rectangle) and original_size
(width, height)</task></meta>, then <track id label source="manual"> with <box frame outside occluded
keyframe xtl ytl xbr ybr z_order="0">. Coordinates are CVAT's: continuous 0-based pixels, corners
(xbr = x + w), two decimals. `keyframe` is 1 for manual boxes. CVAT interpolates between a track's boxes
until a box says `outside="1"`, so out-of-view boxes are written with outside 1, and so is the frame after
each run of boxes that stops before the video's end (as CVAT itself does): read back, such a closing box
becomes an out-of-view record. Reading takes `<box>` shapes only (other shapes are skipped), keyframe boxes
as manual keyframes and the others as imported; CVAT for images files (no tracks) are refused.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from core.annotations.formats.base import AnnotationFormat
from core.annotations.formats.common import (
    ImportedTrack,
    build_project,
    child_text,
    flag_set,
    fmt,
    number,
    read_xml,
    resolve_video,
    sub,
    write_xml,
)
from core.annotations.model import BoxRecord, Origin, Project, VideoInfo
from core.boxes import from_corners, to_corners
from core.errors import FormatError

DECIMALS = 2


def write(project: Project, path: Path) -> None:
    video = project.video
    root = ET.Element("annotations")
    sub(root, "version", "1.1")
    task = sub(sub(root, "meta"), "task")
    sub(task, "name", video.path.name)
    sub(task, "size", video.frame_count)
    sub(task, "mode", "interpolation")
    sub(task, "overlap", 0)
    sub(task, "flipped", "False")
    labels = sub(task, "labels")
    colours: dict[str, str] = {}
    for obj in sorted(project.objects.values(), key=lambda o: o.id):
        colours.setdefault(obj.label, obj.colour)
    for label, colour in sorted(colours.items()):
        entry = sub(labels, "label")
        sub(entry, "name", label)
        sub(entry, "color", colour)
        sub(entry, "type", "rectangle")
        sub(entry, "attributes")
    original = sub(task, "original_size")
    sub(original, "width", video.width)
    sub(original, "height", video.height)
    for tid in sorted(project.objects):
        _write_track(root, project, tid)
    write_xml(root, path)


def _write_track(root: ET.Element, project: Project, tid: int) -> None:
    track = project.track(tid)
    element = sub(root, "track", id=str(tid), label=project.object(tid).label, source="manual")
    for frame in sorted(track):
        record = track[frame]
        _box(element, frame, record, outside=record.out_of_view)
        closes_run = frame + 1 not in track and frame + 1 < project.video.frame_count
        if closes_run and not record.out_of_view:
            _box(element, frame + 1, record, outside=True)


def _box(track: ET.Element, frame: int, record: BoxRecord, outside: bool) -> None:
    x1, y1, x2, y2 = (fmt(v, DECIMALS) for v in to_corners(record.box))
    sub(
        track,
        "box",
        frame=str(frame),
        outside=str(int(outside)),
        occluded=str(int(record.occluded)),
        keyframe=str(int(record.is_keyframe or outside)),
        xtl=x1,
        ytl=y1,
        xbr=x2,
        ybr=y2,
        z_order="0",
    )


def read(path: Path, video: VideoInfo | None) -> Project:
    root = read_xml(path)
    if root.tag != "annotations":
        raise FormatError(f"{path.name} is not a CVAT XML file (root <{root.tag}>)")
    tracks = root.findall("track")
    if not tracks and root.find("image") is not None:
        raise FormatError(f"{path.name} is a CVAT for images file; export the task as 'CVAT for video 1.1'")
    video = resolve_video(video, _video(root, path), "CVAT")
    imported = {}
    for element in tracks:
        tid = int(number(element.get("id"), f"{path.name} <track>"))
        if tid in imported:
            raise FormatError(f"{path.name}: track id {tid} appears twice")
        boxes = {}
        for box in element.findall("box"):
            frame, record = _read_box(box, f"{path.name} track {tid}")
            boxes[frame] = record
        if boxes:
            imported[tid] = ImportedTrack(element.get("label") or "object", boxes)
    return build_project(video, imported)


def _read_box(box: ET.Element, where: str) -> tuple[int, BoxRecord]:
    def attribute(name: str, default: str | None = None) -> str:
        value = box.get(name, default)
        if value is None:
            raise FormatError(f"{where}: a <box> has no {name!r}")
        return value

    frame = int(number(attribute("frame"), where))
    corners = [number(attribute(n), where) for n in ("xtl", "ytl", "xbr", "ybr")]
    outside, occluded, keyframe = (attribute(n, "0") == "1" for n in ("outside", "occluded", "keyframe"))
    if corners[2] <= corners[0] or corners[3] <= corners[1]:
        raise FormatError(f"{where}: the box on frame {frame} has no area")
    origin = Origin.MANUAL if keyframe and not outside else Origin.IMPORTED
    return frame, BoxRecord(from_corners(*corners), origin, None, flag_set(occluded, outside))


def _video(root: ET.Element, path: Path) -> VideoInfo | None:
    task = root.find("meta/task")
    if task is None:
        return None
    original = task.find("original_size")
    if original is None:
        return None
    width = int(number(child_text(original, "width", path.name), path.name))
    height = int(number(child_text(original, "height", path.name), path.name))
    size = int(number(child_text(task, "size", path.name), path.name))
    return VideoInfo(
        path.parent / child_text(task, "name", path.name, default=path.stem), size, width, height
    )


FORMAT = AnnotationFormat(
    name="cvat-video",
    description="CVAT for video 1.1 XML (tracks of boxes with outside / occluded / keyframe)",
    read=read,
    write=write,
    writes_folder=False,
    keeps_occluded=True,
    keeps_out_of_view=True,
    decimals=DECIMALS,
)
