"""The project file: readable, versioned JSON written atomically, e.g. `bag.siamtrack.json` beside `bag.avi`.

```
{
  "format": "siamtrack-project",
  "version": 1,
  "video": {"path": "bag.avi", "frame_count": 196, "width": 480, "height": 360, "fps": 25.0},
  "objects": [
    {"id": 1, "label": "bag", "name": "bag 1", "colour": "#e6194b", "hidden": false, "boxes": [
      {"frame": 0, "box": [291.827, 124.711, 150.346, 139.578], "origin": "manual"},
      {"frame": 1, "box": [292.1, 125.0, 150.9, 140.1], "origin": "tracked", "score": 0.8123,
       "flags": ["review"], "reasons": ["low_score"], "suggested": ["occluded"]}
    ]}
  ]
}
```
One box per line. The video path is stored relative to the project file when it can be. Boxes are written
to 1/1000 pixel, scores to 4 decimals. Loading checks everything and raises FormatError with the place of
the first problem (bad JSON, a file cut short, an unknown version, a box outside the video...).
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from core.annotations.model import BoxRecord, Flag, Origin, Project, Reason, TrackObject, VideoInfo
from core.atomic import atomic_open
from core.errors import FormatError, SiamTrackError

FORMAT_NAME = "siamtrack-project"
VERSION = 1
SUFFIX = ".siamtrack.json"
BOX_DECIMALS = 3
SCORE_DECIMALS = 4


def default_project_path(video_path: str | os.PathLike) -> Path:
    """`clip.mp4` -> `clip.siamtrack.json` beside it; an image folder `seq/img` -> `seq/img.siamtrack.json`
    beside the folder."""
    video = Path(video_path)
    stem = video.name if video.is_dir() else video.stem
    return video.with_name(stem + SUFFIX)


def save_project(project: Project, path: str | os.PathLike) -> None:
    """Write the project file atomically: a crash at any moment leaves the old file or the new one whole."""
    with atomic_open(path) as handle:
        for chunk in _project_chunks(project, Path(path).parent):
            handle.write(chunk)


def load_project(path: str | os.PathLike) -> Project:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise FormatError(f"project file not found: {path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise FormatError(f"cannot read project file {path.name}: {exc}") from None
    return project_from_text(text, path.parent, path.name)


def project_to_text(project: Project, base_dir: Path) -> str:
    return "".join(_project_chunks(project, base_dir))


def _project_chunks(project: Project, base_dir: Path) -> Iterator[str]:
    """The file's text in pieces (one object each), so that a big project is never held twice in memory."""
    head = {"format": FORMAT_NAME, "version": VERSION, "video": _video_to_dict(project.video, base_dir)}
    yield (
        "{\n"
        + "".join(f"  {json.dumps(k)}: {json.dumps(v)},\n" for k, v in head.items())
        + '  "objects": [\n'
    )
    for i, tid in enumerate(sorted(project.objects)):
        yield (",\n" if i else "") + _object_text(project, tid)
    yield "\n  ]\n}\n"


def project_from_text(text: str, base_dir: Path, name: str = "project file") -> Project:
    if not text.strip():
        raise FormatError(f"{name} is empty (it may have been cut short by a crash)")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise FormatError(
            f"{name} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}); "
            "it may have been cut short by a crash"
        ) from None
    try:
        return _project_from_dict(data, base_dir)
    except _Invalid as exc:
        raise FormatError(f"{name}: {exc}") from None


def record_to_dict(frame: int, record: BoxRecord) -> dict[str, Any]:
    out: dict[str, Any] = {
        "frame": frame,
        "box": [_round(v, BOX_DECIMALS) for v in record.box],
        "origin": record.origin.value,
    }
    if record.score is not None:
        out["score"] = _round(record.score, SCORE_DECIMALS)
    for key in ("flags", "reasons", "suggested"):
        values = getattr(record, key)
        if values:
            out[key] = sorted(v.value for v in values)
    return out


class _Invalid(Exception):
    """A problem in the file's content; the message names the place."""


def _object_text(project: Project, track_id: int) -> str:
    obj = project.object(track_id)
    fields = {"id": obj.id, "label": obj.label, "name": obj.name, "colour": obj.colour, "hidden": obj.hidden}
    track = project.track(track_id)
    boxes = ",\n".join("      " + json.dumps(record_to_dict(f, track[f])) for f in sorted(track))
    opening = "    " + json.dumps(fields)[:-1] + ', "boxes": ['
    return f"{opening}\n{boxes}\n    ]}}" if boxes else opening + "]}"


def _video_to_dict(video: VideoInfo, base_dir: Path) -> dict[str, Any]:
    return {
        "path": _relative_path(video.path, base_dir),
        "frame_count": video.frame_count,
        "width": video.width,
        "height": video.height,
        "fps": video.fps,
    }


def _relative_path(path: Path, base_dir: Path) -> str:
    try:
        return Path(os.path.relpath(path.absolute(), base_dir.absolute())).as_posix()
    except ValueError:  # another drive on Windows
        return path.absolute().as_posix()


def _round(value: float, decimals: int) -> float:
    rounded = round(float(value), decimals)
    return int(rounded) if rounded.is_integer() and abs(rounded) < 2**53 else rounded


def _project_from_dict(data: Any, base_dir: Path) -> Project:
    _expect(isinstance(data, dict), "the file does not hold a JSON object")
    _expect(data.get("format") == FORMAT_NAME, f"not a SiamTrack project (format is {data.get('format')!r})")
    version = data.get("version")
    _expect(isinstance(version, int), "the file has no format version")
    _expect(
        version <= VERSION,
        f"written by a newer SiamTrack (format version {version}; this one reads up to {VERSION})",
    )
    _expect(version >= 1, f"unknown format version {version}")
    video = _video_from_dict(_field(data, "video", dict, "file"), base_dir)
    objects, tracks = [], {}
    for i, item in enumerate(_field(data, "objects", list, "file")):
        where = f"objects[{i}]"
        _expect(isinstance(item, dict), f"{where} is not an object")
        obj = _object_from_dict(item, where)
        _expect(obj.id not in tracks, f"{where}: object id {obj.id} appears twice")
        objects.append(obj)
        tracks[obj.id] = _boxes_from_list(_field(item, "boxes", list, where), video, f"{where}.boxes")
    return Project(video, objects, tracks)


def _video_from_dict(item: dict, base_dir: Path) -> VideoInfo:
    path = Path(_field(item, "path", str, "video"))
    fps = item.get("fps")
    _expect(fps is None or _is_number(fps), "video.fps is not a number")
    try:
        return VideoInfo(
            path if path.is_absolute() else Path(os.path.normpath(base_dir / path)),
            _field(item, "frame_count", int, "video"),
            _field(item, "width", int, "video"),
            _field(item, "height", int, "video"),
            None if fps is None else float(fps),
        )
    except SiamTrackError as exc:
        raise _Invalid(f"video: {exc}") from None


def _object_from_dict(item: dict, where: str) -> TrackObject:
    try:
        return TrackObject(
            _field(item, "id", int, where),
            _field(item, "label", str, where),
            _field(item, "colour", str, where, default=""),
            _field(item, "name", str, where, default=""),
            _field(item, "hidden", bool, where, default=False),
        )
    except SiamTrackError as exc:
        raise _Invalid(f"{where}: {exc}") from None


def _boxes_from_list(items: list, video: VideoInfo, where: str) -> dict[int, BoxRecord]:
    boxes: dict[int, BoxRecord] = {}
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            raise _Invalid(f"{where}[{i}] is not an object")
        frame = _field(item, "frame", int, f"{where}[{i}]")
        if not 0 <= frame < video.frame_count:
            raise _Invalid(f"{where}[{i}]: frame {frame} is outside the video (0..{video.frame_count - 1})")
        if frame in boxes:
            raise _Invalid(f"{where}[{i}]: frame {frame} has two boxes")
        boxes[frame] = _record_from_dict(item, where, i)
    return boxes


def _record_from_dict(item: dict, where: str, i: int) -> BoxRecord:
    box = item.get("box")
    if not (isinstance(box, list) and len(box) == 4 and all(_is_finite(v) for v in box)):
        raise _Invalid(f"{where}[{i}]: box must be four finite numbers x, y, w, h")
    if box[2] <= 0 or box[3] <= 0:
        raise _Invalid(f"{where}[{i}]: box {box} has no area")
    score = item.get("score")
    if not (score is None or _is_finite(score)):
        raise _Invalid(f"{where}[{i}]: score is not a number")
    place = f"{where}[{i}]"
    return BoxRecord(
        (float(box[0]), float(box[1]), float(box[2]), float(box[3])),
        _enum(Origin, item.get("origin"), f"{place}.origin"),
        None if score is None else float(score),
        _enum_set(Flag, item.get("flags"), f"{place}.flags"),
        _enum_set(Reason, item.get("reasons"), f"{place}.reasons"),
        _enum_set(Flag, item.get("suggested"), f"{place}.suggested"),
    )


_MISSING = object()


def _field(item: dict, key: str, kind: type, where: str, default: Any = _MISSING) -> Any:
    if key not in item:
        _expect(default is not _MISSING, f"{where} has no {key!r}")
        return default
    value = item[key]
    if isinstance(value, kind) and not (kind is int and isinstance(value, bool)):
        return value
    raise _Invalid(f"{where}.{key} should be {_kind_name(kind)}, not {json.dumps(value)[:40]}")


def _enum(kind: Callable, value: Any, where: str) -> Any:
    try:
        return kind(value)
    except ValueError:
        allowed = ", ".join(v.value for v in kind)
        raise _Invalid(f"{where}: unknown value {value!r} (expected one of {allowed})") from None


def _enum_set(kind: Callable, values: Any, where: str) -> frozenset:
    if values is None:
        return frozenset()
    if not (isinstance(values, list) and all(isinstance(v, str) for v in values)):
        raise _Invalid(f"{where} is not a list of names")
    return frozenset(_enum(kind, v, where) for v in values)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _is_finite(value: Any) -> bool:
    return _is_number(value) and math.isfinite(value)


def _kind_name(kind: type) -> str:
    return {int: "an integer", str: "a string", bool: "true or false", list: "a list", dict: "an object"}[
        kind
    ]


def _expect(condition: bool, message: str) -> None:
    if not condition:
        raise _Invalid(message)
