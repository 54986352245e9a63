import subprocess
import sys

import numpy as np
import pytest

from app.cli import main
from core.boxes import iou
from core.sequences import load_sequence


def test_track_writes_one_box_per_frame(shared_data, cfnet_weights, tmp_path):
    out = tmp_path / "boxes.txt"
    first = load_sequence(shared_data / "sequences" / "vot15_bag").boxes[0]
    box = ",".join(f"{v:.3f}" for v in first)
    code = main(["track", str(shared_data / "videos" / "bag.avi"), "--box", box, "--frames", "12",
                 "--model", str(cfnet_weights), "--engine", "fp32", "--out", str(out)])
    assert code == 0
    boxes = np.loadtxt(out, delimiter=",")
    assert boxes.shape == (13, 4)
    truth = load_sequence(shared_data / "sequences" / "vot15_bag").boxes[:13]
    assert iou(boxes, truth).mean() > 0.5


def test_track_with_an_opencv_tracker_on_an_image_folder(shared_data, tmp_path):
    out = tmp_path / "boxes.txt"
    seq = load_sequence(shared_data / "sequences" / "Crossing")
    code = main(["track", str(seq.frames[0].parent), "--box", ",".join(map(str, seq.boxes[0])), "--tracker", "csrt",
                 "--frames", "5", "--out", str(out)])
    assert code == 0
    assert np.loadtxt(out, delimiter=",").shape == (6, 4)


@pytest.mark.parametrize("arguments, message", [
    (["track", "missing.avi", "--box", "1,2,3,4"], "not found"),
    (["track", "{video}", "--box", "1000,2,3,4", "--tracker", "kcf"], "outside"),
    (["track", "{video}", "--box", "1,2,0,4", "--tracker", "kcf"], "empty"),
    (["track", "{video}", "--box", "1,2,30,40", "--model", "{bad}"], "not a valid"),
])
def test_bad_input_gives_one_line_and_exit_code_2(shared_data, tmp_path, arguments, message):
    bad = tmp_path / "bad.safetensors"
    bad.write_bytes(b"\x00" * 64)
    arguments = [a.format(video=shared_data / "videos" / "bag.avi", bad=bad) for a in arguments]
    result = subprocess.run([sys.executable, "-m", "app", *arguments], capture_output=True, text=True, timeout=120,
                            check=False)
    assert result.returncode == 2
    errors = [line for line in result.stderr.splitlines() if "error" in line]
    assert len(errors) == 1 and message in errors[0]
    assert "Traceback" not in result.stderr
