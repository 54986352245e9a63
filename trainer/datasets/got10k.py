"""GOT-10k: one folder per sequence, one object per sequence.

Layout under ROOT (the dataset folder holding train/, val/, test/; or a split folder itself):
    <split>/list.txt                  sequence folder names, one a line (optional: else all folders)
    <split>/<sequence>/00000001.jpg ...
    <split>/<sequence>/groundtruth.txt   x,y,w,h per frame (0-based, top-left, as the toolkit reads it)
    <split>/<sequence>/absence.label     one 0/1 per frame, 1 = target absent (optional)
    <split>/<sequence>/cover.label       visible fraction 0..8 per frame (optional; 0 = fully hidden)
    <split>/<sequence>/meta_info.ini     `object_class: ...` among other lines (optional)
with sequence folders named like GOT-10k_Train_000001.
The test split annotates only the first frame, so it yields no training pairs.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from core.errors import FormatError
from core.sequences import read_groundtruth
from core.sources.folder import list_images
from trainer.datasets.base import Trajectory, make_trajectory


def load_got10k(root: Path, split: str = "train") -> list[Trajectory]:
    split_dir = root / split if (root / split).is_dir() else root
    names = _sequence_names(split_dir)
    if not names:
        raise FormatError(f"no GOT-10k sequences in {split_dir}")
    return [read_sequence(split_dir / name) for name in names]


def read_sequence(directory: Path) -> Trajectory:
    if not (directory / "groundtruth.txt").is_file():
        raise FormatError(f"{directory}: no groundtruth.txt (not a GOT-10k sequence)")
    boxes = read_groundtruth(directory / "groundtruth.txt")
    frames = list_images(directory)
    if len(frames) < len(boxes):
        raise FormatError(f"{directory.name}: {len(boxes)} ground-truth rows but only {len(frames)} images")
    frames = frames[: len(boxes)]
    absent = _read_flags(directory / "absence.label", len(boxes), default=0) == 1
    hidden = _read_flags(directory / "cover.label", len(boxes), default=1) == 0
    usable = ~(absent | hidden) & np.isfinite(boxes).all(axis=1)
    box_list = [tuple(b) if ok else None for b, ok in zip(boxes.tolist(), usable)]
    class_name = _object_class(directory / "meta_info.ini")
    return make_trajectory(
        directory.name, directory.name, class_name, frames, box_list, range(1, len(frames) + 1)
    )


def _sequence_names(split_dir: Path) -> list[str]:
    listing = split_dir / "list.txt"
    if listing.is_file():
        names = [line.strip() for line in listing.read_text().splitlines() if line.strip()]
        missing = [n for n in names if not (split_dir / n).is_dir()]
        if missing:
            raise FormatError(f"{listing}: {len(missing)} listed sequence(s) missing, e.g. {missing[0]}")
        return names
    return sorted(p.name for p in split_dir.iterdir() if (p / "groundtruth.txt").is_file())


def _read_flags(path: Path, count: int, default: int) -> np.ndarray:
    if not path.is_file():
        return np.full(count, default, dtype=np.int64)
    values = [v for v in path.read_text().replace(",", " ").split()]
    try:
        flags = np.array([int(float(v)) for v in values], dtype=np.int64)
    except ValueError:
        raise FormatError(f"{path}: expected one integer per frame") from None
    if len(flags) < count:
        raise FormatError(f"{path}: {len(flags)} values for {count} frames")
    return flags[:count]


def _object_class(path: Path) -> str:
    if not path.is_file():
        return ""
    for line in path.read_text(errors="replace").splitlines():
        key, _, value = line.partition(":")
        if key.strip() == "object_class":
            return value.strip()
    return ""
