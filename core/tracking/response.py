"""From raw response maps to a decision: which scale, and where the peak is. Vectorised over targets."""
from __future__ import annotations

import cv2
import numpy as np

from core.engines.base import Peaks

OPENCV_MAX_CHANNELS = 128  # per image: 512 in OpenCV 4, 128 in OpenCV 5


def cosine_window(size: int) -> np.ndarray:
    hann = np.hanning(size)
    window = np.outer(hann, hann)
    return (window / window.sum()).astype(np.float32)


def upsample(maps: np.ndarray, factor: int) -> np.ndarray:
    """(N, S, r, r) -> (N, S, r*factor, r*factor), bicubic, every map in one OpenCV call."""
    n, s, r, _ = maps.shape
    size = r * factor
    if n * s > OPENCV_MAX_CHANNELS:
        group = max(1, OPENCV_MAX_CHANNELS // s)
        return np.concatenate([upsample(maps[i : i + group], factor) for i in range(0, n, group)])
    channels = np.ascontiguousarray(maps.reshape(n * s, r, r).transpose(1, 2, 0))
    up = cv2.resize(channels, (size, size), interpolation=cv2.INTER_CUBIC).reshape(size, size, n * s)
    return up.transpose(2, 0, 1).reshape(n, s, size, size)


def locate_peaks(
    raw: np.ndarray, upsample_factor: int, scale_penalty: float, window_influence: float, window: np.ndarray
) -> Peaks:
    """SiamFC's decision for every target at once.

    The maps of all scales are shifted to a common zero minimum before the scales other than 1 are penalised,
    so that the multiplicative penalty means the same whatever the network's output offset. The chosen map is
    normalised to sum 1 and blended with the cosine window before its peak is taken.
    """
    n, s = raw.shape[:2]
    up = upsample(raw.astype(np.float32, copy=False), upsample_factor)
    flat = up.reshape(n, s, -1)
    shifted_peaks = flat.max(axis=2) - flat.min(axis=(1, 2))[:, None]
    penalties = np.full(s, scale_penalty, dtype=np.float32)
    penalties[s // 2] = 1.0
    scale_index = np.argmax(shifted_peaks * penalties, axis=1)
    chosen = up[np.arange(n), scale_index]
    normalised = chosen - chosen.min(axis=(1, 2), keepdims=True)
    totals = normalised.sum(axis=(1, 2), keepdims=True)
    normalised = np.divide(normalised, totals, out=np.full_like(normalised, 1.0 / normalised[0].size),
                           where=totals > 0)
    blended = (1 - window_influence) * normalised + window_influence * window
    peak = blended.reshape(n, -1).argmax(axis=1)
    size = chosen.shape[-1]
    position = np.stack([peak % size, peak // size], axis=1).astype(np.float64)
    chosen_raw = raw[np.arange(n), scale_index].reshape(n, -1)
    contrast = chosen_raw.max(axis=1) - chosen_raw.mean(axis=1)
    return Peaks(scale_index, position, chosen, contrast)
