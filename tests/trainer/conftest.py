"""Shared fixtures of the trainer tests: a small learnable dataset and a finished reference run."""

from __future__ import annotations

from pathlib import Path

import pytest
from trainer_fixtures import run_training, short_config, write_moving_objects


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
