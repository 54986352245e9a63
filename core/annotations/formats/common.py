"""Pieces the format readers and writers share: frame file names, XML in and out, linking per-frame boxes
into tracks for formats that have no track ids, and building the imported project."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy.optimize import linear_sum_assignment

from core.annotations.model import BoxRecord, Flag, Project, TrackObject, VideoInfo
from core.atomic import atomic_write_bytes
from core.boxes import Box, clip_box, iou
from core.errors import FormatError
from core.sources.folder import list_images

# per-frame boxes of one class overlapping at least this much on consecutive frames belong to one track
LINK_MIN_IOU = 0.3
LINK_MAX_GAP = 5  # frames a track may be missing and still be continued


def frame_names(video: VideoInfo) -> list[str]:
    """One file stem per frame: the image names of an image-folder source, else the 0-based index as six
    digits (as ImageNet VID and CVAT name extracted frames)."""
    if video.path.is_dir():
        images = list_images(video.path)
        if len(images) == video.frame_count:
            return [p.stem for p in images]
    return [f"{i:06d}" for i in range(video.frame_count)]


def image_names(video: VideoInfo) -> list[str]:
    """One image file name per frame (for formats that name the image)."""
    if video.path.is_dir():
        images = list_images(video.path)
        if len(images) == video.frame_count:
            return [p.name for p in images]
    return [f"{stem}.jpg" for stem in frame_names(video)]


def frame_lookup(video: VideoInfo | None) -> Callable[[str], int]:
    """A function from a file stem to its frame index: the source's own image names when it is an image
    folder, else the last number in the stem taken as a 0-based index."""
    by_name = {name: i for i, name in enumerate(frame_names(video))} if video is not None else {}

    def lookup(stem: str) -> int:
        if stem in by_name:
            return by_name[stem]
        numbers = re.findall(r"\d+", stem)
        if not numbers:
            raise FormatError(f"cannot tell which frame {stem!r} belongs to (no frame number in its name)")
        return int(numbers[-1])

    return lookup


def annotated_frames(project: Project) -> list[int]:
    """Frames on which some object has a record (an out-of-view record counts: that frame was looked at)."""
    return sorted({f for tid in project.objects for f in project.track(tid)})


def visible_records(project: Project, frame: int) -> list[tuple[TrackObject, BoxRecord]]:
    records = project.records_at(frame)
    return [(project.object(t), r) for t, r in sorted(records.items()) if not r.out_of_view]


def is_truncated(box: Box, video: VideoInfo) -> bool:
    return clip_box(box, video.frame_shape) != tuple(box)


def write_xml(root: ET.Element, path: Path) -> None:
    ET.indent(root, space="  ")
    atomic_write_bytes(path, ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n")


def read_xml(path: Path) -> ET.Element:
    try:
        return ET.parse(path).getroot()
    except ET.ParseError as exc:
        raise FormatError(f"{path.name} is not valid XML: {exc}") from None
    except OSError as exc:
        raise FormatError(f"cannot read {path}: {exc}") from None


def sub(parent: ET.Element, tag: str, text: object = None, **attrib: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attrib)
    if text is not None:
        element.text = str(text)
    return element


def child_text(element: ET.Element, tag: str, where: str, default: str | None = None) -> str:
    found = element.find(tag)
    if found is None or found.text is None:
        if default is not None:
            return default
        raise FormatError(f"{where}: <{element.tag}> has no <{tag}>")
    return found.text.strip()


def number(text: str, where: str) -> float:
    try:
        return float(text)
    except (TypeError, ValueError):
        raise FormatError(f"{where}: {text!r} is not a number") from None


def flag_set(occluded: bool = False, out_of_view: bool = False) -> frozenset[Flag]:
    return frozenset(f for f, on in ((Flag.OCCLUDED, occluded), (Flag.OUT_OF_VIEW, out_of_view)) if on)


def fmt(value: float, decimals: int) -> str:
    text = f"{value:.{decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


@dataclass
class ImportedTrack:
    label: str
    boxes: dict[int, BoxRecord]
    name: str = ""


def build_project(video: VideoInfo, tracks: Mapping[int, ImportedTrack]) -> Project:
    """A project from tracks read from a file, checking every frame lies inside the video."""
    for tid, imported in tracks.items():
        outside = [f for f in imported.boxes if not 0 <= f < video.frame_count]
        if outside:
            raise FormatError(
                f"track {tid} has a box on frame {outside[0]}, outside the video's "
                f"{video.frame_count} frames "
                "(is it the right video?)"
            )
    objects = [TrackObject(tid, t.label, name=t.name or f"{t.label} {tid}") for tid, t in tracks.items()]
    return Project(video, objects, {tid: t.boxes for tid, t in tracks.items()})


def resolve_video(video: VideoInfo | None, found: VideoInfo | None, fmt_name: str) -> VideoInfo:
    """The video to attach: the one given (checked against the size the file states) or the file's own."""
    if video is None:
        if found is None:
            raise FormatError(f"{fmt_name} files do not give the frame size: name the video they belong to")
        return found
    if found is not None and (found.width, found.height) != (video.width, video.height):
        raise FormatError(
            f"the {fmt_name} file is for {found.width}x{found.height} frames but {video.path.name} is "
            f"{video.width}x{video.height}"
        )
    return video


def link_into_tracks(detections: Mapping[int, list[tuple[str, BoxRecord]]]) -> dict[int, ImportedTrack]:
    """Join per-frame boxes into tracks for formats without ids: on each frame, boxes of the same class are
    matched to the tracks seen in the last few frames by IoU (optimal assignment); a match needs IoU >=
    LINK_MIN_IOU, an unmatched box starts a new track."""
    tracks: dict[int, ImportedTrack] = {}
    last_seen: dict[int, int] = {}
    for frame in sorted(detections):
        open_ids = [t for t, f in last_seen.items() if frame - f <= LINK_MAX_GAP]
        taken: set[int] = set()
        items = detections[frame]
        if open_ids and items:
            cost = np.ones((len(items), len(open_ids)))
            for i, (label, record) in enumerate(items):
                for j, tid in enumerate(open_ids):
                    if tracks[tid].label == label:
                        last_box = tracks[tid].boxes[last_seen[tid]].box
                        cost[i, j] = 1.0 - float(iou(np.array(record.box), np.array(last_box)))
            rows, cols = linear_sum_assignment(cost)
            for i, j in zip(rows, cols):
                if cost[i, j] <= 1.0 - LINK_MIN_IOU:
                    tid = open_ids[j]
                    tracks[tid].boxes[frame] = items[i][1]
                    last_seen[tid] = frame
                    taken.add(i)
        for i, (label, record) in enumerate(items):
            if i not in taken:
                tid = len(tracks) + 1
                tracks[tid] = ImportedTrack(label, {frame: record})
                last_seen[tid] = frame
    return tracks


def files_in(directory: Path, suffix: str, exclude: Iterable[str] = ()) -> list[Path]:
    if not directory.is_dir():
        raise FormatError(f"not a folder: {directory}")
    skip = set(exclude)
    files = sorted(p for p in directory.iterdir() if p.suffix.lower() == suffix and p.name not in skip)
    if not files:
        raise FormatError(f"no {suffix} files in {directory}")
    return files
