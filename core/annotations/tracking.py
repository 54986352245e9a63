"""Tracking runs over a project: forward or backward from a box, for one object or several at once.

A run never changes the project: it returns a `TrackRun` whose `change` the caller applies (one undo step
for the whole run). It can be cancelled (`should_stop()` is asked before every frame; what was tracked so
far is kept) and reports each frame to `progress` so a GUI worker can draw it. Several objects share one
MultiTracker, so each frame costs one network pass for all of them. Tracking stops for an object at its
next manual keyframe (manual boxes are never overwritten), at the video's end, after `Extent.max_frames`,
or when the score falls below `Extent.min_score`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import TYPE_CHECKING, Protocol

import numpy as np

from core.annotations.edits import set_box
from core.annotations.model import BoxRecord, Change, Flag, Project
from core.annotations.review import DEFAULT_RULES, FailureDetector, ReviewRules
from core.boxes import Box
from core.errors import SiamTrackError

if TYPE_CHECKING:  # the tracker types only; importing core.tracking loads torch
    from core.tracking.base import MultiTracker, TrackResult


class FrameSource(Protocol):
    """What a run needs of a frame source (core.sources offers it): frames(start, stop, step) visits
    indices like range(start, stop, step)."""

    def read(self, index: int) -> np.ndarray: ...

    def frames(
        self, start: int, stop: int | None = None, step: int = 1
    ) -> Iterator[tuple[int, np.ndarray]]: ...


TrackerFactory = Callable[[], "MultiTracker"]


@dataclass(frozen=True)
class Extent:
    """How far a run goes beyond the start frame (it always stops at the next manual keyframe and the
    video's end): `max_frames` frames at most, and only while the score stays at or above `min_score`."""

    max_frames: int | None = None
    min_score: float | None = None

    def __post_init__(self) -> None:
        if self.max_frames is not None and self.max_frames < 1:
            raise SiamTrackError("a tracking run needs at least one frame")


class StopReason(str, Enum):
    KEYFRAME = "keyframe"  # reached the object's next manual keyframe
    LOW_SCORE = "low_score"  # the score fell below Extent.min_score
    LIMIT = "limit"  # tracked Extent.max_frames frames
    END = "end"  # reached the first or last frame of the video
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class TrackStep:
    """One frame of a run, for drawing while it goes on."""

    frame_index: int
    frame: np.ndarray
    records: Mapping[int, BoxRecord]  # new boxes by track id (objects still being tracked)
    results: Mapping[int, TrackResult]  # the tracker's raw results (response maps for the overlay)


@dataclass(frozen=True)
class TrackRun:
    change: Change
    last_frame: Mapping[int, int]  # per track id: the last frame that got a box (the start if none)
    stopped: Mapping[int, StopReason] = field(default_factory=dict)

    @property
    def cancelled(self) -> bool:
        return StopReason.CANCELLED in self.stopped.values()


Progress = Callable[[TrackStep], None]
ShouldStop = Callable[[], bool]


def track(
    project: Project,
    source: FrameSource,
    make_tracker: TrackerFactory,
    track_ids: Sequence[int],
    start: int,
    step: int = 1,
    extent: Extent = Extent(),
    rules: ReviewRules = DEFAULT_RULES,
    should_stop: ShouldStop | None = None,
    progress: Progress | None = None,
    start_boxes: Mapping[int, Box] | None = None,
) -> TrackRun:
    """Track the objects from their boxes on frame `start` forward (step=1) or backward (step=-1).

    `start_boxes` overrides the boxes to start from (used when a correction is not applied yet)."""
    if step not in (1, -1):
        raise SiamTrackError("tracking goes one frame at a time, forward (1) or backward (-1)")
    if not track_ids or len(set(track_ids)) != len(track_ids):
        raise SiamTrackError("choose at least one object to track, each once")
    boxes = _start_boxes(project, track_ids, start, start_boxes or {})
    limits = {tid: project.next_keyframe(tid, start, step) for tid in track_ids}
    stop = _stop_frame(project, start, step, extent)
    first_frame = source.read(start)
    tracker = make_tracker()
    tracker.init(first_frame, [boxes[tid] for tid in track_ids])
    run = _Run(project, list(track_ids), start, tracker, rules, boxes, first_frame.shape[:2])
    following = source.frames(start + step, stop, step) if start + step != stop else iter(())
    for index, frame in following:
        if should_stop is not None and should_stop():
            run.stop_all(StopReason.CANCELLED)
            break
        results = run.advance(index, frame, limits, extent)
        if progress is not None:
            progress(TrackStep(index, frame, run.frame_records(index), results))
        if not run.active:
            break
    run.stop_all(StopReason.LIMIT if _reached(run, stop, step) else StopReason.END)
    direction = "forward" if step > 0 else "backward"
    return run.result(f"track {_objects_text(track_ids)} {direction} from frame {start}")


class _Run:
    """State of one tracking run: which objects are still going, and the boxes found so far."""

    def __init__(self, project, track_ids, start, tracker, rules, boxes, frame_shape) -> None:
        self.project = project
        self.order = list(track_ids)  # tracker target i <-> order[i]
        self.active = list(track_ids)
        self.tracker = tracker
        self.detectors = {tid: FailureDetector(rules, boxes[tid], frame_shape) for tid in track_ids}
        self.boxes: dict[tuple[int, int], BoxRecord] = {}
        self.last_frame = {tid: start for tid in track_ids}
        self.stopped: dict[int, StopReason] = {}
        self.last_index = start

    def advance(self, index: int, frame: np.ndarray, limits, extent: Extent) -> dict[int, TrackResult]:
        self.last_index = index
        results = dict(zip(self.order, self.tracker.update(frame)))
        for tid in list(self.active):
            if index == limits[tid]:
                self.stop(tid, StopReason.KEYFRAME)
            elif extent.min_score is not None and results[tid].score < extent.min_score:
                self.stop(tid, StopReason.LOW_SCORE)
            else:
                self.boxes[(tid, index)] = self.detectors[tid].record(results[tid])
                self.last_frame[tid] = index
        return {tid: results[tid] for tid in self.active}

    def frame_records(self, index: int) -> dict[int, BoxRecord]:
        return {tid: self.boxes[(tid, index)] for tid in self.active if (tid, index) in self.boxes}

    def stop(self, tid: int, reason: StopReason) -> None:
        self.active.remove(tid)
        self.stopped[tid] = reason
        remove = getattr(self.tracker, "remove", None)
        if remove is not None and len(self.order) > 1:  # stop spending network time on it
            remove(self.order.index(tid))
            self.order.remove(tid)

    def stop_all(self, reason: StopReason) -> None:
        for tid in list(self.active):
            self.stop(tid, reason)

    def result(self, description: str) -> TrackRun:
        return TrackRun(Change(description, dict(self.boxes)), dict(self.last_frame), dict(self.stopped))


def _start_boxes(project: Project, track_ids, start: int, overrides: Mapping[int, Box]) -> dict[int, Box]:
    boxes = {}
    for tid in track_ids:
        project.object(tid)
        if tid in overrides:
            boxes[tid] = overrides[tid]
            continue
        record = project.record(tid, start)
        if record is None or Flag.OUT_OF_VIEW in record.flags:
            raise SiamTrackError(f"object {tid} has no box on frame {start} to start tracking from")
        boxes[tid] = record.box
    return boxes


def _stop_frame(project: Project, start: int, step: int, extent: Extent) -> int:
    """The `stop` of range(start + step, stop, step) that the run may visit."""
    if not 0 <= start < project.video.frame_count:
        raise SiamTrackError(f"frame {start} is outside the video (0..{project.video.frame_count - 1})")
    end = project.video.frame_count if step > 0 else -1
    if extent.max_frames is None:
        return end
    limit = start + step * (extent.max_frames + 1)
    return min(limit, end) if step > 0 else max(limit, end)


def _reached(run: _Run, stop: int, step: int) -> bool:
    return run.last_index == stop - step and stop not in (-1, run.project.video.frame_count)


def _objects_text(track_ids: Sequence[int]) -> str:
    return f"object {track_ids[0]}" if len(track_ids) == 1 else f"{len(track_ids)} objects"


def correct_box(
    project: Project,
    source: FrameSource,
    make_tracker: TrackerFactory,
    track_id: int,
    frame: int,
    box: Box,
    step: int = 1,
    extent: Extent = Extent(),
    rules: ReviewRules = DEFAULT_RULES,
    should_stop: ShouldStop | None = None,
    progress: Progress | None = None,
) -> TrackRun:
    """The annotator fixes a box: it becomes a manual keyframe and the rest of the track is tracked again
    from it, up to the next manual keyframe (same object id). One change for both."""
    correction = set_box(project, track_id, frame, box)
    start_box = correction.boxes[(track_id, frame)].box
    run = track(
        project,
        source,
        make_tracker,
        [track_id],
        frame,
        step,
        extent,
        rules,
        should_stop,
        progress,
        start_boxes={track_id: start_box},
    )
    description = f"correct object {track_id} on frame {frame} and track again"
    return TrackRun(correction.then(run.change, description), run.last_frame, run.stopped)
