"""Tracking scores (pure numpy): OTB success and precision curves, VOT accuracy and expected average overlap.

OTB (Wu et al. 2013): success at threshold t is the fraction of frames whose IoU is greater than t, for
t = 0, 0.05, ..., 1; its area (AUC) is the mean of those 21 values. Precision at t is the fraction of frames
whose centre error is at most t pixels, t = 0..50; the usual single figure is precision at 20 px.
Frames whose ground truth is absent (NaN rows) are left out of every score.

VOT (Kristan et al. 2015): a supervised run is cut into fragments, one per (re)initialisation. A fragment
that ends in a failure counts as zero overlap after it; one that reaches the end of the sequence only says
something about lengths it covers. The expected average overlap for length Ns is the mean, over the usable
fragments, of the average overlap on frames 2..Ns (the initialisation frame says nothing). EAO averages
that curve over an interval of lengths typical of the data set.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.boxes import center_distance, iou

OVERLAP_THRESHOLDS = np.linspace(0.0, 1.0, 21)
ERROR_THRESHOLDS = np.arange(0, 51, dtype=np.float64)
PRECISION_PIXELS = 20
INTERVAL_MASS = 0.5  # share of the sequence-length density the EAO interval covers


def frame_overlaps(predicted: np.ndarray, truth: np.ndarray) -> np.ndarray:
    """IoU per frame; NaN where either box is absent."""
    values = iou(predicted, truth)
    return np.where(_present(predicted) & _present(truth), values, np.nan)


def center_errors(predicted: np.ndarray, truth: np.ndarray) -> np.ndarray:
    """Distance between box centres per frame, in pixels; NaN where either box is absent."""
    values = center_distance(predicted, truth)
    return np.where(_present(predicted) & _present(truth), values, np.nan)


def success_curve(overlaps: np.ndarray) -> np.ndarray:
    """Fraction of frames with IoU > t for each t in OVERLAP_THRESHOLDS (NaN curve when no frame counts)."""
    valid = _finite(overlaps)
    if valid.size == 0:
        return np.full(len(OVERLAP_THRESHOLDS), np.nan)
    return (valid[:, None] > OVERLAP_THRESHOLDS[None, :]).mean(axis=0)


def precision_curve(errors: np.ndarray) -> np.ndarray:
    """Fraction of frames with centre error <= t px for each t in ERROR_THRESHOLDS."""
    valid = _finite(errors)
    if valid.size == 0:
        return np.full(len(ERROR_THRESHOLDS), np.nan)
    return (valid[:, None] <= ERROR_THRESHOLDS[None, :]).mean(axis=0)


def area_under_curve(success: np.ndarray) -> float:
    return float(np.mean(success))


def precision_at(precision: np.ndarray, pixels: int = PRECISION_PIXELS) -> float:
    return float(precision[int(np.flatnonzero(ERROR_THRESHOLDS == pixels)[0])])


def mean_curve(curves: list[np.ndarray]) -> np.ndarray:
    """Average of per-sequence curves (each sequence weighs the same, as in OTB); NaN curves are left out."""
    usable = [c for c in curves if not np.isnan(c).any()]
    if not usable:
        return np.full(len(curves[0]) if curves else len(OVERLAP_THRESHOLDS), np.nan)
    return np.mean(usable, axis=0)


# --- VOT supervised protocol ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Fragment:
    """Overlaps from one (re)initialisation (first value: the initialisation frame) to a failure or the end."""

    overlaps: np.ndarray
    failed: bool


def burn_in_mask(length: int, inits: list[int], burn_in: int) -> np.ndarray:
    """True on each initialisation frame and the burn_in - 1 frames after it."""
    mask = np.zeros(length, dtype=bool)
    for start in inits:
        mask[start : start + burn_in] = True
    return mask


def supervised_fragments(overlaps: np.ndarray, inits: list[int], failures: list[int]) -> list[Fragment]:
    """Cut a supervised run into fragments. `overlaps` holds the IoU of every tracked frame (NaN where not
    tracked or the ground truth is absent); each failure ends the fragment of the initialisation before it."""
    fragments = []
    for index, start in enumerate(inits):
        failure = _first_at_or_after(failures, start)
        next_init = inits[index + 1] if index + 1 < len(inits) else len(overlaps)
        failed = failure is not None and failure < next_init
        stop = failure + 1 if failed else next_init
        values = overlaps[start:stop].copy()
        if failed:
            values[-1] = 0.0  # the tracker lost the target here, whatever the annotation says
        fragments.append(Fragment(values[~np.isnan(values)], failed))
    return fragments


def expected_overlap_curve(fragments: list[Fragment], max_length: int) -> np.ndarray:
    """Expected average overlap for sequence lengths 1..max_length (index 0 is length 1, which is 1 by
    definition). NaN where no fragment is usable for that length."""
    curve = np.full(max_length, np.nan)
    if max_length >= 1:
        curve[0] = 1.0
    if not fragments or max_length < 2:
        return curve
    table = np.full((len(fragments), max_length), np.nan)
    for row, fragment in enumerate(fragments):
        values = fragment.overlaps[:max_length]
        if fragment.failed:
            table[row] = 0.0
        table[row, : len(values)] = values
    usable = ~np.isnan(table)
    sums = np.cumsum(np.nan_to_num(table[:, 1:]), axis=1)  # frames 2..Ns
    averages = sums / np.arange(1, max_length)[None, :]
    for length in range(2, max_length + 1):
        rows = usable[:, length - 1]
        if rows.any():
            curve[length - 1] = averages[rows, length - 2].mean()
    return curve


def expected_average_overlap(curve: np.ndarray, interval: tuple[int, int]) -> float:
    """Mean of the curve over lengths low..high (inclusive, 1-based lengths), ignoring NaN entries."""
    low, high = interval
    values = curve[low - 1 : high]
    values = values[~np.isnan(values)]
    return float(values.mean()) if values.size else float("nan")


def sequence_length_interval(lengths: list[int], mass: float = INTERVAL_MASS) -> tuple[int, int]:
    """The range of sequence lengths [low, high] over which EAO is averaged, derived from the data as VOT
    does: a kernel density estimate of the sequence lengths, tabulated on 1..max length, and the interval
    grown from its peak, one step at a time towards the denser side, until it holds `mass` of the density.
    The kernel is Gaussian with Silverman's rule-of-thumb bandwidth (at least one frame)."""
    lengths_array = np.asarray(lengths, dtype=np.float64)
    if lengths_array.size == 0:
        raise ValueError("no sequence lengths")
    x = np.arange(1, int(lengths_array.max()) + 1, dtype=np.float64)
    density = _gaussian_kde(lengths_array, x)
    density /= density.sum()
    low = high = int(np.argmax(density))
    while density[low : high + 1].sum() < mass and (low > 0 or high < len(x) - 1):
        left = density[low - 1] if low > 0 else -1.0
        right = density[high + 1] if high < len(x) - 1 else -1.0
        if left > right:
            low -= 1
        else:
            high += 1
    return int(x[low]), int(x[high])


def _gaussian_kde(samples: np.ndarray, x: np.ndarray) -> np.ndarray:
    bandwidth = _silverman_bandwidth(samples)
    z = (x[:, None] - samples[None, :]) / bandwidth
    return np.exp(-0.5 * z**2).sum(axis=1)


def _silverman_bandwidth(samples: np.ndarray) -> float:
    """0.9 min(std, IQR / 1.34) n^(-1/5): robust to one very long sequence; at least one frame."""
    if samples.size < 2:
        return 1.0
    spread = samples.std(ddof=1)
    quartiles = np.subtract(*np.percentile(samples, [75, 25])) / 1.34
    if quartiles > 0:
        spread = min(spread, quartiles)
    return max(0.9 * spread * samples.size ** (-1 / 5), 1.0)


def _first_at_or_after(values: list[int], start: int) -> int | None:
    later = [v for v in values if v >= start]
    return min(later) if later else None


def _present(boxes: np.ndarray) -> np.ndarray:
    return np.isfinite(np.asarray(boxes, dtype=np.float64)).all(axis=-1)


def _finite(values: np.ndarray) -> np.ndarray:
    values = np.asarray(values, dtype=np.float64).reshape(-1)
    return values[np.isfinite(values)]
