"""The outcome of an evaluation: scores per (tracker, sequence, protocol), summaries, speed, and JSON."""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from core.evaluation import metrics
from core.evaluation.protocols import Score
from core.evaluation.runner import Trial


@dataclass(frozen=True)
class Timing:
    frames: int
    seconds: float

    def __add__(self, other: Timing) -> Timing:
        return Timing(self.frames + other.frames, self.seconds + other.seconds)

    @property
    def fps(self) -> float:
        return self.frames / self.seconds if self.seconds > 0 else float("nan")


@dataclass
class EvaluationResult:
    trackers: list[dict[str, Any]]  # label, description, identity
    sequences: list[dict[str, Any]]  # name, frames
    protocols: dict[str, dict[str, Any]]  # name -> title and parameters (OPE, TRE, SRE, VOT order)
    scores: dict[tuple[str, str, str], Score] = field(default_factory=dict)
    timings: dict[tuple[str, str, str], Timing] = field(default_factory=dict)

    def add(self, job: tuple[str, str, str], score: Score, trials: list[Trial]) -> None:
        """Record one (tracker label, sequence, protocol) run: its score and its tracking time."""
        self.scores[job] = score
        self.timings[job] = sum((Timing(t.tracked_frames, t.seconds) for t in trials), Timing(0, 0.0))

    @property
    def labels(self) -> list[str]:
        return [t["label"] for t in self.trackers]

    @property
    def sequence_names(self) -> list[str]:
        return [s["name"] for s in self.sequences]

    @property
    def eao_interval(self) -> tuple[int, int]:
        return metrics.sequence_length_interval([s["frames"] for s in self.sequences])

    def sequence_metrics(self, label: str, sequence: str) -> dict[str, dict[str, Any]]:
        interval = self.eao_interval
        return {p: self.scores[(label, sequence, p)].metrics(interval) for p in self.protocols}

    def sequence_curves(self, label: str, sequence: str) -> dict[str, dict[str, np.ndarray]]:
        return {p: self.scores[(label, sequence, p)].curves() for p in self.protocols}

    def overall(self, label: str) -> dict[str, dict[str, Any]]:
        """Each protocol's summary over all sequences (curves included)."""
        interval = self.eao_interval
        summary = {}
        for protocol in self.protocols:
            scores = [self.scores[(label, s, protocol)] for s in self.sequence_names]
            summary[protocol] = type(scores[0]).summarise(scores, interval)
        return summary

    def timing(self, label: str, sequence: str | None = None) -> Timing:
        """Tracking time of every run of this tracker (on one sequence, or on all)."""
        total = Timing(0, 0.0)
        for (tracker, name, _), timing in self.timings.items():
            if tracker == label and (sequence is None or name == sequence):
                total = total + timing
        return total

    def to_json(self) -> dict[str, Any]:
        low, high = self.eao_interval
        trackers = {}
        for label in self.labels:
            per_sequence = {}
            for name in self.sequence_names:
                entry = self.sequence_metrics(label, name)
                for protocol, curves in self.sequence_curves(label, name).items():
                    entry[protocol].update(curves)
                entry["fps"] = self.timing(label, name).fps
                per_sequence[name] = entry
            overall = self.overall(label)
            overall["fps"] = self.timing(label).fps
            trackers[label] = {"overall": overall, "sequences": per_sequence}
        return _plain(
            {
                "protocols": self.protocols,
                "sequences": self.sequences,
                "trackers": self.trackers,
                "eao_interval": [low, high],
                "thresholds": {
                    "overlap": metrics.OVERLAP_THRESHOLDS,
                    "center_error_px": metrics.ERROR_THRESHOLDS,
                },
                "results": trackers,
            }
        )


def _plain(value: Any) -> Any:
    """JSON-ready: arrays to lists, NaN to null, numpy scalars to Python numbers."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, np.ndarray):
        return [_plain(v) for v in value.tolist()]
    if isinstance(value, (np.floating, float)):
        value = float(value)
        return None if math.isnan(value) or math.isinf(value) else value
    if isinstance(value, np.integer):
        return int(value)
    return value
