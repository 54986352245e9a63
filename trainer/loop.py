"""The training loop: one Trainer that owns the network, the optimizer, the schedule and the checkpoints.

Per epoch: the learning rate of the log-spaced schedule, `pairs_per_epoch` pairs drawn afresh (a pure
function of seed, epoch and index), SGD with momentum, then a validation pass on held-out videos (loss
and the distance of the response peak from the target). After each epoch the run folder gets, each
file written atomically:
    models/epoch-NNN.safetensors   the network in the tracker's model format
    model-last.safetensors, model-best.safetensors (lowest validation loss; train loss without validation)
    history.json                    one record per epoch
    checkpoint.pt                   everything needed to resume exactly (written last)
A run stopped or killed mid-epoch loses only that epoch's progress; resuming continues from the last
checkpoint and ends with the same weights as an uninterrupted run on the same device, with the same
precision and number of CPU threads (verified on the CPU; CUDA kernels may not be bit-reproducible).
"""

from __future__ import annotations

import json
import math
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch
from torch.utils.data import DataLoader

from core.atomic import atomic_write_text
from core.device import resolve_device
from core.engines.capabilities import cpu_has_fast_bf16
from core.errors import SiamTrackError
from core.models import Model, save_model
from core.network import SiamNet, get_architecture
from trainer.checkpoint import load_checkpoint, restore_rng, save_checkpoint
from trainer.config import TrainConfig
from trainer.curation import WORKER_START_METHOD, CurationStopped, worker_setup
from trainer.data import PreparedData, prepare_data
from trainer.events import EventLog
from trainer.loss import balanced_logistic_loss, peak_errors
from trainer.network_setup import initial_network, parameter_groups
from trainer.pairs import VAL_STREAM, Augmentation, EpochSampler, PairDataset, PairSampler
from trainer.step import TrainStep

CHECKPOINT_NAME = "checkpoint.pt"
CONFIG_NAME = "config.json"
HISTORY_NAME = "history.json"
LAST_MODEL_NAME = "model-last.safetensors"
BEST_MODEL_NAME = "model-best.safetensors"
VAL_BATCH_SIZE = 32


class TrainingStopped(Exception):
    """The run was asked to stop (SIGTERM); the last complete epoch's files are intact."""


class StopRequest:
    """Set from a signal handler or another thread; checked between training steps."""

    def __init__(self) -> None:
        self.requested = False

    def request(self, *_: Any) -> None:
        self.requested = True

    def __call__(self) -> bool:
        return self.requested


@dataclass(frozen=True)
class RunOptions:
    """How a run executes, not what it computes (except the device, whose rounding differs)."""

    device: str = "auto"
    workers: int | None = None  # DataLoader and curation worker processes; None: chosen from the CPU count
    cache_dir: Path | None = None  # None: <run folder>/../crop-cache
    log_every: int = 50  # steps between "step" events
    rebuild_cache: bool = False
    progress_bar: bool = False  # tqdm on stderr
    threads: int | None = None  # torch CPU threads of this process; None leaves torch's default


def default_workers(device: torch.device) -> int:
    cpus = os.cpu_count() or 1
    return max(0, min(8 if device.type == "cuda" else 4, cpus - 1))


def resolve_precision(name: str, device: torch.device) -> torch.dtype | None:
    """The autocast dtype, or None for plain fp32."""
    if name == "fp32":
        return None
    if name == "bf16":
        return torch.bfloat16
    if device.type == "cuda":
        return torch.bfloat16 if torch.cuda.is_bf16_supported() else None
    if device.type == "cpu":
        return torch.bfloat16 if cpu_has_fast_bf16() else None
    return None


class Trainer:
    def __init__(
        self,
        config: TrainConfig,
        run_dir: Path,
        options: RunOptions = RunOptions(),
        log: EventLog | None = None,
        stop: Callable[[], bool] | None = None,
    ) -> None:
        self.config = config
        self.run_dir = Path(run_dir)
        self.options = options
        self.log = log or EventLog()
        self.stop = stop or (lambda: False)
        self.device = resolve_device(options.device)
        if options.threads is not None:
            torch.set_num_threads(max(1, options.threads))
        self.autocast_dtype = resolve_precision(config.precision, self.device)
        self.channels_last = self.device.type in ("cuda", "cpu")  # faster for these convolutions on both
        self.workers = default_workers(self.device) if options.workers is None else options.workers
        arch = get_architecture(config.arch)
        self.response_size = arch.response_size(config.exemplar_size, config.search_size)
        self.history: list[dict[str, Any]] = []
        self.best: dict[str, Any] = {}
        self.net: SiamNet | None = None
        self.optimizer: torch.optim.Optimizer | None = None
        self.train_step: TrainStep | None = None
        self.data: PreparedData | None = None
        self._timing = {"seconds": 0.0, "steps": 0, "val_seconds": 0.0}
        self._train_loader: DataLoader | None = None
        self._val_loader: DataLoader | None = None

    # --- the run ---------------------------------------------------------------------------------------

    def run(self, resume: bool = False) -> dict[str, Any]:
        started = time.time()
        try:
            state = self._load_resume_state() if resume else self._check_run_dir_is_free()
            self.data = self._prepare_data()
            if not resume:
                self.run_dir.mkdir(parents=True, exist_ok=True)
                atomic_write_text(
                    self.run_dir / CONFIG_NAME, json.dumps(self.config.to_dict(), indent=1) + "\n"
                )
            init_report = self._build(state)
            start_epoch = state["epoch"] if state else 0
            self.log.emit("start", **self._start_fields(start_epoch if state else None, init_report))
            self._make_loaders()
            for epoch in range(start_epoch, self.config.epochs):
                self._run_epoch(epoch)
        except (TrainingStopped, CurationStopped):
            completed = len(self.history)
            checkpoint = self.run_dir / CHECKPOINT_NAME
            self.log.emit(
                "stopped", epoch=completed, checkpoint=str(checkpoint) if checkpoint.is_file() else None
            )
            return {"stopped": True, "epoch": completed}
        finally:
            self._train_loader = self._val_loader = None  # ends persistent workers
        summary = {
            "epochs": self.config.epochs,
            "model": str(self.run_dir / LAST_MODEL_NAME),
            "best_model": str(self.run_dir / BEST_MODEL_NAME),
            "best_epoch": self.best.get("epoch"),
            "seconds": time.time() - started,
        }
        self.log.emit("done", **summary)
        return summary

    def _check_run_dir_is_free(self) -> None:
        if (self.run_dir / CHECKPOINT_NAME).exists():
            raise SiamTrackError(
                f"{self.run_dir} already holds a training run; pass --resume or another --out"
            )

    def _load_resume_state(self) -> dict[str, Any]:
        state = load_checkpoint(self.run_dir / CHECKPOINT_NAME)
        saved = TrainConfig.from_dict(state["config"])
        if saved != self.config:
            changed = sorted(k for k, v in saved.to_dict().items() if self.config.to_dict()[k] != v)
            raise SiamTrackError(
                f"cannot resume with a different configuration (changed: {', '.join(changed)})"
            )
        self.history = state["history"]
        self.best = state["best"]
        return state

    def _prepare_data(self) -> PreparedData:
        cache_dir = self.options.cache_dir or (self.run_dir.parent / "crop-cache")
        bar = _progress_bar(self.options.progress_bar, "curating crops", "crop")
        reported = [-1]

        def progress(done: int, total: int) -> None:
            if bar is not None:
                bar.total = total
                bar.update(done - bar.n)
            percent = 100 * done // max(total, 1)
            if percent > reported[0]:  # at most one event per percent
                reported[0] = percent
                self.log.emit("curate", done=done, total=total)

        try:
            return prepare_data(
                self.config, cache_dir, self.workers, self.options.rebuild_cache, progress, self.stop
            )
        finally:
            if bar is not None:
                bar.close()

    def _build(self, state: dict[str, Any] | None) -> dict[str, Any] | None:
        cfg = self.config
        net, init_report = initial_network(cfg.arch, cfg.seed, None if state else cfg.init)
        if state:
            net.load_state_dict(state["model"])
        net = net.to(self.device)
        if self.channels_last:
            net = net.to(memory_format=torch.channels_last)
        self.net = net
        self.optimizer = torch.optim.SGD(
            parameter_groups(net, cfg.weight_decay), lr=cfg.lr_start, momentum=cfg.momentum
        )
        if state:
            self.optimizer.load_state_dict(state["optimizer"])
            restore_rng(state)
        self.train_step = TrainStep(
            net, self.optimizer, self.device, self.autocast_dtype, self.channels_last, cfg.positive_radius
        )
        return init_report

    def _start_fields(self, resumed_from: int | None, init_report: dict[str, Any] | None) -> dict[str, Any]:
        return {
            "config": self.config.to_dict(),
            "run_dir": str(self.run_dir),
            "device": str(self.device),
            "precision": "bf16-autocast" if self.autocast_dtype is not None else "fp32",
            "channels_last": self.channels_last,
            "workers": self.workers,
            "threads": torch.get_num_threads(),
            "response_size": self.response_size,
            "steps_per_epoch": self._steps_per_epoch(),
            "dataset": self.data.summary(),
            "resumed_from": resumed_from,
            "init": init_report,
        }

    # --- one epoch -------------------------------------------------------------------------------------

    def _run_epoch(self, epoch: int) -> None:
        cfg = self.config
        started = time.time()
        lr = cfg.learning_rate(epoch)
        for group in self.optimizer.param_groups:
            group["lr"] = lr
        train_loss, pairs_per_s = self._train_epoch(epoch, lr)
        val_started = time.time()
        val = self._validate()
        self._timing["val_seconds"] = time.time() - val_started
        record = {
            "epoch": epoch + 1,
            "lr": lr,
            "train_loss": train_loss,
            "val_loss": val["loss"],
            "val_center_error_px": val["center_error_px"],
            "pairs_per_s": pairs_per_s,
            "seconds": time.time() - started,
        }
        self.history.append(record)
        self.log.emit("epoch", epochs=cfg.epochs, eta_s=self._eta(epoch + 1, 0), **record)
        self._save(epoch + 1, record)

    def _train_epoch(self, epoch: int, lr: float) -> tuple[float, float]:
        cfg = self.config
        loader = self._train_loader
        loader.sampler.epoch = epoch
        self.net.train()
        steps = self._steps_per_epoch()
        bar = _progress_bar(self.options.progress_bar, f"epoch {epoch + 1}/{cfg.epochs}", "step", steps)
        total = torch.zeros((), device=self.device)
        window = torch.zeros((), device=self.device)
        window_steps, window_pairs, window_start = 0, 0, time.time()
        epoch_pairs, epoch_start = 0, time.time()
        try:
            for step, batch in enumerate(loader):
                if self.stop():
                    raise TrainingStopped()
                loss = self.train_step(*batch)
                total += loss
                window += loss
                window_steps += 1
                window_pairs += len(batch[0])
                epoch_pairs += len(batch[0])
                self._timing["steps"] += 1
                if bar is not None:
                    bar.update(1)
                if window_steps == self.options.log_every or step + 1 == steps:
                    elapsed = time.time() - window_start
                    self._timing["seconds"] += elapsed
                    self.log.emit(
                        "step",
                        epoch=epoch + 1,
                        step=step + 1,
                        steps=steps,
                        global_step=epoch * steps + step + 1,
                        loss=window.item() / window_steps,
                        lr=lr,
                        pairs_per_s=window_pairs / max(elapsed, 1e-9),
                        eta_s=self._eta(epoch, step + 1),
                    )
                    window.zero_()
                    window_steps, window_pairs, window_start = 0, 0, time.time()
        finally:
            if bar is not None:
                bar.close()
        return total.item() / steps, epoch_pairs / max(time.time() - epoch_start, 1e-9)

    # --- validation ------------------------------------------------------------------------------------

    def _validate(self) -> dict[str, float | None]:
        if self._val_loader is None:
            return {"loss": None, "center_error_px": None}
        self.net.eval()
        loss_sum, error_sum, count = 0.0, 0.0, 0
        with torch.inference_mode():
            for exemplars, searches, offsets, positive in self._val_loader:
                if self.stop():
                    raise TrainingStopped()
                responses = self.train_step.responses(exemplars, searches)
                labels = self.train_step.labels(responses, offsets, positive)
                n = len(exemplars)
                loss_sum += balanced_logistic_loss(responses, labels).item() * n
                error_sum += (
                    peak_errors(responses, offsets.to(self.device), self.train_step.stride).sum().item()
                )
                count += n
        return {"loss": loss_sum / count, "center_error_px": error_sum / count}

    # --- files -----------------------------------------------------------------------------------------

    def _save(self, epoch: int, record: dict[str, Any]) -> None:
        score = record["val_loss"] if record["val_loss"] is not None else record["train_loss"]
        is_best = math.isfinite(score) and (not self.best or score < self.best["score"])
        model = self._model(epoch, record)
        epoch_model = self.run_dir / "models" / f"epoch-{epoch:03d}.safetensors"
        save_model(model, epoch_model)
        save_model(model, self.run_dir / LAST_MODEL_NAME)
        if is_best:
            self.best = {"epoch": epoch, "score": score}
            save_model(model, self.run_dir / BEST_MODEL_NAME)
        atomic_write_text(self.run_dir / HISTORY_NAME, json.dumps(self.history, indent=1) + "\n")
        checkpoint = self.run_dir / CHECKPOINT_NAME
        save_checkpoint(
            checkpoint,
            epoch=epoch,
            model=self.net.state_dict(),
            optimizer=self.optimizer.state_dict(),
            config=self.config.to_dict(),
            history=self.history,
            best=self.best,
        )
        self.log.emit("checkpoint", epoch=epoch, path=str(checkpoint), model=str(epoch_model), best=is_best)

    def _model(self, epoch: int, record: dict[str, Any]) -> Model:
        cfg = self.config
        info = {
            "name": f"{self.run_dir.name} epoch {epoch}",
            "source": "trained with `siamtrack train`",
            "training": {
                "data": cfg.data,
                "format": cfg.format,
                "split": cfg.split,
                "epoch": epoch,
                "epochs": cfg.epochs,
                "seed": cfg.seed,
                "train_loss": record["train_loss"],
                "val_loss": record["val_loss"],
                "val_center_error_px": record["val_center_error_px"],
                "init": cfg.init,
            },
        }
        return Model(self.net, cfg.arch, {}, info)

    # --- helpers ---------------------------------------------------------------------------------------

    def _make_loaders(self) -> None:
        cfg = self.config
        augmentation = Augmentation(
            cfg.stretch, cfg.shift, cfg.colour_jitter, cfg.grey_probability, cfg.negative_fraction
        )
        train = PairDataset(
            PairSampler(self.data.cache, self.data.train, cfg.max_frame_gap),
            cfg.seed,
            cfg.exemplar_size,
            cfg.search_size,
            augmentation,
        )
        self._train_loader = self._loader(train, EpochSampler(cfg.pairs_per_epoch), cfg.batch_size)
        self._val_loader = None
        if self.data.val and cfg.val_pairs > 0:
            val = PairDataset(
                PairSampler(self.data.cache, self.data.val, cfg.max_frame_gap),
                cfg.seed,
                cfg.exemplar_size,
                cfg.search_size,
                stream=VAL_STREAM,
            )
            self._val_loader = self._loader(val, EpochSampler(cfg.val_pairs), VAL_BATCH_SIZE)

    def _loader(self, dataset: PairDataset, sampler: EpochSampler, batch_size: int) -> DataLoader:
        workers = self.workers
        parallel = (
            {
                "multiprocessing_context": WORKER_START_METHOD,
                "persistent_workers": True,
                "prefetch_factor": 4,
                "worker_init_fn": worker_setup,
            }
            if workers
            else {}
        )
        return DataLoader(
            dataset,
            batch_size=batch_size,
            sampler=sampler,
            num_workers=workers,
            pin_memory=self.device.type == "cuda",
            **parallel,
        )

    def _steps_per_epoch(self) -> int:
        return math.ceil(self.config.pairs_per_epoch / self.config.batch_size)

    def _eta(self, epoch: int, step: int) -> float | None:
        """Seconds left, from the mean step time so far and the last validation's duration."""
        if self._timing["steps"] == 0:
            return None
        steps = self._steps_per_epoch()
        remaining_steps = (self.config.epochs - epoch) * steps - step
        remaining_vals = self.config.epochs - epoch
        step_time = self._timing["seconds"] / max(self._timing["steps"], 1)
        return remaining_steps * step_time + remaining_vals * self._timing["val_seconds"]


def _progress_bar(enabled: bool, description: str, unit: str, total: int | None = None):
    if not enabled:
        return None
    from tqdm import tqdm

    return tqdm(total=total, desc=description, unit=unit, leave=False, dynamic_ncols=True)
