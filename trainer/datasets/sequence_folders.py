"""OTB/VOT-style sequence folders (core.sequences.load_sequence), one object per folder.

ROOT is either one sequence folder or a folder of them; entries that are not sequence folders (such as
INDEX.json) are passed over. An optional `meta.json` in a sequence folder refines what is read:
- `source_frame_numbers`: the source video's frame number of every written frame (subsampled sequences),
  used for the ±N-frame pair rule; without it frames are numbered 1, 2, 3, ...
- `img_path` and `origin_dataset`: sequences cut from the same footage (two targets of one video, or one
  video split into time ranges) share a video id, so they are split together and can be hard negatives.
- `object_class`.
Boxes that are NaN (absent target) become None.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from core.errors import FormatError
from core.sequences import load_sequence
from trainer.datasets.base import Trajectory, make_trajectory

GROUNDTRUTH_FILES = ("groundtruth.txt", "groundtruth_rect.txt")
IMAGE_FOLDER_NAMES = {"img", "imgs", "color"}


def load_sequence_folders(root: Path, split: str = "train") -> list[Trajectory]:
    del split  # sequence folders have no splits; the validation set is drawn from them by --val-fraction
    if _is_sequence(root):
        return [read_sequence_folder(root)]
    if not root.is_dir():
        raise FormatError(f"not a folder: {root}")
    folders = sorted(p for p in root.iterdir() if p.is_dir() and _is_sequence(p))
    if not folders:
        raise FormatError(f"{root} holds no sequence folders (a folder with img/ and groundtruth_rect.txt)")
    return [read_sequence_folder(folder) for folder in folders]


def read_sequence_folder(directory: Path) -> Trajectory:
    sequence = load_sequence(directory)
    meta = _read_meta(directory)
    numbers = meta.get("source_frame_numbers")
    if not (isinstance(numbers, list) and len(numbers) == len(sequence)):
        numbers = list(range(1, len(sequence) + 1))
    boxes = [tuple(b) if np.isfinite(b).all() else None for b in sequence.boxes.tolist()]
    class_name = str(meta.get("object_class", ""))
    return make_trajectory(
        sequence.name, _video_id(directory, meta), class_name, sequence.frames, boxes, numbers
    )


def _video_id(directory: Path, meta: dict[str, Any]) -> str:
    img_path = meta.get("img_path")
    if not isinstance(img_path, str) or not img_path.strip("/"):
        return directory.name
    parts = [p for p in img_path.strip("/").split("/") if p]
    while len(parts) > 1 and parts[-1].lower() in IMAGE_FOLDER_NAMES:
        parts.pop()
    origin = str(meta.get("origin_dataset", "")).split()
    return f"{origin[0]}/{parts[-1]}" if origin else parts[-1]


def _is_sequence(directory: Path) -> bool:
    return directory.is_dir() and any((directory / name).is_file() for name in GROUNDTRUTH_FILES)


def _read_meta(directory: Path) -> dict[str, Any]:
    path = directory / "meta.json"
    if not path.is_file():
        return {}
    try:
        meta = json.loads(path.read_text())
    except (OSError, ValueError) as exc:
        raise FormatError(f"{path}: not valid JSON ({exc})") from None
    return meta if isinstance(meta, dict) else {}
