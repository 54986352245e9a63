"""Training on CUDA (bf16 autocast, channels-last): run with --run-gpu on a machine with a GPU."""

from __future__ import annotations

import io
import json

import pytest
import torch
from trainer_fixtures import short_config

from trainer import RunOptions, Trainer
from trainer.events import EventLog

pytestmark = pytest.mark.gpu


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs CUDA")
def test_cuda_training_reduces_the_loss_and_writes_cpu_loadable_models(moving_data, crop_cache_dir, tmp_path):
    from core.models import load_model

    stream = io.StringIO()
    config = short_config(moving_data, precision="auto")
    summary = Trainer(
        config,
        tmp_path / "run",
        RunOptions(device="cuda", workers=2, cache_dir=crop_cache_dir),
        EventLog(stream),
    ).run()
    events = [json.loads(line) for line in stream.getvalue().splitlines()]
    start = next(e for e in events if e["event"] == "start")
    assert start["device"].startswith("cuda") and start["precision"] == "bf16-autocast"
    epochs = [e for e in events if e["event"] == "epoch"]
    assert epochs[-1]["train_loss"] <= 0.7 * epochs[0]["train_loss"]
    model = load_model(summary["model"])
    assert next(model.net.parameters()).device.type == "cpu"
