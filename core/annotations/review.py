"""Spotting where tracking probably failed, so the annotator looks there instead of at every frame.

A tracked box is marked for review when its score is low (absolute), drops well below the recent scores
of the run (relative), the response map has a strong second peak away from the first (another object looks
like the target), or the box size jumps. A very low score also *suggests* (does not set) the occluded flag,
and a box mostly outside the frame suggests out-of-view; the annotator accepts or ignores suggestions.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from scipy.ndimage import maximum_filter

from core.annotations.model import BoxRecord, Flag, Origin, Project, Reason
from core.boxes import Box, clip_box

if TYPE_CHECKING:  # the tracker types only; importing core.tracking loads torch
    from core.tracking.base import TrackResult


@dataclass(frozen=True)
class ReviewRules:
    min_score: float = 0.2  # below this the box is marked for review
    relative_drop: float = 0.5  # ... or below this fraction of the median of the last `history` scores
    history: int = 10
    second_peak: float = 0.9  # a second local peak at least this high (relative to the first) is ambiguous
    scale_jump: float = 1.2  # width or height changing by more than this factor from one frame to the next
    suggest_occluded_below: float = 0.1
    suggest_out_of_view_below: float = 0.5  # fraction of the box inside the frame


DEFAULT_RULES = ReviewRules()


class FailureDetector:
    """Follows one object through a tracking run and judges each new result."""

    def __init__(self, rules: ReviewRules, start_box: Box, frame_shape: tuple[int, int]) -> None:
        self.rules = rules
        self._scores: deque[float] = deque(maxlen=rules.history)
        self._previous_box = start_box
        self._frame_shape = frame_shape

    def record(self, result: TrackResult) -> BoxRecord:
        reasons = self.reasons(result)
        suggested = self.suggestions(result)
        self._scores.append(result.score)
        self._previous_box = result.box
        flags = frozenset({Flag.REVIEW}) if reasons else frozenset()
        return BoxRecord(result.box, Origin.TRACKED, float(result.score), flags, reasons, suggested)

    def reasons(self, result: TrackResult) -> frozenset[Reason]:
        r = self.rules
        found = set()
        if result.score < r.min_score:
            found.add(Reason.LOW_SCORE)
        if len(self._scores) >= 3 and result.score < r.relative_drop * float(np.median(self._scores)):
            found.add(Reason.SCORE_DROP)
        if result.response is not None:
            radius = target_radius_in_map(result.box, result.search_box, result.response.shape[0])
            if second_peak_ratio(result.response, radius) >= r.second_peak:
                found.add(Reason.SECOND_PEAK)
        if size_change(self._previous_box, result.box) > r.scale_jump:
            found.add(Reason.SCALE_JUMP)
        return frozenset(found)

    def suggestions(self, result: TrackResult) -> frozenset[Flag]:
        if visible_fraction(result.box, self._frame_shape) < self.rules.suggest_out_of_view_below:
            return frozenset({Flag.OUT_OF_VIEW})
        if result.score < self.rules.suggest_occluded_below:
            return frozenset({Flag.OCCLUDED})
        return frozenset()


def second_peak_ratio(response: np.ndarray, exclusion_radius: float) -> float:
    """Height of the highest local maximum outside a disc around the global maximum, relative to it
    (both measured above the map's minimum). 0 = a single clean peak, 1 = two equal peaks."""
    r = np.asarray(response, dtype=np.float32)
    r = r - r.min()
    top = float(r.max())
    if top <= 0:
        return 0.0
    py, px = np.unravel_index(int(np.argmax(r)), r.shape)
    ys, xs = np.ogrid[: r.shape[0], : r.shape[1]]
    outside = (ys - py) ** 2 + (xs - px) ** 2 > exclusion_radius**2
    is_local_max = maximum_filter(r, size=5, mode="nearest") == r
    candidates = r[outside & is_local_max]
    return float(candidates.max()) / top if candidates.size else 0.0


def target_radius_in_map(box: Box, search_box: Box, map_size: int) -> float:
    """Half the target's mean side, in response-map pixels (the map spans the search box)."""
    frame_pixels_per_cell = search_box[2] / map_size
    return 0.5 * float(np.sqrt(box[2] * box[3])) / frame_pixels_per_cell


def size_change(before: Box, after: Box) -> float:
    """The largest factor by which width or height changed (>= 1)."""
    ratios = [after[2] / before[2], after[3] / before[3]]
    return max(max(q, 1.0 / q) for q in ratios)


def visible_fraction(box: Box, frame_shape: tuple[int, int]) -> float:
    inside = clip_box(box, frame_shape)
    area = box[2] * box[3]
    return inside[2] * inside[3] / area if area > 0 else 0.0


def next_flagged(
    project: Project, frame: int, step: int = 1, flag: Flag = Flag.REVIEW, track_ids=None
) -> int | None:
    """The nearest frame strictly after (step > 0) or before (step < 0) `frame` where a box of the given
    objects (default: all visible objects) carries `flag`; None if there is none."""
    ids = [t for t, o in project.objects.items() if not o.hidden] if track_ids is None else list(track_ids)
    frames = [
        f for t in ids for f, r in project.track(t).items() if flag in r.flags and (f - frame) * step > 0
    ]
    if not frames:
        return None
    return min(frames) if step > 0 else max(frames)


def previous_flagged(project: Project, frame: int, flag: Flag = Flag.REVIEW, track_ids=None) -> int | None:
    return next_flagged(project, frame, -1, flag, track_ids)
