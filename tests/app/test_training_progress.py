"""The training panel's pieces without a process: lines split from partial reads, events folded into what
the panel shows, durations people read, the `train` command line and remembered options."""

from __future__ import annotations

import json
import sys

import pytest

from app.controllers import training_options
from app.controllers.training_options import (
    TrainingOptions,
    load_options,
    save_options,
    trainer_command,
)
from app.controllers.training_process import LineBuffer, parse_event
from app.controllers.training_progress import TrainingProgress, format_duration
from app.settings import AppSettings
from trainer.commands import add_arguments


def test_lines_are_split_across_partial_reads():
    buffer = LineBuffer()
    assert buffer.feed(b'{"event": "st') == []
    assert buffer.feed(b'art"}\n{"event": "step", "lo') == ['{"event": "start"}']
    assert buffer.feed(b'ss": 0.5}\r\nwarn\xc3') == ['{"event": "step", "loss": 0.5}']
    assert buffer.feed(b"\xa9 tail") == []
    assert buffer.flush() == ["warn\u00e9 tail"]  # a multi-byte character split between reads survives
    assert buffer.flush() == []


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ('{"event": "epoch", "epoch": 1}', {"event": "epoch", "epoch": 1}),
        ('{"no_event": 1}', None),
        ("[1, 2]", None),
        ("{not json", None),
        ("Traceback (most recent call last):", None),
    ],
)
def test_only_the_trainers_json_objects_are_events(line, expected):
    assert parse_event(line) == expected


def step(epoch: int, step: int, loss: float, steps: int = 4) -> dict:
    return {"event": "step", "epoch": epoch, "step": step, "steps": steps, "loss": loss, "lr": 0.01,
            "pairs_per_s": 12.5, "eta_s": 30.0}  # fmt: skip


def epoch(number: int, train: float, val: float | None) -> dict:
    return {"event": "epoch", "epoch": number, "epochs": 3, "train_loss": train, "val_loss": val,
            "val_center_error_px": 1.5, "eta_s": 10.0}  # fmt: skip


def test_events_fold_into_curves_progress_and_the_best_epoch(tmp_path):
    p = TrainingProgress(run_dir=tmp_path)
    p.apply({"event": "curate", "done": 5, "total": 10})
    assert (p.phase, p.curate_done, p.curate_total) == ("curating", 5, 10)
    p.apply({"event": "start", "config": {"epochs": 3}, "steps_per_epoch": 4, "device": "cpu", "dataset": {}})
    assert (p.phase, p.epochs, p.steps) == ("training", 3, 4)
    for s in (2, 4):
        p.apply(step(1, s, 1.0 / s))
    p.apply(epoch(1, 0.7, 0.9))
    p.apply(step(2, 2, 0.4))
    p.apply(epoch(2, 0.5, 1.2))
    p.apply({"event": "unknown-kind"})
    assert p.step_x == [0.5, 1.0, 1.5]
    assert p.step_loss == [0.5, 0.25, 0.4]
    assert p.epoch_curve("train_loss") == ([1.0, 2.0], [0.7, 0.5])
    assert p.epoch_curve("val_loss") == ([1.0, 2.0], [0.9, 1.2])
    assert p.best_epoch == 1  # the lowest validation loss, not the lowest training loss
    assert (p.completed_epochs, p.pairs_per_s, p.eta_s) == (2, 12.5, 10.0)
    p.apply({"event": "stopped", "epoch": 2})
    assert p.phase == "stopped" and "epoch 2" in p.message


def test_a_resumed_run_starts_from_its_history_and_drops_epochs_after_the_checkpoint(tmp_path):
    history = [{"epoch": e, "train_loss": 1.0 / e, "val_loss": None} for e in (1, 2, 3)]
    (tmp_path / "history.json").write_text(json.dumps(history))
    p = TrainingProgress.for_run(tmp_path)
    assert p.epoch_curve("train_loss")[0] == [1.0, 2.0, 3.0]
    assert p.best_epoch == 3  # without validation the training loss decides
    p.apply({"event": "start", "config": {"epochs": 5}, "steps_per_epoch": 4, "resumed_from": 2})
    assert p.completed_epochs == 2


def test_checkpoints_list_best_and_last_then_every_epoch_newest_first(tmp_path):
    (tmp_path / "models").mkdir()
    for name in ("models/epoch-001.safetensors", "models/epoch-002.safetensors", "model-best.safetensors",
                 "model-last.safetensors"):  # fmt: skip
        (tmp_path / name).write_bytes(b"x")
    p = TrainingProgress(run_dir=tmp_path)
    p.apply(epoch(1, 0.7, 0.6))
    p.apply(epoch(2, 0.5, 0.8))
    entries = p.checkpoints()
    assert [e.label for e in entries] == ["Best (epoch 1)", "Last (epoch 2)", "Epoch 2", "Epoch 1"]
    assert [e.best for e in entries] == [True, False, False, True]
    assert entries[3].record.val_loss == 0.6
    assert TrainingProgress().checkpoints() == []


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (None, "—"),
        (-1, "—"),
        (float("nan"), "—"),
        (0.4, "0 s"),
        (45, "45 s"),
        (200, "3 min 20 s"),
        (7500, "2 h 05 min"),
        (97200, "1 d 3 h"),
    ],
)
def test_durations_read_like_a_person_says_them(seconds, text):
    assert format_duration(seconds) == text


def test_the_command_line_is_one_the_trainer_accepts(tmp_path):
    import argparse

    parser = argparse.ArgumentParser()
    add_arguments(parser)
    options = TrainingOptions(data=str(tmp_path), epochs=3, pairs_per_epoch=800, batch_size=8, lr_end=1e-5,
                              init=str(tmp_path / "m.safetensors"), threads=2, workers=0)  # fmt: skip
    args = parser.parse_args(options.new_run_arguments(tmp_path / "run"))
    assert (args.data, args.epochs, args.pairs_per_epoch, args.lr_end) == (str(tmp_path), 3, 800, 1e-5)
    assert (args.out, args.threads, args.workers, args.log_every) == (tmp_path / "run", 2, 0, 1)
    assert args.init == str(tmp_path / "m.safetensors") and not args.resume
    resumed = parser.parse_args(TrainingOptions().resume_arguments(tmp_path / "run"))
    assert resumed.resume and resumed.out == tmp_path / "run"
    assert resumed.data is None and resumed.epochs is None  # what it computes comes from the run
    assert resumed.threads is None and resumed.workers is None  # auto: the trainer chooses


def test_the_trainer_runs_from_source_or_as_the_frozen_executables_subcommand(monkeypatch):
    assert trainer_command() == (sys.executable, ["-m", "trainer"])
    monkeypatch.setattr(training_options.sys, "frozen", True, raising=False)
    assert trainer_command() == (sys.executable, ["train"])


def test_options_are_remembered_and_bad_stored_values_fall_back():
    options = TrainingOptions(
        data="/data/vid", format="vid", epochs=7, lr_start=0.02, device="cpu", workers=0
    )
    save_options(AppSettings().store, options)
    assert load_options(AppSettings().store) == options
    store = AppSettings().store
    store.setValue("training/epochs", "many")
    assert load_options(store).epochs == TrainingOptions().epochs
