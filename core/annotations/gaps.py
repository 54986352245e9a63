"""Filling the frames between two boxes of an object: by tracking from both ends, or by linear interpolation.

Bidirectional filling tracks forward from the first box and backward from the last, then blends the two
boxes on every frame by trust: each pass's score times its closeness to its own start (a pass is most
reliable near the box it started from). Where the two passes disagree (IoU below `disagreement_iou`), an
average would lie between two different places, so the more trusted box is taken and marked for review.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

import numpy as np

from core.annotations.model import BoxRecord, Change, Flag, Origin, Project, Reason
from core.annotations.review import DEFAULT_RULES, ReviewRules
from core.annotations.tracking import (
    Extent,
    FrameSource,
    Progress,
    ShouldStop,
    StopReason,
    TrackerFactory,
    TrackRun,
    track,
)
from core.boxes import iou
from core.errors import SiamTrackError

MIN_WEIGHT = 1e-3  # a pass with score 0 still counts a little, so weights never vanish together


@dataclass(frozen=True)
class BlendRules:
    disagreement_iou: float = 0.5


def fill_gap(
    project: Project,
    source: FrameSource,
    make_tracker: TrackerFactory,
    track_id: int,
    first: int,
    last: int,
    rules: ReviewRules = DEFAULT_RULES,
    blend: BlendRules = BlendRules(),
    should_stop: ShouldStop | None = None,
    progress: Progress | None = None,
) -> TrackRun:
    """Fill frames strictly between `first` and `last` (both must have a box, no manual keyframe between)
    by tracking from both ends. A cancelled fill changes nothing."""
    first, last = _check_gap(project, track_id, first, last)
    if last - first < 2:
        return TrackRun(Change("fill gap"), {track_id: last})
    extent = Extent(max_frames=last - first - 1)
    passes = []
    for start, step in ((first, 1), (last, -1)):
        run = track(
            project, source, make_tracker, [track_id], start, step, extent, rules, should_stop, progress
        )
        if run.cancelled:
            return TrackRun(Change("fill gap"), {track_id: first}, {track_id: StopReason.CANCELLED})
        passes.append(run.change.boxes)
    forward, backward = passes
    boxes = {}
    for frame in range(first + 1, last):
        t = (frame - first) / (last - first)
        boxes[(track_id, frame)] = blend_records(
            forward[(track_id, frame)], backward[(track_id, frame)], 1.0 - t, t, blend
        )
    description = f"fill frames {first + 1}-{last - 1} of object {track_id} by tracking both ways"
    return TrackRun(Change(description, boxes), {track_id: last - 1}, {track_id: StopReason.KEYFRAME})


def fill_all_gaps(
    project: Project,
    source: FrameSource,
    make_tracker: TrackerFactory,
    track_id: int,
    rules: ReviewRules = DEFAULT_RULES,
    blend: BlendRules = BlendRules(),
    should_stop: ShouldStop | None = None,
    progress: Progress | None = None,
) -> TrackRun:
    """Fill every gap between consecutive manual keyframes of the object (one change); a cancelled run
    keeps the gaps filled before it stopped."""
    change = Change(f"fill the gaps of object {track_id}")
    last_frame: dict[int, int] = {}
    for first, last in keyframe_gaps(project, track_id):
        run = fill_gap(
            project, source, make_tracker, track_id, first, last, rules, blend, should_stop, progress
        )
        if run.cancelled:
            return TrackRun(change, last_frame, {track_id: StopReason.CANCELLED})
        change = change.then(run.change, change.description)
        last_frame = dict(run.last_frame)
    return TrackRun(change, last_frame, {track_id: StopReason.KEYFRAME})


def interpolate_gap(project: Project, track_id: int, first: int, last: int) -> Change:
    """Linear interpolation of x, y, w, h between the boxes on `first` and `last`."""
    first, last = _check_gap(project, track_id, first, last)
    a = np.array(project.record(track_id, first).box)
    b = np.array(project.record(track_id, last).box)
    boxes = {}
    for frame in range(first + 1, last):
        t = (frame - first) / (last - first)
        box = tuple(float(v) for v in (1 - t) * a + t * b)
        boxes[(track_id, frame)] = BoxRecord(box, Origin.INTERPOLATED)
    return Change(f"interpolate frames {first + 1}-{last - 1} of object {track_id}", boxes)


def keyframe_gaps(project: Project, track_id: int) -> list[tuple[int, int]]:
    """Consecutive manual keyframes with frames between them."""
    keys = project.keyframes(track_id)
    return [(a, b) for a, b in pairwise(keys) if b - a > 1]


def blend_records(
    forward: BoxRecord,
    backward: BoxRecord,
    forward_closeness: float,
    backward_closeness: float,
    blend: BlendRules = BlendRules(),
) -> BoxRecord:
    wf = max(forward.score or 0.0, MIN_WEIGHT) * forward_closeness
    wb = max(backward.score or 0.0, MIN_WEIGHT) * backward_closeness
    total = wf + wb
    bf, bb = np.array(forward.box), np.array(backward.box)
    score = ((forward.score or 0.0) * wf + (backward.score or 0.0) * wb) / total
    if float(iou(bf, bb)) < blend.disagreement_iou:
        chosen = forward if wf >= wb else backward
        return BoxRecord(
            chosen.box, Origin.TRACKED, score, {Flag.REVIEW}, {Reason.DISAGREEMENT}, chosen.suggested
        )
    box = tuple(float(v) for v in (wf * bf + wb * bb) / total)
    reasons = forward.reasons | backward.reasons if forward.review and backward.review else frozenset()
    flags = {Flag.REVIEW} if reasons else set()
    return BoxRecord(box, Origin.TRACKED, score, flags, reasons, forward.suggested & backward.suggested)


def _check_gap(project: Project, track_id: int, first: int, last: int) -> tuple[int, int]:
    first, last = sorted((first, last))
    for frame in (first, last):
        record = project.record(track_id, frame)
        if record is None or record.out_of_view:
            raise SiamTrackError(f"object {track_id} has no box on frame {frame} to fill from")
    inside = [f for f in project.keyframes(track_id) if first < f < last]
    if inside:
        raise SiamTrackError(
            f"frame {inside[0]} between {first} and {last} is a manual keyframe: fill the gaps on either side"
        )
    return first, last
