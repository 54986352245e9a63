"""Finding the sequences to evaluate: each path is a sequence folder or a folder of sequence folders."""
from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from core.errors import FormatError
from core.sequences import Sequence, load_sequence

GROUND_TRUTH_FILES = ("groundtruth.txt", "groundtruth_rect.txt")


def is_sequence_dir(path: Path) -> bool:
    return any((path / name).is_file() for name in GROUND_TRUTH_FILES)


def sequence_dirs(paths: Iterable[str | Path]) -> list[Path]:
    found: list[Path] = []
    for path in map(Path, paths):
        if not path.is_dir():
            raise FormatError(f"not a folder: {path}")
        if is_sequence_dir(path):
            found.append(path)
            continue
        children = sorted(p for p in path.iterdir() if p.is_dir() and is_sequence_dir(p))
        if not children:
            raise FormatError(f"{path} holds no sequence (no groundtruth.txt or groundtruth_rect.txt in it "
                              "or in its sub-folders)")
        found += children
    return found


def load_sequences(paths: Iterable[str | Path]) -> list[Sequence]:
    return [load_sequence(path) for path in sequence_dirs(paths)]
