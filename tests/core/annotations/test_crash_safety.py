"""A process saving a big project over and over is killed (SIGKILL) at random moments: the project file on
disk must always load."""

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from core.annotations import load_project

KILLS = 5
SAVER = r"""
import sys
from pathlib import Path
from core.annotations import BoxRecord, Origin, Project, TrackObject, VideoInfo, save_project

path = Path(sys.argv[1])
objects = [TrackObject(t, "car") for t in range(1, 11)]
round_number = 0
while True:
    tracks = {t: {f: BoxRecord((f + t + round_number * 0.001, 10.5, 20.25, 30), Origin.TRACKED, 0.5)
                  for f in range(2000)} for t in range(1, 11)}
    save_project(Project(VideoInfo(path.with_name("v.avi"), 2000, 640, 480), objects, tracks), path)
    round_number += 1
    print("saved", round_number, flush=True)
"""


@pytest.mark.skipif(os.name != "posix", reason="needs SIGKILL")
def test_killed_writer_never_leaves_a_broken_project(tmp_path):
    path = tmp_path / "big.siamtrack.json"
    script = tmp_path / "saver.py"
    script.write_text(SAVER)
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[3])}
    rng = random.Random(1)
    for _ in range(KILLS):
        process = subprocess.Popen([sys.executable, str(script), str(path)], stdout=subprocess.PIPE, env=env)
        try:
            assert process.stdout.readline().startswith(b"saved")  # at least one complete save
            time.sleep(rng.uniform(0.0, 0.6))
        finally:
            process.send_signal(signal.SIGKILL)
            process.wait()
        project = load_project(path)
        assert project.box_count == 20_000
    interrupted = list(tmp_path.glob(".big.siamtrack.json.*.tmp"))  # writes cut short by a kill
    print(f"\n{KILLS} kills, {len(interrupted)} of them in the middle of a write")
