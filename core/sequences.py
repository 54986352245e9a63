"""Benchmark sequences in the OTB and VOT layouts: frames in `img/` (or `imgs/`, `color/`) plus ground truth.

- OTB: `groundtruth_rect.txt`, one `x,y,w,h` per line, 1-based as the benchmark distributes it.
- VOT: `groundtruth.txt`, rectangles or 8-number polygons, 0-based; a polygon becomes its axis-aligned
  envelope. When both files are present the VOT one is read.
- Separators may be commas, spaces or tabs. `NaN` rows mark frames where the target is absent.
A `meta.json` whose `gt_format_in_repo` says the boxes were "converted to 0-based" overrides the OTB default.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from core.errors import FormatError
from core.sources.folder import list_images

IMAGE_DIRS = ("img", "imgs", "color", ".")


@dataclass(frozen=True)
class Sequence:
    name: str
    frames: list[Path]
    boxes: np.ndarray  # (N, 4) float64 xywh, 0-based; rows of NaN where the target is absent

    def __len__(self) -> int:
        return len(self.frames)


def load_sequence(directory: str | Path, one_based: bool | None = None) -> Sequence:
    directory = Path(directory)
    if not directory.is_dir():
        raise FormatError(f"not a sequence folder: {directory}")
    gt_path, file_one_based = _groundtruth_file(directory)
    if one_based is None:
        one_based = file_one_based and not _meta_says_zero_based(directory)
    boxes = read_groundtruth(gt_path)
    if one_based:
        boxes[:, :2] -= 1.0
    frames = _frames(directory)
    if len(frames) < len(boxes):
        raise FormatError(f"{directory.name}: {len(boxes)} ground-truth rows but only {len(frames)} images")
    return Sequence(directory.name, frames[: len(boxes)], boxes)


def read_groundtruth(path: str | Path) -> np.ndarray:
    path = Path(path)
    rows = []
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        if not line.strip():
            continue
        values = [v for v in re.split(r"[,\s]+", line.strip()) if v]
        try:
            numbers = np.array([float(v) for v in values], dtype=np.float64)
        except ValueError:
            raise FormatError(f"{path.name} line {number}: not a list of numbers: {line.strip()!r}") from None
        rows.append(_row_to_box(numbers, path, number))
    if not rows:
        raise FormatError(f"{path.name} holds no boxes")
    return np.array(rows, dtype=np.float64)


def polygon_to_box(polygon: np.ndarray) -> np.ndarray:
    xs, ys = polygon[0::2], polygon[1::2]
    return np.array([xs.min(), ys.min(), xs.max() - xs.min(), ys.max() - ys.min()])


def _row_to_box(numbers: np.ndarray, path: Path, line: int) -> np.ndarray:
    if len(numbers) == 4:
        return numbers
    if len(numbers) >= 6 and len(numbers) % 2 == 0:
        return polygon_to_box(numbers)
    if len(numbers) == 1 and np.isnan(numbers[0]):
        return np.full(4, np.nan)
    raise FormatError(f"{path.name} line {line}: expected 4 numbers (x,y,w,h) or a polygon, got {len(numbers)}")


def _groundtruth_file(directory: Path) -> tuple[Path, bool]:
    vot, otb = directory / "groundtruth.txt", directory / "groundtruth_rect.txt"
    if vot.is_file():
        return vot, False
    if otb.is_file():
        return otb, True
    raise FormatError(f"{directory.name}: no groundtruth.txt or groundtruth_rect.txt")


def _meta_says_zero_based(directory: Path) -> bool:
    try:
        meta = json.loads((directory / "meta.json").read_text())
    except (OSError, ValueError):
        return False
    return "converted to 0-based" in str(meta.get("gt_format_in_repo", "")) if isinstance(meta, dict) else False


def _frames(directory: Path) -> list[Path]:
    for name in IMAGE_DIRS:
        frames = list_images(directory / name) if (directory / name).is_dir() else []
        if frames:
            return frames
    raise FormatError(f"{directory.name}: no images found in {', '.join(IMAGE_DIRS[:-1])}")
