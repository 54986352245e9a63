"""Synthetic sequences written as real image folders, and a scripted tracker whose errors are known.

Each frame stores its own index in pixel (0, 0) (red = index % 256, green = index // 256), so a tracker can
tell which frame it sees and be exactly right, half right (IoU 0.5) or far off (IoU 0) on chosen frames.
"""
from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

from core.boxes import Box
from core.sequences import Sequence, load_sequence
from core.tracking import TrackResult

FRAME_SHAPE = (160, 240, 3)
FAR = 120.0  # px: a box moved this far overlaps nothing and misses every precision threshold


def frame_index(frame: np.ndarray) -> int:
    return int(frame[0, 0, 0]) + 256 * int(frame[0, 0, 1])


def write_sequence(directory: Path, boxes: np.ndarray) -> Sequence:
    """An image folder (VOT layout, 0-based boxes; NaN rows written as NaN) that load_sequence reads."""
    (directory / "img").mkdir(parents=True)
    for index in range(len(boxes)):
        frame = np.full(FRAME_SHAPE, 90, np.uint8)
        frame[0, 0] = (index % 256, index // 256, 0)
        cv2.imwrite(str(directory / "img" / f"{index + 1:04d}.png"), cv2.cvtColor(frame, cv2.COLOR_RGB2BGR))
    lines = ["NaN" if np.isnan(b).any() else ",".join(f"{v:g}" for v in b) for b in boxes]
    (directory / "groundtruth.txt").write_text("\n".join(lines) + "\n")
    return load_sequence(directory)


def moving_boxes(length: int, step: float = 1.0, size: tuple[float, float] = (30.0, 20.0)) -> np.ndarray:
    """A target moving right by `step` px a frame."""
    x = 20.0 + step * np.arange(length)
    return np.stack([x, np.full(length, 60.0), np.full(length, size[0]), np.full(length, size[1])], axis=1)


class ScriptedTracker:
    """Reports the ground truth, except on `wrong` frames (moved FAR: IoU 0) and `half` frames (moved a third
    of the width: IoU exactly 0.5)."""

    name = "scripted"

    def __init__(self, truth: np.ndarray, wrong: set[int] = frozenset(), half: set[int] = frozenset()) -> None:
        self.truth, self.wrong, self.half = truth, set(wrong), set(half)
        self.inits: list[tuple[int, Box]] = []

    def init(self, frame: np.ndarray, box: Box) -> None:
        self.inits.append((frame_index(frame), box))

    def update(self, frame: np.ndarray) -> TrackResult:
        index = frame_index(frame)
        x, y, w, h = self.truth[index]
        if index in self.wrong:
            x += FAR
        elif index in self.half:
            x += w / 3
        box = (float(x), float(y), float(w), float(h))
        return TrackResult(box, 1.0, None, box, 1.0)
