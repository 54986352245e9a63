"""Fixtures for the frame-source tests: generated videos and the shared bag.avi."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest
from source_samples import FRAMES_PER_VIDEO, VIDEO_KINDS


@pytest.fixture(scope="session", params=sorted(VIDEO_KINDS))
def generated_video(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Each kind of generated video, FRAMES_PER_VIDEO frames of pattern_frame(0..)."""
    name, write = VIDEO_KINDS[request.param]
    return write(tmp_path_factory.mktemp("videos") / name, FRAMES_PER_VIDEO)


@pytest.fixture(scope="session")
def short_video(tmp_path_factory: pytest.TempPathFactory) -> Path:
    name, write = VIDEO_KINDS["h264-gop5-bframes.mp4"]
    return write(tmp_path_factory.mktemp("short") / name, FRAMES_PER_VIDEO)


@pytest.fixture(scope="session")
def bag_video(shared_data: Path) -> Path:
    path = shared_data / "videos" / "bag.avi"
    if not path.is_file():
        pytest.skip(f"{path} not found")
    return path


@pytest.fixture(scope="session")
def bag_frames(bag_video: Path) -> list[np.ndarray]:
    """Every frame of bag.avi from one sequential pass of OpenCV's decoder (RGB)."""
    capture = cv2.VideoCapture(str(bag_video))
    frames = []
    while True:
        ok, frame = capture.read()
        if not ok:
            break
        frames.append(cv2.cvtColor(frame, cv2.COLOR_BGR2RGB))
    capture.release()
    return frames
