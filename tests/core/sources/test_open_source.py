"""open_source: each kind of spec reaches the right source; anything else is a one-line SourceError."""

from __future__ import annotations

import shutil
from pathlib import Path

import cv2
import numpy as np
import pytest
from source_samples import RunningCamera

from core.errors import SourceError
from core.sources import ImageFolderSource, VideoFileSource, WebcamSource, open_source


@pytest.fixture
def image_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "frames"
    folder.mkdir()
    for number in range(3):
        cv2.imwrite(str(folder / f"{number}.png"), np.full((4, 5, 3), number, np.uint8))
    return folder


@pytest.fixture
def fake_cameras(monkeypatch) -> list:
    """cv2.VideoCapture replaced by a camera that works; records what it was asked to open."""
    opened = []

    def capture(target):
        opened.append(target)
        return RunningCamera()

    monkeypatch.setattr(cv2, "VideoCapture", capture)
    return opened


def test_folder_opens_as_image_folder(image_folder):
    for spec in (image_folder, str(image_folder)):
        with open_source(spec) as source:
            assert isinstance(source, ImageFolderSource) and source.frame_count == 3


def test_video_files_open_as_videos(short_video, tmp_path):
    with open_source(str(short_video)) as source:
        assert isinstance(source, VideoFileSource)
    unusual = tmp_path / "recording.bin"  # no video suffix, but a real video
    shutil.copyfile(short_video, unusual)
    with open_source(unusual) as source:
        assert isinstance(source, VideoFileSource) and source.frame_count == 40


@pytest.mark.parametrize(
    ("spec", "target"), [(0, 0), ("1", 1), ("webcam:2", 2), ("rtsp://cam/live", "rtsp://cam/live")]
)
def test_camera_specs_open_cameras(fake_cameras, spec, target):
    with open_source(spec) as source:
        assert isinstance(source, WebcamSource) and source.is_live
    assert fake_cameras == [target]


def test_existing_folder_wins_over_a_camera_index(image_folder, monkeypatch, fake_cameras):
    monkeypatch.chdir(image_folder.parent)
    image_folder.rename(image_folder.parent / "0")
    with open_source("0") as source:
        assert isinstance(source, ImageFolderSource)
    assert fake_cameras == []


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("missing.mp4", "video file not found"),
        ("no/such/thing", "cannot open 'no/such/thing'"),
        ("", "cannot open ''"),
        (-1, "cannot open '-1'"),
    ],
)
def test_unknown_or_missing_specs(spec, message, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SourceError, match=message):
        open_source(spec)


def test_single_image_points_to_its_folder(image_folder):
    with pytest.raises(SourceError, match="single image"):
        open_source(image_folder / "1.png")


def test_text_file_is_reported_as_not_a_video(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("hello")
    with pytest.raises(SourceError, match="cannot open notes.txt as a video"):
        open_source(path)
