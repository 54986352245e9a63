"""The `train` command: its options, one-line errors with exit code 2, JSON lines, and SIGTERM."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from app.cli import main as siamtrack
from trainer.checkpoint import load_checkpoint
from trainer.commands import CONFIG_OPTIONS

ROOT = Path(__file__).resolve().parents[2]


def _events(text):
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def test_help_documents_every_option(capsys):
    with pytest.raises(SystemExit) as exit_info:
        siamtrack(["train", "--help"])
    assert exit_info.value.code == 0
    text = capsys.readouterr().out
    flags = [
        "--data",
        "--format",
        "--arch",
        "--init",
        "--config",
        "--out",
        "--resume",
        "--device",
        "--workers",
        "--threads",
        "--cache-dir",
        "--rebuild-cache",
        "--log-every",
        *(flag for flag, *_ in CONFIG_OPTIONS),
    ]
    for flag in flags:
        assert flag in text, flag
    for required in (
        "--split",
        "--epochs",
        "--batch-size",
        "--pairs-per-epoch",
        "--lr-start",
        "--lr-end",
        "--seed",
        "--val-fraction",
    ):
        assert required in flags
    assert "vid" in text and "got10k" in text and "otb" in text


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--data", "{tmp}/missing", "--format", "otb"], "dataset folder not found"),
        (["--data", "{tmp}", "--format", "otb"], "holds no sequence folders"),
        (["--data", "{tmp}", "--format", "vid"], "not an ImageNet VID folder"),
        (["--data", "{tmp}", "--format", "got10k"], "no GOT-10k sequences"),
        (["--data", "{tmp}", "--format", "crops"], "holds 0 crop caches"),
        (["--format", "otb"], "--data ROOT is required"),
        (["--resume", "--out", "{tmp}/run"], "no checkpoint"),
        (["--resume"], "--resume needs --out"),
        (["--data", "{tmp}", "--epochs", "0"], "epochs must be at least 1"),
        (
            ["--data", "{tmp}", "--config", "{tmp}/config.json"],
            "unknown TrainConfig option(s): learning_rate",
        ),
    ],
)
def test_bad_input_is_one_line_and_exit_code_2(tmp_path, capsys, arguments, message):
    (tmp_path / "config.json").write_text('{"learning_rate": 0.1}')
    argv = ["train", *(a.replace("{tmp}", str(tmp_path)) for a in arguments)]
    if "--resume" not in arguments:
        argv += ["--out", str(tmp_path / "out")]
    assert siamtrack(argv) == 2
    captured = capsys.readouterr()
    error_lines = captured.err.strip().splitlines()
    assert len(error_lines) == 1 and message in error_lines[0], captured.err
    events = _events(captured.out)
    assert events[-1]["event"] == "error" and message in events[-1]["message"]
    assert not (tmp_path / "out" / "checkpoint.pt").exists()


def test_unknown_format_is_a_usage_error(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_info:
        siamtrack(["train", "--data", str(tmp_path), "--format", "coco"])
    assert exit_info.value.code == 2
    assert "invalid choice: 'coco'" in capsys.readouterr().err


def test_python_dash_m_trainer_runs_the_same_command(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "trainer", "--data", str(tmp_path / "nowhere")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 2
    assert (
        result.stderr.strip() == f"python -m trainer: error: dataset folder not found: {tmp_path / 'nowhere'}"
    )
    assert _events(result.stdout)[-1]["event"] == "error"


def test_sigterm_stops_after_the_last_complete_epoch_and_resume_finishes(
    moving_data, crop_cache_dir, tmp_path
):
    run_dir = tmp_path / "run"
    common = ["--cache-dir", str(crop_cache_dir), "--device", "cpu", "--workers", "0", "--log-every", "1"]
    command = [
        sys.executable,
        "-m",
        "trainer",
        "--data",
        str(moving_data),
        "--format",
        "otb",
        "--epochs",
        "3",
        "--pairs-per-epoch",
        "16",
        "--val-pairs",
        "8",
        "--precision",
        "bf16",
        "--out",
        str(run_dir),
        *common,
    ]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    seen = []
    try:
        for line in process.stdout:
            seen.append(json.loads(line))
            if seen[-1]["event"] == "checkpoint":
                process.send_signal(signal.SIGTERM)
                break
        out, err = process.communicate(timeout=300)
    finally:
        if process.poll() is None:
            os.kill(process.pid, signal.SIGKILL)
    events = seen + _events(out)
    assert process.returncode == 143, err
    assert events[-1]["event"] == "stopped" and events[-1]["epoch"] == 1
    assert events[-1]["checkpoint"] == str(run_dir / "checkpoint.pt")
    assert load_checkpoint(run_dir / "checkpoint.pt")["epoch"] == 1
    assert not [p for p in run_dir.rglob("*") if p.name.endswith(".tmp")]

    resumed = subprocess.run(
        [sys.executable, "-m", "trainer", "--resume", "--out", str(run_dir), *common],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert resumed.returncode == 0, resumed.stderr
    events = _events(resumed.stdout)
    assert [e["epoch"] for e in events if e["event"] == "epoch"] == [2, 3]
    assert events[-1]["event"] == "done"
    assert load_checkpoint(run_dir / "checkpoint.pt")["epoch"] == 3
