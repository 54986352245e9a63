"""Shared fixtures of the trainer tests: a small learnable dataset and a finished reference run."""
from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from trainer_fixtures import write_moving_objects

from trainer import RunOptions, TrainConfig, Trainer
from trainer.events import EventLog


def short_config(data: Path, **changes) -> TrainConfig:
    """A few short epochs on the moving-objects data; bf16 autocast, as auto picks on CPUs with AMX."""
    values = dict(data=str(data), format="otb", epochs=4, pairs_per_epoch=32, val_pairs=16, val_fraction=0.2,
                  lr_start=1e-2, lr_end=1e-3, precision="bf16", seed=7)
    return TrainConfig(**{**values, **changes})


def run_training(config: TrainConfig, run_dir: Path, cache_dir: Path, resume: bool = False, stop=None,
                 listener=None, workers: int = 0) -> tuple[dict, list[dict]]:
    stream = io.StringIO()
    options = RunOptions(device="cpu", workers=workers, cache_dir=cache_dir, log_every=2)
    summary = Trainer(config, run_dir, options, EventLog(stream, listener), stop).run(resume=resume)
    return summary, [json.loads(line) for line in stream.getvalue().splitlines()]


@pytest.fixture(scope="session")
def moving_data(tmp_path_factory) -> Path:
    return write_moving_objects(tmp_path_factory.mktemp("moving-objects"), sequences=6, frames=16)


@pytest.fixture(scope="session")
def crop_cache_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("crop-cache")


@pytest.fixture(scope="session")
def reference_run(moving_data, crop_cache_dir, tmp_path_factory):
    """An uninterrupted short run: (config, run folder, summary, events)."""
    config = short_config(moving_data)
    run_dir = tmp_path_factory.mktemp("reference") / "run"
    summary, events = run_training(config, run_dir, crop_cache_dir)
    return config, run_dir, summary, events
