"""OpenCV's CSRT, KCF and MIL trackers behind the Tracker interface: baselines and CPU fallbacks."""
from __future__ import annotations

from collections.abc import Callable

import cv2
import numpy as np

from core.boxes import Box, validate_box
from core.tracking.base import TrackResult

OPENCV_FACTORIES: dict[str, Callable[[], object]] = {
    "csrt": cv2.TrackerCSRT_create,
    "kcf": cv2.TrackerKCF_create,
    "mil": cv2.TrackerMIL_create,
}


class OpenCVTracker:
    """Wraps one OpenCV tracker. OpenCV expects BGR images and integer rectangles; both are converted here."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._create = OPENCV_FACTORIES[name]
        self._tracker = None
        self._box: Box | None = None

    def init(self, frame: np.ndarray, box: Box) -> None:
        self._box = validate_box(box, frame.shape)
        cv2.setRNGSeed(0)  # MIL samples patches with OpenCV's RNG: same input, same track
        self._tracker = self._create()
        self._tracker.init(_to_bgr(frame), _to_rect(self._box))

    def update(self, frame: np.ndarray) -> TrackResult:
        if self._tracker is None:
            raise RuntimeError("init() must be called before update()")
        found, rect = self._tracker.update(_to_bgr(frame))
        if found:
            self._box = tuple(float(v) for v in rect)
        score = self._score(found)
        return TrackResult(self._box, score, None, self._box, 1.0)

    def _score(self, found: bool) -> float:
        if not found:
            return 0.0
        get_score = getattr(self._tracker, "getTrackingScore", None)
        if get_score is None:
            return 1.0
        return float(np.clip(get_score(), 0.0, 1.0))


def _to_bgr(frame: np.ndarray) -> np.ndarray:
    return cv2.cvtColor(frame, cv2.COLOR_RGB2BGR)


def _to_rect(box: Box) -> tuple[int, int, int, int]:
    x, y, w, h = box
    return (round(x), round(y), max(1, round(w)), max(1, round(h)))
