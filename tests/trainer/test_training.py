"""Training runs end to end: the loss falls, files are written, and a stopped run resumes exactly."""

from __future__ import annotations

import json

import pytest
import torch
from trainer_fixtures import run_training, short_config

from core.models import load_model, save_model
from core.models.checkpoint import Model
from core.network import build_network
from trainer.checkpoint import load_checkpoint
from trainer.loop import StopRequest
from trainer.network_setup import initial_network, parameter_groups


def _by_kind(events, kind):
    return [e for e in events if e["event"] == kind]


def test_training_loss_falls_by_a_third(reference_run):
    """bf16 autocast training on 5 synthetic sequences: the mean train loss of the last of 4 short epochs
    is at most 70 % of the first epoch's; the validation loss falls too."""
    _, _, summary, events = reference_run
    epochs = _by_kind(events, "epoch")
    assert [e["epoch"] for e in epochs] == [1, 2, 3, 4]
    first, last = epochs[0], epochs[-1]
    assert last["train_loss"] <= 0.7 * first["train_loss"], [e["train_loss"] for e in epochs]
    assert last["val_loss"] < first["val_loss"]
    assert summary["best_epoch"] in (3, 4)


def test_events_describe_the_run(reference_run):
    _, run_dir, _, events = reference_run
    kinds = [e["event"] for e in events]
    assert set(kinds[: kinds.index("start")]) <= {"curate"} and kinds[-1] == "done"
    start = events[kinds.index("start")]
    assert start["precision"] == "bf16-autocast" and start["response_size"] == 17 - 2
    assert start["dataset"]["train_trajectories"] + start["dataset"]["val_trajectories"] == 6
    assert start["steps_per_epoch"] == 4
    steps = _by_kind(events, "step")
    assert len(steps) == 4 * 2 and steps[-1]["global_step"] == 16
    assert all(s["loss"] > 0 and s["pairs_per_s"] > 0 and s["eta_s"] >= 0 for s in steps)
    lrs = [e["lr"] for e in _by_kind(events, "epoch")]
    assert lrs == pytest.approx(
        [1e-2, 1e-2 * 0.1 ** (1 / 3), 1e-2 * 0.1 ** (2 / 3), 1e-3], rel=1e-6
    )  # log-spaced
    checkpoints = _by_kind(events, "checkpoint")
    assert [c["model"] for c in checkpoints] == [
        str(run_dir / "models" / f"epoch-{i:03d}.safetensors") for i in range(1, 5)
    ]
    assert all(json.dumps(e) for e in events)


def test_run_folder_holds_tracker_models_and_a_safe_checkpoint(reference_run):
    config, run_dir, summary, _ = reference_run
    model = load_model(summary["model"])
    assert model.architecture == "siamfc-alexnet"
    assert model.info["training"]["epoch"] == 4
    assert load_model(summary["best_model"]).info["training"]["epoch"] == summary["best_epoch"]
    assert sorted(p.name for p in (run_dir / "models").iterdir()) == [
        f"epoch-{i:03d}.safetensors" for i in range(1, 5)
    ]

    raw = torch.load(run_dir / "checkpoint.pt", weights_only=True)  # no arbitrary unpickling
    assert raw["epoch"] == 4
    state = load_checkpoint(run_dir / "checkpoint.pt")
    assert state["config"] == config.to_dict()
    assert [h["epoch"] for h in state["history"]] == [1, 2, 3, 4]
    assert json.loads((run_dir / "history.json").read_text()) == state["history"]
    for name, tensor in model.net.state_dict().items():
        assert torch.equal(tensor, state["model"][name])
    assert not [p for p in run_dir.rglob("*") if p.name.endswith(".tmp")]


def test_a_run_stopped_mid_epoch_resumes_to_identical_weights(reference_run, crop_cache_dir, tmp_path):
    config, reference_dir, _, _ = reference_run
    run_dir = tmp_path / "run"
    stop = StopRequest()

    def stop_after_epoch_two(event):
        if event["event"] == "step" and event["epoch"] == 3:
            stop.request()  # mid-epoch 3: its progress is lost, as when a run is killed

    summary, events = run_training(config, run_dir, crop_cache_dir, stop=stop, listener=stop_after_epoch_two)
    assert summary["stopped"] and summary["epoch"] == 2
    assert events[-1]["event"] == "stopped" and events[-1]["epoch"] == 2
    assert load_checkpoint(run_dir / "checkpoint.pt")["epoch"] == 2
    assert not (run_dir / "models" / "epoch-003.safetensors").exists()

    summary, events = run_training(config, run_dir, crop_cache_dir, resume=True)
    assert events[0]["resumed_from"] == 2
    assert [e["epoch"] for e in _by_kind(events, "epoch")] == [3, 4]
    resumed = load_checkpoint(run_dir / "checkpoint.pt")
    reference = load_checkpoint(reference_dir / "checkpoint.pt")
    for name, tensor in reference["model"].items():
        assert torch.equal(tensor, resumed["model"][name]), name
    assert resumed["history"][-1]["train_loss"] == reference["history"][-1]["train_loss"]


def test_resume_refuses_a_changed_configuration(reference_run, crop_cache_dir, tmp_path):
    from core.errors import SiamTrackError

    config, reference_dir, _, _ = reference_run
    with pytest.raises(SiamTrackError, match="changed: epochs"):
        run_training(config.replace(epochs=9), reference_dir, crop_cache_dir, resume=True)
    with pytest.raises(SiamTrackError, match="already holds a training run"):
        run_training(config, reference_dir, crop_cache_dir)


def test_data_loading_workers_give_the_same_training(moving_data, crop_cache_dir, tmp_path):
    config = short_config(moving_data, epochs=1, pairs_per_epoch=16, val_pairs=8)
    _, serial = run_training(config, tmp_path / "serial", crop_cache_dir, workers=0)
    _, parallel = run_training(config, tmp_path / "parallel", crop_cache_dir, workers=2)
    assert _by_kind(serial, "epoch")[0]["train_loss"] == _by_kind(parallel, "epoch")[0]["train_loss"]
    a = load_checkpoint(tmp_path / "serial" / "checkpoint.pt")["model"]
    b = load_checkpoint(tmp_path / "parallel" / "checkpoint.pt")["model"]
    assert all(torch.equal(a[k], b[k]) for k in a)


def test_init_from_a_cfnet_model_copies_conv1_and_conv2(tmp_path):
    source = build_network("cfnet-baseline-conv3")
    for parameter in source.parameters():
        torch.nn.init.uniform_(parameter)
    path = tmp_path / "cfnet.safetensors"
    save_model(Model(source, "cfnet-baseline-conv3"), path)

    net, report = initial_network("siamfc-alexnet", seed=0, init=str(path))
    assert report["copied_layers"] == ["backbone.conv1", "backbone.conv2"]
    assert report["untouched_layers"] == [
        "backbone.conv3",
        "backbone.conv4",
        "backbone.conv5",
        "bias",
        "gain",
    ]
    state, source_state = net.state_dict(), source.state_dict()
    for name in source_state:
        if name.startswith(("backbone.conv1", "backbone.conv2")):
            assert torch.equal(state[name], source_state[name]), name
    assert net.gain.item() == pytest.approx(0.001)  # the head keeps SiamFC's own scale
    fresh, _ = initial_network("siamfc-alexnet", seed=0)
    assert torch.equal(state["backbone.conv3.0.weight"], fresh.state_dict()["backbone.conv3.0.weight"])


def test_weight_decay_only_on_convolution_weights():
    net = build_network("siamfc-alexnet")
    decayed, plain = parameter_groups(net, 5e-4)
    assert decayed["weight_decay"] == 5e-4 and plain["weight_decay"] == 0.0
    assert len(decayed["params"]) == 5 and all(p.dim() == 4 for p in decayed["params"])
    assert any(p is net.bias for p in plain["params"])
    assert not any(p is net.gain for p in plain["params"] + decayed["params"])  # fixed in SiamFC


def test_a_trained_model_is_usable_by_the_tracker(reference_run, moving_data):
    from core.sequences import load_sequence
    from core.sources.folder import read_image
    from core.tracking.factory import create_tracker

    _, _, summary, _ = reference_run
    sequence = load_sequence(moving_data / "seq00")
    tracker = create_tracker("siamfc", model=summary["model"], device="cpu", engine="fp32")
    tracker.init(read_image(sequence.frames[0]), tuple(sequence.boxes[0]))
    result = tracker.update(read_image(sequence.frames[1]))
    assert all(map(float.__instancecheck__, result.box)) and 0.0 <= result.score <= 1.0


def test_the_cfnet_architecture_trains_with_its_own_stride():
    from trainer.step import TrainStep

    torch.manual_seed(0)
    net, _ = initial_network("cfnet-baseline-conv3", seed=0)
    optimizer = torch.optim.SGD(parameter_groups(net, 5e-4), lr=1e-2, momentum=0.9)
    step = TrainStep(net, optimizer, torch.device("cpu"), None, True, positive_radius=16)
    exemplars = torch.randint(0, 256, (2, 127, 127, 3), dtype=torch.uint8)
    searches = torch.randint(0, 256, (2, 239, 239, 3), dtype=torch.uint8)
    offsets, positive = torch.zeros(2, 2), torch.ones(2, dtype=torch.bool)
    responses = step.responses(exemplars, searches)
    assert responses.shape == (2, 1, 29, 29) and step.stride == 4
    assert step.labels(responses, offsets, positive)[0, 0].sum() == 49  # 16 px = 4 cells at stride 4
    before = net.gain.item()
    assert torch.isfinite(step(exemplars, searches, offsets, positive))
    assert net.gain.item() != before  # CFNet learns its gain
