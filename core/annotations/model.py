"""The annotation model: a video, the objects annotated in it, and per frame one box per object.

Every box remembers where it came from (`Origin`), the tracker's confidence, and flags. A `Project` is only
changed through `Project.apply(change)`, which returns the inverse change: applying that restores the exact
previous state, which is what an undo stack needs (a QUndoCommand keeps the change and its inverse).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from types import MappingProxyType

from core.boxes import Box, as_box
from core.errors import SiamTrackError

COLOUR_PATTERN = re.compile(r"^#[0-9a-fA-F]{6}$")
PALETTE = (
    "#e6194b",
    "#3cb44b",
    "#ffe119",
    "#4363d8",
    "#f58231",
    "#911eb4",
    "#46f0f0",
    "#f032e6",
    "#bcf60c",
    "#fabebe",
    "#008080",
    "#e6beff",
    "#9a6324",
    "#fffac8",
    "#800000",
    "#aaffc3",
)


class Origin(str, Enum):
    """How a box came to be. Manual boxes are keyframes: tracking never overwrites them."""

    MANUAL = "manual"
    TRACKED = "tracked"
    INTERPOLATED = "interpolated"
    IMPORTED = "imported"


class Flag(str, Enum):
    OCCLUDED = "occluded"
    OUT_OF_VIEW = "out_of_view"
    REVIEW = "review"


class Reason(str, Enum):
    """Why a tracked box was marked for review."""

    LOW_SCORE = "low_score"
    SCORE_DROP = "score_drop"
    SECOND_PEAK = "second_peak"
    SCALE_JUMP = "scale_jump"
    DISAGREEMENT = "disagreement"  # forward and backward tracking of a gap do not agree


@dataclass(frozen=True)
class BoxRecord:
    box: Box  # (x, y, w, h), 0-based pixels
    origin: Origin = Origin.MANUAL
    score: float | None = None  # the tracker's confidence for tracked boxes
    flags: frozenset[Flag] = frozenset()
    reasons: frozenset[Reason] = frozenset()  # why REVIEW was set by the tracker
    suggested: frozenset[Flag] = frozenset()  # flags the tracker suggests (a low score hints at occlusion)

    def __post_init__(self) -> None:
        object.__setattr__(self, "box", as_box(self.box))
        object.__setattr__(self, "origin", Origin(self.origin))
        object.__setattr__(self, "flags", _enum_set(Flag, self.flags))
        object.__setattr__(self, "reasons", _enum_set(Reason, self.reasons))
        object.__setattr__(self, "suggested", _enum_set(Flag, self.suggested))

    @property
    def is_keyframe(self) -> bool:
        return self.origin is Origin.MANUAL

    @property
    def occluded(self) -> bool:
        return Flag.OCCLUDED in self.flags

    @property
    def out_of_view(self) -> bool:
        return Flag.OUT_OF_VIEW in self.flags

    @property
    def review(self) -> bool:
        return Flag.REVIEW in self.flags

    def with_flag(self, flag: Flag, on: bool = True) -> BoxRecord:
        flags = self.flags | {flag} if on else self.flags - {flag}
        reasons = self.reasons if Flag.REVIEW in flags else frozenset()
        return BoxRecord(self.box, self.origin, self.score, flags, reasons, self.suggested - {flag})


@dataclass(frozen=True)
class TrackObject:
    id: int
    label: str = "object"
    colour: str = ""  # "#rrggbb"; empty picks one from the palette by id
    name: str = ""
    hidden: bool = False

    def __post_init__(self) -> None:
        if not isinstance(self.id, int) or isinstance(self.id, bool):
            raise SiamTrackError(f"an object id must be an integer, not {self.id!r}")
        if not self.colour:
            object.__setattr__(self, "colour", default_colour(self.id))
        if not COLOUR_PATTERN.match(self.colour):
            raise SiamTrackError(f"colour {self.colour!r} is not of the form #rrggbb")
        if not self.label.strip():
            raise SiamTrackError("an object needs a class label")


@dataclass(frozen=True)
class VideoInfo:
    path: Path  # video file or image folder
    frame_count: int
    width: int
    height: int
    fps: float | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "path", Path(self.path))
        if self.frame_count < 1 or self.width < 1 or self.height < 1:
            raise SiamTrackError(
                f"{self.path.name}: {self.frame_count} frames of {self.width}x{self.height} is not a video"
            )
        if self.fps is not None and not (math.isfinite(self.fps) and self.fps > 0):
            raise SiamTrackError(f"{self.path.name}: frame rate {self.fps} is not a positive number")

    @property
    def frame_shape(self) -> tuple[int, int]:
        return (self.height, self.width)


@dataclass(frozen=True)
class Change:
    """What an edit sets: boxes by (track id, frame) and objects by id; None removes (an object with all its
    boxes). Applying it to a project returns the inverse change."""

    description: str = ""
    boxes: Mapping[tuple[int, int], BoxRecord | None] = field(default_factory=dict)
    objects: Mapping[int, TrackObject | None] = field(default_factory=dict)

    @property
    def is_empty(self) -> bool:
        return not self.boxes and not self.objects

    def then(self, later: Change, description: str | None = None) -> Change:
        """One change doing this and then `later` (later's values win)."""
        return Change(
            self.description if description is None else description,
            {**self.boxes, **later.boxes},
            {**self.objects, **later.objects},
        )

    def frames_of(self, track_id: int) -> list[int]:
        return sorted(frame for tid, frame in self.boxes if tid == track_id)


class Project:
    """One video and its annotations. Read through the accessors; change only through `apply`."""

    def __init__(
        self,
        video: VideoInfo,
        objects: Iterable[TrackObject] = (),
        tracks: Mapping[int, Mapping[int, BoxRecord]] | None = None,
    ) -> None:
        self.video = video
        self._objects: dict[int, TrackObject] = {}
        self._tracks: dict[int, dict[int, BoxRecord]] = {}
        self.revision = 0  # bumped by every apply (also by undo): autosave compares it
        self.apply(Change("load", _flatten(tracks or {}), {o.id: o for o in objects}))
        self.revision = 0

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Project):
            return NotImplemented
        return (self.video, self._objects, self._tracks) == (other.video, other._objects, other._tracks)

    def __repr__(self) -> str:
        return f"Project({self.video.path.name!r}, {len(self._objects)} objects, {self.box_count} boxes)"

    @property
    def objects(self) -> Mapping[int, TrackObject]:
        return MappingProxyType(self._objects)

    @property
    def box_count(self) -> int:
        return sum(len(track) for track in self._tracks.values())

    def object(self, track_id: int) -> TrackObject:
        try:
            return self._objects[track_id]
        except KeyError:
            raise SiamTrackError(f"there is no object {track_id}") from None

    def track(self, track_id: int) -> Mapping[int, BoxRecord]:
        self.object(track_id)
        return MappingProxyType(self._tracks[track_id])

    def record(self, track_id: int, frame: int) -> BoxRecord | None:
        return self._tracks.get(track_id, {}).get(frame)

    def records_at(self, frame: int) -> dict[int, BoxRecord]:
        return {tid: track[frame] for tid, track in self._tracks.items() if frame in track}

    def frames(self, track_id: int) -> list[int]:
        return sorted(self.track(track_id))

    def keyframes(self, track_id: int) -> list[int]:
        return sorted(f for f, r in self.track(track_id).items() if r.is_keyframe)

    def next_keyframe(self, track_id: int, frame: int, step: int = 1) -> int | None:
        """The nearest manual keyframe strictly after `frame` in the direction of `step`."""
        keys = [f for f in self.keyframes(track_id) if (f - frame) * step > 0]
        if not keys:
            return None
        return min(keys) if step > 0 else max(keys)

    def new_track_id(self) -> int:
        return max(self._objects, default=0) + 1

    def copy(self) -> Project:
        return Project(self.video, self._objects.values(), self._tracks)

    def subset(self, track_ids: Iterable[int]) -> Project:
        ids = list(track_ids)
        for tid in ids:
            self.object(tid)
        return Project(self.video, [self._objects[t] for t in ids], {t: self._tracks[t] for t in ids})

    def apply(self, change: Change) -> Change:
        """Make the change; return its inverse. Raises ValueError (a programming error) for a box of an
        unknown object or outside the video, leaving the project as it was."""
        self._check(change)
        old_objects: dict[int, TrackObject | None] = {}
        old_boxes: dict[tuple[int, int], BoxRecord | None] = {}
        for tid, obj in change.objects.items():
            if obj is not None:
                old_objects[tid] = self._objects.get(tid)
                self._objects[tid] = obj
                self._tracks.setdefault(tid, {})
        for (tid, frame), record in change.boxes.items():
            track = self._tracks[tid]
            old_boxes.setdefault((tid, frame), track.get(frame))
            if record is None:
                track.pop(frame, None)
            else:
                track[frame] = record
        for tid, obj in change.objects.items():
            if obj is None and tid in self._objects:
                old_objects[tid] = self._objects.pop(tid)
                for frame, record in self._tracks.pop(tid).items():
                    old_boxes.setdefault((tid, frame), record)
        self.revision += 1
        return Change(change.description, old_boxes, old_objects)

    def _check(self, change: Change) -> None:
        known = set(self._objects) | {tid for tid, obj in change.objects.items() if obj is not None}
        for tid, obj in change.objects.items():
            if obj is not None and obj.id != tid:
                raise ValueError(f"object {obj.id} filed under id {tid}")
        for (tid, frame), record in change.boxes.items():
            if tid not in known:
                raise ValueError(f"box for unknown object {tid}")
            if not 0 <= frame < self.video.frame_count:
                raise ValueError(f"frame {frame} is outside the video (0..{self.video.frame_count - 1})")
            if record is not None and not isinstance(record, BoxRecord):
                raise ValueError(f"not a BoxRecord: {record!r}")


def _enum_set(kind: type[Enum], values: Iterable) -> frozenset:
    if isinstance(values, frozenset) and all(isinstance(v, kind) for v in values):
        return values
    return frozenset(kind(v) for v in values)


def default_colour(track_id: int) -> str:
    return PALETTE[(track_id - 1) % len(PALETTE)]


def _flatten(tracks: Mapping[int, Mapping[int, BoxRecord]]) -> dict[tuple[int, int], BoxRecord]:
    return {(tid, frame): record for tid, track in tracks.items() for frame, record in track.items()}
