"""Spatial robustness evaluation (OTB): the whole sequence, started 12 times from perturbed first boxes.

The perturbations follow the benchmark's shiftInitBB, with 10 % of the box's width/height as the amount:
- 4 centre shifts: the box moved left, right, up or down;
- 4 corner shifts: one corner moved outwards (diagonally), the opposite corner fixed, so the box grows;
- 4 scalings about the centre: 0.8, 0.9, 1.1, 1.2.
The result is clipped to the frame. Boxes stay in floating-point pixels (the benchmark rounds to integers).
All 12 runs' frames are pooled into one score per sequence; the first frame counts with the perturbed box.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

from core.boxes import Box, box_from_center, center_of, clip_box, from_corners, to_corners
from core.evaluation.frames import FrameStore
from core.evaluation.protocols.ope import first_start
from core.evaluation.runner import Monitor, TrackerFactory, Trial, run_segment
from core.evaluation.scores import OverlapScore
from core.sequences import Sequence

SHIFT = 0.1


def _move(dx: float, dy: float) -> Callable[[Box], Box]:
    def apply(box: Box) -> Box:
        x, y, w, h = box
        return (x + dx * SHIFT * w, y + dy * SHIFT * h, w, h)

    return apply


def _corner(sx: int, sy: int) -> Callable[[Box], Box]:
    """Move the corner on side (sx, sy) outwards: sx = -1 left edge, +1 right edge; sy likewise."""

    def apply(box: Box) -> Box:
        x1, y1, x2, y2 = to_corners(box)
        w, h = box[2], box[3]
        x1, x2 = (x1 - SHIFT * w, x2) if sx < 0 else (x1, x2 + SHIFT * w)
        y1, y2 = (y1 - SHIFT * h, y2) if sy < 0 else (y1, y2 + SHIFT * h)
        return from_corners(x1, y1, x2, y2)

    return apply


def _scale(ratio: float) -> Callable[[Box], Box]:
    def apply(box: Box) -> Box:
        cx, cy = center_of(box)
        return box_from_center(cx, cy, box[2] * ratio, box[3] * ratio)

    return apply


PERTURBATIONS: dict[str, Callable[[Box], Box]] = {
    "left": _move(-1, 0),
    "right": _move(1, 0),
    "up": _move(0, -1),
    "down": _move(0, 1),
    "top_left": _corner(-1, -1),
    "top_right": _corner(1, -1),
    "bottom_left": _corner(-1, 1),
    "bottom_right": _corner(1, 1),
    "scale_0.8": _scale(0.8),
    "scale_0.9": _scale(0.9),
    "scale_1.1": _scale(1.1),
    "scale_1.2": _scale(1.2),
}


def perturbed_boxes(box: Box, frame_shape: tuple[int, ...]) -> dict[str, Box]:
    return {name: clip_box(perturb(box), frame_shape) for name, perturb in PERTURBATIONS.items()}


@dataclass(frozen=True)
class SpatialRobustnessEvaluation:
    name: ClassVar[str] = "sre"
    title: ClassVar[str] = "Spatial robustness evaluation (SRE)"

    def parameters(self) -> dict[str, Any]:
        return {"perturbations": list(PERTURBATIONS), "shift": SHIFT}

    def planned_frames(self, sequence: Sequence, frame_shape: tuple[int, ...]) -> int:
        return len(PERTURBATIONS) * (len(sequence) - first_start(sequence, frame_shape))

    def run(self, make_tracker: TrackerFactory, sequence: Sequence, frames: FrameStore, monitor: Monitor) -> list[Trial]:
        start = first_start(sequence, frames.frame_shape)
        trials = []
        for box in perturbed_boxes(tuple(sequence.boxes[start]), frames.frame_shape).values():
            trial = Trial.empty(len(sequence))
            run_segment(make_tracker, frames, start, box, trial, monitor)
            trials.append(trial)
        return trials

    def score(self, sequence: Sequence, trials: list[Trial]) -> OverlapScore:
        return OverlapScore.from_trials(sequence.boxes, trials)
