"""What every evaluation protocol provides: how to run a tracker over a sequence, and how to score it."""
from __future__ import annotations

from typing import Any, Protocol

from core.evaluation.frames import FrameStore
from core.evaluation.runner import Monitor, TrackerFactory, Trial
from core.evaluation.scores import OverlapScore, SupervisedScore
from core.sequences import Sequence

Score = OverlapScore | SupervisedScore


class EvaluationProtocol(Protocol):
    name: str  # registry key, e.g. "ope"
    title: str  # shown in reports

    def parameters(self) -> dict[str, Any]:
        """Everything that changes the trials it produces (part of the cache key)."""
        ...

    def planned_frames(self, sequence: Sequence, frame_shape: tuple[int, ...]) -> int:
        """How many frames a run will track, for progress (an upper bound where failures shorten it)."""
        ...

    def run(self, make_tracker: TrackerFactory, sequence: Sequence, frames: FrameStore, monitor: Monitor) -> list[Trial]:
        ...

    def score(self, sequence: Sequence, trials: list[Trial]) -> Score:
        ...
