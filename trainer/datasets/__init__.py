"""Training datasets by format name; each loader turns a folder into trajectories."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from core.errors import SiamTrackError
from trainer.datasets.base import BoxFilter, Trajectory, TrajectoryFrame, make_trajectory
from trainer.datasets.got10k import load_got10k
from trainer.datasets.imagenet_vid import load_vid
from trainer.datasets.projects import load_projects
from trainer.datasets.sequence_folders import load_sequence_folders

Loader = Callable[[Path, str], list[Trajectory]]

FORMATS: dict[str, Loader] = {
    "vid": load_vid,
    "got10k": load_got10k,
    "otb": load_sequence_folders,
    "project": load_projects,
}


def load_trajectories(format_name: str, root: str | Path, split: str = "train") -> list[Trajectory]:
    try:
        loader = FORMATS[format_name]
    except KeyError:
        raise SiamTrackError(
            f"unknown dataset format {format_name!r}; choose one of {', '.join(FORMATS)}"
        ) from None
    root = Path(root).expanduser()
    if not root.exists():
        raise SiamTrackError(f"dataset folder not found: {root}")
    return loader(root, split)


__all__ = ["FORMATS", "BoxFilter", "Trajectory", "TrajectoryFrame", "load_trajectories", "make_trajectory"]
