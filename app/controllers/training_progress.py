"""What a training run has reported so far, folded from its events (no Qt): losses to plot, where it is,
how fast it goes, its checkpoints. The panel draws this; a resumed run starts from the run's history."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HISTORY_FILE = "history.json"
MODELS_FOLDER = "models"
BEST_MODEL_FILE = "model-best.safetensors"
LAST_MODEL_FILE = "model-last.safetensors"


@dataclass
class EpochRecord:
    epoch: int
    train_loss: float | None
    val_loss: float | None
    val_center_error_px: float | None = None


@dataclass(frozen=True)
class CheckpointEntry:
    label: str
    path: Path
    epoch: int | None
    record: EpochRecord | None
    best: bool = False


@dataclass
class TrainingProgress:
    run_dir: Path | None = None
    phase: str = "idle"  # idle, curating, training, stopping, done, stopped, failed
    epochs: int = 0
    epoch: int = 0  # the epoch under way (1-based), 0 before the first step
    step: int = 0
    steps: int = 0  # per epoch
    lr: float | None = None
    pairs_per_s: float | None = None
    eta_s: float | None = None
    curate_done: int = 0
    curate_total: int = 0
    device: str = ""
    dataset: dict[str, Any] = field(default_factory=dict)
    step_x: list[float] = field(default_factory=list)  # in epochs: 0.5 is halfway through the first
    step_loss: list[float] = field(default_factory=list)
    epoch_records: list[EpochRecord] = field(default_factory=list)
    best_epoch: int | None = None
    message: str = ""

    @classmethod
    def for_run(cls, run_dir: Path) -> TrainingProgress:
        """A run folder's progress as far as its files tell (resuming shows the earlier epochs)."""
        progress = cls(run_dir=run_dir)
        for record in read_history(run_dir):
            progress.epoch_records.append(record)
            progress.epoch = record.epoch
        progress.best_epoch = _best_epoch(progress.epoch_records)
        return progress

    def apply(self, event: dict[str, Any]) -> None:
        handler = _HANDLERS.get(str(event.get("event")))
        if handler is not None:
            handler(self, event)

    @property
    def completed_epochs(self) -> int:
        return len(self.epoch_records)

    def epoch_curve(self, key: str) -> tuple[list[float], list[float]]:
        """(epochs, values) of an EpochRecord field, leaving out epochs without a value."""
        points = [(r.epoch, getattr(r, key)) for r in self.epoch_records if getattr(r, key) is not None]
        return [float(x) for x, _ in points], [float(y) for _, y in points]

    def checkpoints(self) -> list[CheckpointEntry]:
        """The run's model files, best and last first, then every epoch's, newest first."""
        if self.run_dir is None:
            return []
        records = {r.epoch: r for r in self.epoch_records}
        last = self.epoch_records[-1].epoch if self.epoch_records else None
        entries = []
        for name, label, epoch in (
            (BEST_MODEL_FILE, "Best", self.best_epoch),
            (LAST_MODEL_FILE, "Last", last),
        ):
            path = self.run_dir / name
            if path.is_file():
                suffix = f" (epoch {epoch})" if epoch is not None else ""
                entries.append(
                    CheckpointEntry(label + suffix, path, epoch, records.get(epoch), name == BEST_MODEL_FILE)
                )
        for path in sorted((self.run_dir / MODELS_FOLDER).glob("epoch-*.safetensors"), reverse=True):
            epoch = _epoch_of(path)
            entries.append(
                CheckpointEntry(f"Epoch {epoch}", path, epoch, records.get(epoch), epoch == self.best_epoch)
            )
        return entries


# --- events ------------------------------------------------------------------------------------------------


def _on_curate(p: TrainingProgress, e: dict[str, Any]) -> None:
    p.phase = "curating"
    p.curate_done, p.curate_total = int(e.get("done", 0)), int(e.get("total", 0))


def _on_start(p: TrainingProgress, e: dict[str, Any]) -> None:
    p.phase = "training"
    config = e.get("config") or {}
    p.epochs = int(config.get("epochs", p.epochs))
    p.steps = int(e.get("steps_per_epoch", p.steps))
    p.device = str(e.get("device", ""))
    p.dataset = dict(e.get("dataset") or {})
    if e.get("run_dir"):
        p.run_dir = Path(e["run_dir"])
    resumed = e.get("resumed_from")
    if resumed is not None:
        p.epoch_records = [r for r in p.epoch_records if r.epoch <= int(resumed)]
        p.epoch = int(resumed)
        p.step_x, p.step_loss = _until(p.step_x, p.step_loss, float(resumed))


def _on_step(p: TrainingProgress, e: dict[str, Any]) -> None:
    if p.phase != "stopping":
        p.phase = "training"
    p.epoch, p.step, p.steps = int(e["epoch"]), int(e["step"]), int(e["steps"])
    p.lr, p.pairs_per_s, p.eta_s = e.get("lr"), e.get("pairs_per_s"), e.get("eta_s")
    if e.get("loss") is not None:
        p.step_x.append(p.epoch - 1 + p.step / max(p.steps, 1))
        p.step_loss.append(float(e["loss"]))


def _on_epoch(p: TrainingProgress, e: dict[str, Any]) -> None:
    record = EpochRecord(
        int(e["epoch"]), e.get("train_loss"), e.get("val_loss"), e.get("val_center_error_px")
    )
    p.epoch_records = [r for r in p.epoch_records if r.epoch < record.epoch] + [record]
    p.epochs = int(e.get("epochs", p.epochs))
    p.eta_s = e.get("eta_s")
    p.best_epoch = _best_epoch(p.epoch_records)


def _on_checkpoint(p: TrainingProgress, e: dict[str, Any]) -> None:
    if e.get("best"):
        p.best_epoch = int(e["epoch"])


def _on_done(p: TrainingProgress, e: dict[str, Any]) -> None:
    p.phase, p.eta_s = "done", 0.0
    if e.get("best_epoch") is not None:
        p.best_epoch = int(e["best_epoch"])


def _on_stopped(p: TrainingProgress, e: dict[str, Any]) -> None:
    p.phase = "stopped"
    p.message = f"Stopped after epoch {e.get('epoch', p.completed_epochs)}: Resume continues from there."


def _on_error(p: TrainingProgress, e: dict[str, Any]) -> None:
    p.phase, p.message = "failed", str(e.get("message", ""))


_HANDLERS: dict[str, Callable[[TrainingProgress, dict[str, Any]], None]] = {
    "curate": _on_curate,
    "start": _on_start,
    "step": _on_step,
    "epoch": _on_epoch,
    "checkpoint": _on_checkpoint,
    "done": _on_done,
    "stopped": _on_stopped,
    "error": _on_error,
}


# --- files -------------------------------------------------------------------------------------------------


def read_history(run_dir: Path) -> list[EpochRecord]:
    try:
        rows = json.loads((run_dir / HISTORY_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    if not isinstance(rows, list):
        return []
    return [
        EpochRecord(int(r["epoch"]), r.get("train_loss"), r.get("val_loss"), r.get("val_center_error_px"))
        for r in rows
        if isinstance(r, dict) and "epoch" in r
    ]


def _best_epoch(records: list[EpochRecord]) -> int | None:
    """Lowest validation loss (train loss when there is no validation), as the trainer picks it."""
    scored = [(r.val_loss if r.val_loss is not None else r.train_loss, r.epoch) for r in records]
    scored = [(s, e) for s, e in scored if s is not None]
    return min(scored)[1] if scored else None


def _epoch_of(path: Path) -> int | None:
    try:
        return int(path.stem.split("-")[-1])
    except ValueError:
        return None


def _until(xs: list[float], ys: list[float], limit: float) -> tuple[list[float], list[float]]:
    kept = [(x, y) for x, y in zip(xs, ys) if x <= limit]
    return [x for x, _ in kept], [y for _, y in kept]


def format_duration(seconds: float | None) -> str:
    """A person's reading of a duration: '45 s', '3 min 20 s', '2 h 05 min', '1 d 3 h'."""
    if seconds is None or not math.isfinite(seconds) or seconds < 0:
        return "—"
    s = round(seconds)
    if s < 60:
        return f"{s} s"
    if s < 3600:
        return f"{s // 60} min {s % 60:02d} s"
    if s < 86400:
        return f"{s // 3600} h {s % 3600 // 60:02d} min"
    return f"{s // 86400} d {s % 86400 // 3600} h"
