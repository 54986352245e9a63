"""SiamTrack's own annotation projects (core.annotations): every object of a project is a trajectory.

ROOT is one project file (`*.siamtrack.json`) or a folder searched (recursively) for them. A project's
video may be a video file or an image folder; frames are read through core.sources by index, and the
frame index is the frame number. A box is used unless it is flagged out of view, occluded (the target may
be hidden behind something) or for review (an unchecked tracker result); frames without a box are absent.
The video id is the video's path, so objects annotated in one video, even in several project files, are
each other's hard negatives.
"""

from __future__ import annotations

from pathlib import Path

from core.annotations import BoxRecord, load_project
from core.annotations.model import Flag
from core.annotations.project_file import SUFFIX
from core.errors import FormatError
from trainer.datasets.base import Trajectory, make_trajectory

EXCLUDED_FLAGS = frozenset({Flag.OUT_OF_VIEW, Flag.OCCLUDED, Flag.REVIEW})


def load_projects(root: Path, split: str = "train") -> list[Trajectory]:
    del split  # projects have no splits; the validation set is drawn from them by --val-fraction
    files = [root] if root.is_file() else sorted(root.rglob(f"*{SUFFIX}"))
    if not files:
        raise FormatError(f"no SiamTrack project files (*{SUFFIX}) in {root}")
    return [t for path in files for t in read_project(path)]


def read_project(path: Path) -> list[Trajectory]:
    project = load_project(path)
    video = project.video
    if not video.path.exists():
        raise FormatError(f"{path.name}: its video {video.path} is missing")
    count = video.frame_count
    stem = path.name[: -len(SUFFIX)] if path.name.endswith(SUFFIX) else path.stem
    trajectories = []
    for track_id in sorted(project.objects):
        obj = project.object(track_id)
        track = project.track(track_id)
        boxes = [_usable_box(track.get(i)) for i in range(count)]
        trajectories.append(
            make_trajectory(
                f"{stem}/{track_id}",
                str(video.path),
                obj.label,
                [video.path] * count,
                boxes,
                range(count),
                range(count),
            )
        )
    return trajectories


def _usable_box(record: BoxRecord | None):
    if record is None or record.flags & EXCLUDED_FLAGS:
        return None
    return record.box
