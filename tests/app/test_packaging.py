"""The one-folder PyInstaller build: it builds, and the frozen executable runs the window scripted and the
subcommands the window starts as child processes. Slow (minutes): run with --run-slow."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import cv2
import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def frozen(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("pyinstaller")
    build = subprocess.run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--clean",
            "--distpath",
            str(work / "dist"),
            "--workpath",
            str(work / "build"),
            str(ROOT / "build.spec"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=3600,
        check=False,
    )
    assert build.returncode == 0, build.stderr[-4000:]
    executable = work / "dist" / "siamtrack" / "siamtrack"
    assert executable.is_file()
    return executable


def run_frozen(executable: Path, tmp_path: Path, *args: str, timeout: float = 600):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp_path / "config"))
    env.pop("PYTHONPATH", None)
    return subprocess.run(
        [str(executable), *args],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def test_frozen_window_tracks_scripted(frozen, tmp_path, shared_data, cfnet_weights):
    shot = tmp_path / "frozen.png"
    result = run_frozen(
        frozen,
        tmp_path,
        "gui",
        str(shared_data / "videos" / "bag.avi"),
        "--box",
        "291,124,150,140",
        "--track",
        "20",
        "--model",
        str(cfnet_weights),
        "--screenshot",
        str(shot),
        "--quit",
    )
    assert result.returncode == 0, result.stderr[-4000:]
    image = cv2.imread(str(shot))
    assert image is not None and image.shape[0] > 600 and image.std() > 10


def test_frozen_subcommands_run(frozen, tmp_path, shared_data):
    out = tmp_path / "boxes.txt"
    track = run_frozen(
        frozen,
        tmp_path,
        "track",
        str(shared_data / "videos" / "bag.avi"),
        "--box",
        "291,124,150,140",
        "--frames",
        "5",
        "--verbose",
        "--out",
        str(out),
    )
    assert track.returncode == 0, track.stderr[-4000:]
    assert "SiamTrack default model" in track.stdout + track.stderr  # the bundled model travels with the build
    assert len(out.read_text().split()) >= 5
    train = run_frozen(frozen, tmp_path, "train", "--help")
    assert train.returncode == 0 and "--epochs" in train.stdout, train.stderr[-4000:]
    missing = run_frozen(frozen, tmp_path, "track", "/nonexistent.avi", "--box", "1,1,5,5")
    assert missing.returncode == 2 and missing.stderr.count("\n") == 1
