"""COCO-VID JSON (mmtracking's CocoVID, TAO): COCO with videos, per-frame images and track ids.

Written: `videos` [{id, name, width, height, fps?}], `images` [{id, video_id, frame_id (0-based),
frame_index (same, TAO's name), file_name, width, height}], `annotations` [{id, image_id, video_id,
category_id, instance_id, track_id (both the object's id), bbox [x, y, w, h] (0-based pixels), area,
iscrowd 0, occluded}], `tracks` [{id, category_id, video_id}] and `categories` [{id, name}] (ids from 1, as
pycocotools expects). An image is listed for every frame of the video; out-of-view boxes are not written
(COCO annotates only what is visible). Reading takes `frame_id` or `frame_index` (else the images' order),
`instance_id` or `track_id` (else boxes are linked into tracks by overlap), and the video named like the
given one when the file holds several.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from core.annotations.formats.base import AnnotationFormat
from core.annotations.formats.common import (
    ImportedTrack,
    build_project,
    flag_set,
    image_names,
    link_into_tracks,
    resolve_video,
)
from core.annotations.model import BoxRecord, Origin, Project, VideoInfo
from core.atomic import atomic_write_text
from core.errors import FormatError

DECIMALS = 2


def write(project: Project, path: Path) -> None:
    atomic_write_text(path, json.dumps(to_dict(project), indent=1) + "\n")


def to_dict(project: Project) -> dict[str, Any]:
    video = project.video
    labels = sorted({obj.label for obj in project.objects.values()})
    category = {label: i + 1 for i, label in enumerate(labels)}
    folder = video.path.name if video.path.is_dir() else video.path.stem
    entry = {"id": 1, "name": folder, "width": video.width, "height": video.height}
    if video.fps:
        entry["fps"] = video.fps
    images = [
        {
            "id": i + 1,
            "video_id": 1,
            "frame_id": i,
            "frame_index": i,
            "file_name": f"{folder}/{name}",
            "width": video.width,
            "height": video.height,
        }
        for i, name in enumerate(image_names(video))
    ]
    annotations = []
    for tid in sorted(project.objects):
        cat = category[project.object(tid).label]
        for frame, record in sorted(project.track(tid).items()):
            if record.out_of_view:
                continue
            x, y, w, h = (round(v, DECIMALS) for v in record.box)
            annotations.append(
                {
                    "id": len(annotations) + 1,
                    "image_id": frame + 1,
                    "video_id": 1,
                    "category_id": cat,
                    "instance_id": tid,
                    "track_id": tid,
                    "bbox": [x, y, w, h],
                    "area": round(w * h, DECIMALS),
                    "iscrowd": 0,
                    "occluded": record.occluded,
                }
            )
    tracks = [
        {"id": tid, "category_id": category[o.label], "video_id": 1}
        for tid, o in sorted(project.objects.items())
    ]
    categories = [{"id": i, "name": label} for label, i in category.items()]
    return {
        "info": {"description": f"{folder} annotated with SiamTrack"},
        "videos": [entry],
        "images": images,
        "annotations": annotations,
        "tracks": tracks,
        "categories": categories,
    }


def read(path: Path, video: VideoInfo | None) -> Project:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise FormatError(f"cannot read {path}: {exc}") from None
    except json.JSONDecodeError as exc:
        raise FormatError(f"{path.name} is not valid JSON (line {exc.lineno}: {exc.msg})") from None
    try:
        return _from_dict(data, video, path)
    except (KeyError, TypeError, ValueError) as exc:
        raise FormatError(f"{path.name} is not COCO-VID JSON: {type(exc).__name__} {exc}") from None


def _from_dict(data: dict, video: VideoInfo | None, path: Path) -> Project:
    entry = _choose_video(data.get("videos") or [{"id": None}], video)
    images = [im for im in data["images"] if entry["id"] is None or im.get("video_id") == entry["id"]]
    if not images:
        named = f" for video {entry['name']!r}" if entry.get("name") else ""
        raise FormatError(f"{path.name} lists no images{named}")
    images.sort(key=lambda im: (im.get("frame_id", im.get("frame_index", 0)), im["id"]))
    frame_of = {im["id"]: im.get("frame_id", im.get("frame_index", i)) for i, im in enumerate(images)}
    names = {c["id"]: c["name"] for c in data["categories"]}
    width = entry.get("width") or images[0]["width"]
    height = entry.get("height") or images[0]["height"]
    found = VideoInfo(
        path.parent / str(entry.get("name", path.stem)),
        max(frame_of.values()) + 1,
        width,
        height,
        entry.get("fps"),
    )
    video = resolve_video(video, found, "COCO-VID")
    tracks: dict[int, ImportedTrack] = {}
    unlinked: dict[int, list] = {}
    for ann in data["annotations"]:
        if ann["image_id"] not in frame_of:
            continue
        frame = frame_of[ann["image_id"]]
        label = names[ann["category_id"]]
        record = BoxRecord(
            tuple(float(v) for v in ann["bbox"]),
            Origin.IMPORTED,
            None,
            flag_set(occluded=bool(ann.get("occluded", False))),
        )
        tid = ann.get("instance_id", ann.get("track_id"))
        if tid is None:
            unlinked.setdefault(frame, []).append((label, record))
        else:
            tracks.setdefault(int(tid), ImportedTrack(label, {})).boxes[frame] = record
    for linked in link_into_tracks(unlinked).values():
        tracks[max(tracks, default=0) + 1] = linked
    return build_project(video, tracks)


def _choose_video(videos: list[dict], video: VideoInfo | None) -> dict:
    if len(videos) == 1:
        return videos[0]
    wanted = None if video is None else {video.path.stem, video.path.name}
    matches = [v for v in videos if wanted and str(v.get("name", "")).split("/")[-1] in wanted]
    if len(matches) != 1:
        names = ", ".join(str(v.get("name")) for v in videos[:5])
        raise FormatError(
            f"the file holds {len(videos)} videos ({names}...): name the one to import with its video"
        )
    return matches[0]


FORMAT = AnnotationFormat(
    name="coco-vid",
    description="COCO-VID / TAO JSON (videos, images with frame_id, annotations with instance_id)",
    read=read,
    write=write,
    writes_folder=False,
    keeps_occluded=True,
    decimals=DECIMALS,
)
