"""Hand edits as `Change`s: draw or correct a box, delete a range, set a flag, add/rename/remove objects.

Each function only builds the change; `project.apply(change)` makes it and returns the inverse (for undo).
User mistakes (a box under a pixel wide or outside the frame, a frame outside the video) raise
SiamTrackError with a one-line message.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from core.annotations.model import BoxRecord, Change, Flag, Origin, Project, TrackObject
from core.boxes import Box, as_box, validate_box
from core.errors import SiamTrackError


def set_box(
    project: Project,
    track_id: int,
    frame: int,
    box: Box,
    origin: Origin = Origin.MANUAL,
    flags: Iterable[Flag] | None = None,
) -> Change:
    """Draw or correct the object's box on a frame. A manual box is a keyframe; it keeps the occluded and
    out-of-view flags of the box it replaces unless `flags` is given, and drops the review mark."""
    project.object(track_id)
    check_frame(project, frame)
    box = validate_box(as_box(box), project.video.frame_shape)
    if flags is None:
        old = project.record(track_id, frame)
        flags = (old.flags - {Flag.REVIEW}) if old else frozenset()
    record = BoxRecord(box, origin, None, frozenset(flags))
    return Change(f"set box of object {track_id} on frame {frame}", {(track_id, frame): record})


def delete_boxes(project: Project, track_id: int, first: int, last: int) -> Change:
    """Remove the object's boxes on frames first..last (inclusive, either order)."""
    first, last = sorted((first, last))
    frames = [f for f in project.track(track_id) if first <= f <= last]
    return Change(
        f"delete boxes of object {track_id} on frames {first}-{last}", {(track_id, f): None for f in frames}
    )


def set_flag(project: Project, track_id: int, frames: Iterable[int], flag: Flag, on: bool = True) -> Change:
    """Set or clear a flag on the object's boxes on these frames (frames without a box are skipped)."""
    track = project.track(track_id)
    boxes = {(track_id, f): track[f].with_flag(flag, on) for f in frames if f in track}
    action = "mark" if on else "unmark"
    return Change(f"{action} {flag.value.replace('_', '-')} on object {track_id}", boxes)


def add_object(
    project: Project, label: str, name: str = "", colour: str = "", track_id: int | None = None
) -> tuple[Change, int]:
    """A new object (no boxes yet); returns the change and the new object's id."""
    track_id = project.new_track_id() if track_id is None else track_id
    if track_id in project.objects:
        raise SiamTrackError(f"object {track_id} already exists")
    obj = TrackObject(track_id, label, colour, name or f"{label} {track_id}")
    return Change(f"add object {obj.name}", objects={track_id: obj}), track_id


def update_object(project: Project, track_id: int, **fields: object) -> Change:
    """Change an object's label, colour, name or hidden flag."""
    unknown = sorted(set(fields) - {"label", "colour", "name", "hidden"})
    if unknown:
        raise SiamTrackError(f"unknown object field(s): {', '.join(unknown)}")
    obj = dataclasses.replace(project.object(track_id), **fields)
    return Change(f"edit object {obj.name}", objects={track_id: obj})


def remove_object(project: Project, track_id: int) -> Change:
    obj = project.object(track_id)
    return Change(f"remove object {obj.name}", objects={track_id: None})


def add_tracks(project: Project, imported: Project) -> Change:
    """Add every object of `imported` (e.g. read from another tool's file) to the project, renumbering
    ids that are already taken."""
    next_id = max(project.new_track_id(), imported.new_track_id())
    objects, boxes = {}, {}
    for obj in imported.objects.values():
        new_id = obj.id if obj.id not in project.objects else next_id
        next_id = max(next_id, new_id + 1)
        objects[new_id] = dataclasses.replace(obj, id=new_id)
        for frame, record in imported.track(obj.id).items():
            check_frame(project, frame)
            boxes[(new_id, frame)] = record
    return Change(f"import {len(objects)} objects", boxes, objects)


def check_frame(project: Project, frame: int) -> int:
    if not 0 <= frame < project.video.frame_count:
        raise SiamTrackError(f"frame {frame} is outside the video (0..{project.video.frame_count - 1})")
    return frame
