"""The common form every training dataset is read into: trajectories of one object through one video.

A trajectory lists the frames of one object's video in order, each with its box (0-based xywh, or None
where the object is absent or unannotated) and its frame number in the source video (used for the
"search frame within ±N frames of the exemplar" rule; only differences of frame numbers matter).
`video` groups trajectories of objects seen in the same footage: other objects of the same video serve
as hard negatives.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from core.boxes import Box


@dataclass(frozen=True)
class TrajectoryFrame:
    path: Path  # an image file; or, with source_index, a video file or image folder (core.sources)
    box: Box | None
    frame_number: int
    source_index: int | None = None  # the frame's index in the source at `path`


@dataclass(frozen=True)
class Trajectory:
    name: str  # unique within its dataset, e.g. "ILSVRC2015_train_00000000/0" (snippet / track id)
    video: str
    class_name: str
    frames: tuple[TrajectoryFrame, ...]

    def __len__(self) -> int:
        return len(self.frames)

    @property
    def annotated_count(self) -> int:
        return sum(frame.box is not None for frame in self.frames)


@dataclass(frozen=True)
class BoxFilter:
    """Which annotated frames are usable for training: skip tiny, degenerate or mostly outside boxes."""

    min_side: float = 4.0  # pixels
    min_area_fraction: float = 1e-4  # of the frame's area
    max_aspect_ratio: float = 8.0  # longer side over shorter side
    min_inside_fraction: float = 0.5  # of the box's area that lies inside the frame

    def accepts(self, box: Box | None, width: int, height: int) -> bool:
        if box is None or not all(math.isfinite(v) for v in box):
            return False
        x, y, w, h = box
        if min(w, h) < self.min_side or w * h < self.min_area_fraction * width * height:
            return False
        if max(w, h) > self.max_aspect_ratio * min(w, h):
            return False
        inside_w = max(0.0, min(x + w, width) - max(x, 0.0))
        inside_h = max(0.0, min(y + h, height) - max(y, 0.0))
        return inside_w * inside_h >= self.min_inside_fraction * w * h


def make_trajectory(
    name: str,
    video: str,
    class_name: str,
    paths: Sequence[Path],
    boxes: Sequence[Box | None],
    frame_numbers: Sequence[int],
    source_indices: Sequence[int | None] | None = None,
) -> Trajectory:
    indices = [None] * len(paths) if source_indices is None else source_indices
    frames = tuple(
        TrajectoryFrame(Path(p), None if b is None else tuple(float(v) for v in b), int(n), i)
        for p, b, n, i in zip(paths, boxes, frame_numbers, indices, strict=True)
    )
    return Trajectory(name, video, class_name, frames)
