"""One-pass evaluation (OTB): start from the ground truth on the first annotated frame, track to the end."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from core.errors import FormatError
from core.evaluation.frames import FrameStore
from core.evaluation.runner import (
    Monitor,
    TrackerFactory,
    Trial,
    initialisable,
    next_initialisable,
    run_segment,
)
from core.evaluation.scores import OverlapScore
from core.sequences import Sequence


@dataclass(frozen=True)
class OnePassEvaluation:
    name: ClassVar[str] = "ope"
    title: ClassVar[str] = "One-pass evaluation (OPE)"

    def parameters(self) -> dict[str, Any]:
        return {}

    def planned_frames(self, sequence: Sequence, frame_shape: tuple[int, ...]) -> int:
        return len(sequence) - first_start(sequence, frame_shape)

    def run(self, make_tracker: TrackerFactory, sequence: Sequence, frames: FrameStore, monitor: Monitor) -> list[Trial]:
        start = first_start(sequence, frames.frame_shape)
        trial = Trial.empty(len(sequence))
        run_segment(make_tracker, frames, start, tuple(sequence.boxes[start]), trial, monitor)
        return [trial]

    def score(self, sequence: Sequence, trials: list[Trial]) -> OverlapScore:
        return OverlapScore.from_trials(sequence.boxes, trials)


def first_start(sequence: Sequence, frame_shape: tuple[int, ...]) -> int:
    start = next_initialisable(initialisable(sequence.boxes, frame_shape), 0)
    if start is None:
        raise FormatError(f"{sequence.name}: no frame has a usable ground-truth box to start from")
    return start
