"""SiamTrack projects as training data: each object a trajectory, frames from image folders or videos."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from trainer_fixtures import write_moving_objects

from core.annotations import BoxRecord, Project, TrackObject, VideoInfo, save_project
from core.annotations.model import Flag, Origin
from core.crop import crop_square, mean_colour
from core.errors import FormatError
from core.sources import open_source
from trainer.curation import CropSettings, open_or_build_cache
from trainer.datasets import BoxFilter, load_trajectories


def _project(video_path, frame_count, width, height) -> Project:
    tracks = {
        1: {
            0: BoxRecord((10, 12, 30, 28)),
            1: BoxRecord((11, 12, 30, 28), Origin.TRACKED, 0.9),
            2: BoxRecord((12, 13, 30, 28), flags={Flag.OCCLUDED}),
            4: BoxRecord((14, 14, 30, 28), Origin.INTERPOLATED),
        },
        2: {
            1: BoxRecord((60, 40, 25, 30)),
            2: BoxRecord((61, 40, 25, 30), flags={Flag.REVIEW}),
            3: BoxRecord((62, 41, 25, 30), flags={Flag.OUT_OF_VIEW}),
            5: BoxRecord((63, 41, 25, 30)),
        },
    }
    objects = [TrackObject(1, "car"), TrackObject(2, "person", name="walker")]
    return Project(VideoInfo(video_path, frame_count, width, height, 25.0), objects, tracks)


def test_project_objects_become_trajectories(tmp_path):
    folder = write_moving_objects(tmp_path / "data", sequences=1, frames=6) / "seq00" / "img"
    save_project(_project(folder, 6, 160, 120), tmp_path / "projects" / "clip.siamtrack.json")
    trajectories = load_trajectories("project", tmp_path / "projects")
    assert [t.name for t in trajectories] == ["clip/1", "clip/2"]
    assert [t.class_name for t in trajectories] == ["car", "person"]
    assert trajectories[0].video == trajectories[1].video == str(folder)
    car, person = trajectories
    assert [f.box for f in car.frames] == [
        (10.0, 12.0, 30.0, 28.0),
        (11.0, 12.0, 30.0, 28.0),
        None,
        None,
        (14.0, 14.0, 30.0, 28.0),
        None,
    ]
    assert [f.box for f in person.frames] == [
        None,
        (60.0, 40.0, 25.0, 30.0),
        None,
        None,
        None,
        (63.0, 41.0, 25.0, 30.0),
    ]
    assert [f.frame_number for f in car.frames] == [f.source_index for f in car.frames] == list(range(6))
    assert load_trajectories("project", tmp_path / "projects" / "clip.siamtrack.json") == trajectories


def test_projects_on_video_files_are_curated_from_the_exact_frames(tmp_path):
    video = tmp_path / "clip.avi"
    writer = cv2.VideoWriter(str(video), cv2.VideoWriter_fourcc(*"MJPG"), 25, (96, 80))
    rng = np.random.default_rng(0)
    for _ in range(6):
        writer.write(rng.integers(0, 256, size=(80, 96, 3), dtype=np.uint8))
    writer.release()
    save_project(_project(video, 6, 96, 80), tmp_path / "clip.siamtrack.json")
    trajectories = load_trajectories("project", tmp_path)
    cache, _ = open_or_build_cache(
        trajectories, tmp_path, tmp_path / "cache", "p", CropSettings(), BoxFilter(), workers=0
    )
    assert len(cache) == 5  # 3 usable car boxes, 2 person boxes
    with open_source(video) as source:
        frame = source.read(4)
    x, y, w, h = 14, 14, 30, 28
    side = np.sqrt((w + 29) * (h + 29)) * 255 / 127
    expected = crop_square(frame, (x + w / 2, y + h / 2), side, 255, mean_colour(frame))
    assert np.abs(cache.image(2).astype(int) - expected).mean() < 4  # JPEG of noise, q90


def test_no_projects_is_a_clear_error(tmp_path):
    with pytest.raises(FormatError, match="no SiamTrack project files"):
        load_trajectories("project", tmp_path)
