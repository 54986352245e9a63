"""`siamtrack gui SOURCE --box … --track N --screenshot PNG --quit`, run as a user runs it (a new process)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import cv2
import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[2]


def run_gui(tmp_path: Path, *args: str, timeout: float = 240) -> subprocess.CompletedProcess:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp_path / "config"))
    return subprocess.run(
        [sys.executable, "-m", "app", "gui", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        check=False,
        text=True,
        timeout=timeout,
    )


def image_pixels(path: Path) -> np.ndarray:
    pixels = cv2.imread(str(path))
    assert pixels is not None, f"{path} is not a readable image"
    return pixels


def test_scripted_run_tracks_saves_a_screenshot_and_exits_0(tmp_path, bag_video):
    shot = tmp_path / "shot.png"
    result = run_gui(
        tmp_path,
        str(bag_video),
        "--box",
        "291,124,150,140",
        "--track",
        "4",
        "--tracker",
        "identity",
        "--screenshot",
        str(shot),
        "--quit",
    )
    assert result.returncode == 0, result.stderr
    pixels = image_pixels(shot)
    assert pixels.shape[0] > 600 and pixels.shape[1] > 1000  # the whole window, at its default size
    assert pixels.std() > 10  # a frame, not an empty grey window
    assert not (tmp_path / "config" / "SiamTrack" / "SiamTrack.ini").read_text().count("window/")


def test_scripted_run_with_cfnet_weights(tmp_path, bag_video, cfnet_weights):
    shot = tmp_path / "cfnet.png"
    result = run_gui(
        tmp_path,
        str(bag_video),
        "--box",
        "291,124,150,140",
        "--track",
        "3",
        "--model",
        str(cfnet_weights),
        "--device",
        "cpu",
        "--screenshot",
        str(shot),
        "--quit",
    )
    assert result.returncode == 0, result.stderr
    assert shot.stat().st_size > 10_000


@pytest.mark.parametrize(
    "args, words",
    [
        (["/nonexistent/video.avi", "--screenshot", "x.png", "--quit"], "cannot open"),
        (["--track", "5"], "--box"),
        (["video.avi", "--box", "1,2,3"], "four numbers"),
        (["video.avi", "--tracker", "magic", "--quit"], "unknown --tracker"),
    ],
)
def test_scripted_run_failures_exit_nonzero_with_one_line(tmp_path, args, words):
    args = [str(tmp_path / a) if a == "x.png" else a for a in args]
    result = run_gui(tmp_path, *args)
    assert result.returncode != 0
    lines = [line for line in result.stderr.splitlines() if line.startswith("siamtrack")]
    assert len(lines) == 1 and words in lines[0].lower(), result.stderr
