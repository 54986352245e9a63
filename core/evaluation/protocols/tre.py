"""Temporal robustness evaluation (OTB): 20 segments starting at evenly spaced annotated frames, each run
to the end of the sequence; every segment's frames are pooled into one score per sequence.

As in the benchmark's splitSeqTRE: the candidate starts are the frames with a usable ground-truth box that
leave at least 20 frames to the end; with E candidates, segment k starts at candidate floor(k * E / 19)
(k = 0.. while that stays inside) and the last one at the last candidate. The first segment is OPE's run.
Repeated starts (sequences with fewer than about 20 candidates) are run once.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from core.evaluation.frames import FrameStore
from core.evaluation.protocols.ope import first_start
from core.evaluation.runner import Monitor, TrackerFactory, Trial, initialisable, run_segment
from core.evaluation.scores import OverlapScore
from core.sequences import Sequence


@dataclass(frozen=True)
class TemporalRobustnessEvaluation:
    segments: int = 20
    min_length: int = 20
    name: ClassVar[str] = "tre"
    title: ClassVar[str] = "Temporal robustness evaluation (TRE)"

    def parameters(self) -> dict[str, Any]:
        return {"segments": self.segments, "min_length": self.min_length}

    def starts(self, sequence: Sequence, frame_shape: tuple[int, ...]) -> list[int]:
        first_start(sequence, frame_shape)  # a sequence with no usable box is an error, not zero segments
        return segment_starts(initialisable(sequence.boxes, frame_shape), self.segments, self.min_length)

    def planned_frames(self, sequence: Sequence, frame_shape: tuple[int, ...]) -> int:
        return sum(len(sequence) - s for s in self.starts(sequence, frame_shape))

    def run(self, make_tracker: TrackerFactory, sequence: Sequence, frames: FrameStore, monitor: Monitor) -> list[Trial]:
        trials = []
        for start in self.starts(sequence, frames.frame_shape):
            trial = Trial.empty(len(sequence))
            run_segment(make_tracker, frames, start, tuple(sequence.boxes[start]), trial, monitor)
            trials.append(trial)
        return trials

    def score(self, sequence: Sequence, trials: list[Trial]) -> OverlapScore:
        return OverlapScore.from_trials(sequence.boxes, trials)


def segment_starts(usable: np.ndarray, segments: int, min_length: int) -> list[int]:
    length = len(usable)
    candidates = [int(i) for i in np.flatnonzero(usable) if length - i >= min_length]
    if not candidates:
        candidates = [int(np.flatnonzero(usable)[0])]
    count = len(candidates)
    step = count / (segments - 1) if segments > 1 else float(count)
    positions = []
    k = 0
    while k * step <= count - 1 and len(positions) < segments - 1:
        positions.append(int(np.floor(k * step)))
        k += 1
    positions.append(count - 1)
    return list(dict.fromkeys(candidates[p] for p in positions))
