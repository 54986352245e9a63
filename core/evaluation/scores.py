"""Per-sequence scores of a protocol's trials, and their summary over many sequences."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from core.evaluation import metrics
from core.evaluation.runner import Trial


@dataclass(frozen=True)
class OverlapScore:
    """OTB-style: success and precision curves over all frames of all trials of one sequence, pooled."""

    success: np.ndarray
    precision: np.ndarray
    frames: int

    @classmethod
    def from_trials(cls, truth: np.ndarray, trials: list[Trial]) -> OverlapScore:
        overlaps = np.concatenate([metrics.frame_overlaps(t.boxes, truth) for t in trials])
        errors = np.concatenate([metrics.center_errors(t.boxes, truth) for t in trials])
        return cls(metrics.success_curve(overlaps), metrics.precision_curve(errors), int(np.isfinite(overlaps).sum()))

    @property
    def auc(self) -> float:
        return metrics.area_under_curve(self.success)

    @property
    def precision20(self) -> float:
        return metrics.precision_at(self.precision)

    def metrics(self, interval: tuple[int, int]) -> dict[str, Any]:
        return {"auc": self.auc, "precision20": self.precision20, "frames": self.frames}

    def curves(self) -> dict[str, np.ndarray]:
        return {"success_curve": self.success, "precision_curve": self.precision}

    @staticmethod
    def summarise(scores: list[OverlapScore], interval: tuple[int, int]) -> dict[str, Any]:
        success = metrics.mean_curve([s.success for s in scores])
        precision = metrics.mean_curve([s.precision for s in scores])
        return {
            "auc": metrics.area_under_curve(success),
            "precision20": metrics.precision_at(precision),
            "frames": sum(s.frames for s in scores),
            "success_curve": success,
            "precision_curve": precision,
        }


@dataclass(frozen=True)
class SupervisedScore:
    """VOT-style: accuracy, failures and the fragments EAO is computed from, for one sequence."""

    accuracy: float
    accuracy_frames: int
    failures: int
    fragments: tuple[metrics.Fragment, ...]
    length: int

    @classmethod
    def from_trial(cls, truth: np.ndarray, trial: Trial, burn_in: int) -> SupervisedScore:
        overlaps = metrics.frame_overlaps(trial.boxes, truth)
        counted = np.isfinite(overlaps) & ~metrics.burn_in_mask(len(truth), trial.inits, burn_in)
        counted[trial.failures] = False
        accuracy = float(overlaps[counted].mean()) if counted.any() else float("nan")
        fragments = metrics.supervised_fragments(overlaps, trial.inits, trial.failures)
        return cls(accuracy, int(counted.sum()), len(trial.failures), tuple(fragments), len(truth))

    def eao(self, interval: tuple[int, int]) -> float:
        curve = metrics.expected_overlap_curve(list(self.fragments), interval[1])
        return metrics.expected_average_overlap(curve, interval)

    def metrics(self, interval: tuple[int, int]) -> dict[str, Any]:
        return {
            "accuracy": self.accuracy,
            "failures": self.failures,
            "eao": self.eao(interval),
            "accuracy_frames": self.accuracy_frames,
        }

    def curves(self) -> dict[str, np.ndarray]:
        return {}

    @staticmethod
    def summarise(scores: list[SupervisedScore], interval: tuple[int, int]) -> dict[str, Any]:
        """Accuracy and failures averaged over sequences (VOT's raw scores); EAO from all fragments pooled."""
        fragments = [f for s in scores for f in s.fragments]
        longest = max([interval[1], *(s.length for s in scores)])
        curve = metrics.expected_overlap_curve(fragments, longest)
        accuracies = [s.accuracy for s in scores if not np.isnan(s.accuracy)]
        return {
            "accuracy": float(np.mean(accuracies)) if accuracies else float("nan"),
            "failures": float(np.mean([s.failures for s in scores])),
            "failures_total": int(sum(s.failures for s in scores)),
            "eao": metrics.expected_average_overlap(curve, interval),
            "eao_curve": curve,
        }
