"""VOT's supervised protocol: when the predicted box stops overlapping the target (a failure), the tracker
is re-initialised from the ground truth 5 frames later. Accuracy is the mean IoU over tracked frames,
leaving out the 10 frames from each (re)initialisation (burn-in), the failure frames and the frames skipped;
failures are counted; EAO is computed from the fragments between (re)initialisations (see metrics).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from core.evaluation.frames import FrameStore
from core.evaluation.protocols.ope import first_start
from core.evaluation.runner import (
    Monitor,
    TrackerFactory,
    Trial,
    initialisable,
    lost_target,
    next_initialisable,
    run_segment,
)
from core.evaluation.scores import SupervisedScore
from core.sequences import Sequence


@dataclass(frozen=True)
class SupervisedEvaluation:
    skip: int = 5  # re-initialise this many frames after a failure
    burn_in: int = 10  # frames from each initialisation left out of accuracy
    name: ClassVar[str] = "vot"
    title: ClassVar[str] = "VOT supervised (re-initialised after failure)"

    def parameters(self) -> dict[str, Any]:
        return {"skip": self.skip, "burn_in": self.burn_in}

    def planned_frames(self, sequence: Sequence, frame_shape: tuple[int, ...]) -> int:
        return len(sequence) - first_start(sequence, frame_shape)

    def run(self, make_tracker: TrackerFactory, sequence: Sequence, frames: FrameStore, monitor: Monitor) -> list[Trial]:
        usable = initialisable(sequence.boxes, frames.frame_shape)
        failed = lost_target(sequence.boxes)
        trial = Trial.empty(len(sequence))
        start: int | None = first_start(sequence, frames.frame_shape)
        while start is not None:
            failure = run_segment(make_tracker, frames, start, tuple(sequence.boxes[start]), trial, monitor, failed)
            if failure is None:
                break
            start = next_initialisable(usable, failure + self.skip) if failure + self.skip < len(sequence) else None
        return [trial]

    def score(self, sequence: Sequence, trials: list[Trial]) -> SupervisedScore:
        return SupervisedScore.from_trial(sequence.boxes, trials[0], self.burn_in)
