"""A tracker that never moves the box: lets the GUI and workflows be exercised without weights."""
from __future__ import annotations

import numpy as np

from core.boxes import Box, validate_box
from core.tracking.base import TrackResult


class IdentityTracker:
    name = "identity"

    def __init__(self) -> None:
        self._box: Box | None = None

    def init(self, frame: np.ndarray, box: Box) -> None:
        self._box = validate_box(box, frame.shape)

    def update(self, frame: np.ndarray) -> TrackResult:
        if self._box is None:
            raise RuntimeError("init() must be called before update()")
        x, y, w, h = self._box
        response = np.zeros((17, 17), np.float32)
        response[8, 8] = 1.0
        search = (x - w, y - h, 3 * w, 3 * h)
        return TrackResult(self._box, 1.0, response, search, 1.0, response[None], 0)
