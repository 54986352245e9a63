"""What the training panel asks for, how it becomes the `train` command line, and how it is remembered.

The run itself is a child process: `python -m trainer` from a source checkout, or the frozen executable's
`train` subcommand in a packaged build (the executable is the whole `siamtrack` command).
"""

from __future__ import annotations

import dataclasses
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, QStandardPaths

from trainer.config import TrainConfig

SETTINGS_GROUP = "training"
CHECKPOINT_FILE = "checkpoint.pt"  # what makes a folder a resumable run (trainer.loop.CHECKPOINT_NAME)
AUTO_THREADS = 0  # let torch choose
AUTO_WORKERS = -1  # let the trainer choose (0 is a real choice: no worker processes)
STEP_POINTS_PER_EPOCH = 100  # about this many loss points per epoch on the plot
_DEFAULTS = TrainConfig()


def user_data_dir() -> Path:
    """Where SiamTrack keeps what it makes for the user: training runs, evaluation reports."""
    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.GenericDataLocation)
    return Path(base or Path.home()) / "SiamTrack"


def default_runs_dir() -> Path:
    return user_data_dir() / "runs"


def new_run_name() -> str:
    return time.strftime("train-%Y%m%d-%H%M%S")


@dataclass(frozen=True)
class TrainingOptions:
    data: str = ""
    format: str = _DEFAULTS.format
    arch: str = _DEFAULTS.arch
    init: str = ""  # a model file to start from; "" trains from scratch
    epochs: int = _DEFAULTS.epochs
    pairs_per_epoch: int = _DEFAULTS.pairs_per_epoch
    batch_size: int = _DEFAULTS.batch_size
    lr_start: float = _DEFAULTS.lr_start
    lr_end: float = _DEFAULTS.lr_end
    negative_fraction: float = _DEFAULTS.negative_fraction
    val_pairs: int = _DEFAULTS.val_pairs
    device: str = "auto"
    threads: int = AUTO_THREADS
    workers: int = AUTO_WORKERS
    runs_dir: str = ""  # new runs are made in here; "" is default_runs_dir()

    @property
    def runs_folder(self) -> Path:
        return Path(self.runs_dir) if self.runs_dir else default_runs_dir()

    def log_every(self) -> int:
        steps = max(1, self.pairs_per_epoch // max(1, self.batch_size))
        return max(1, steps // STEP_POINTS_PER_EPOCH)

    def new_run_arguments(self, run_dir: Path) -> list[str]:
        """The `train` arguments of a new run written to run_dir."""
        arguments = [
            "--data", self.data,
            "--format", self.format,
            "--arch", self.arch,
            "--epochs", str(self.epochs),
            "--pairs-per-epoch", str(self.pairs_per_epoch),
            "--batch-size", str(self.batch_size),
            "--lr-start", repr(self.lr_start),
            "--lr-end", repr(self.lr_end),
            "--negative-fraction", repr(self.negative_fraction),
            "--val-pairs", str(self.val_pairs),
            "--out", str(run_dir),
        ]  # fmt: skip
        if self.init:
            arguments += ["--init", self.init]
        return arguments + self.machine_arguments()

    def resume_arguments(self, run_dir: Path) -> list[str]:
        """Continue run_dir from its checkpoint: what it computes comes from the run, only the machine
        options (device, threads, workers) from the panel."""
        return ["--resume", "--out", str(run_dir), *self.machine_arguments()]

    def machine_arguments(self) -> list[str]:
        arguments = ["--device", self.device, "--log-every", str(self.log_every())]
        if self.threads > AUTO_THREADS:
            arguments += ["--threads", str(self.threads)]
        if self.workers > AUTO_WORKERS:
            arguments += ["--workers", str(self.workers)]
        return arguments


def trainer_command() -> tuple[str, list[str]]:
    """The program and the leading arguments that start the `train` command."""
    if getattr(sys, "frozen", False):
        return sys.executable, ["train"]
    return sys.executable, ["-m", "trainer"]


def load_options(store: QSettings) -> TrainingOptions:
    """The options last used (defaults for anything missing or unreadable)."""
    values: dict[str, Any] = {}
    for field in dataclasses.fields(TrainingOptions):
        stored = store.value(f"{SETTINGS_GROUP}/{field.name}")
        if stored is None:
            continue
        kind = type(field.default)
        try:
            values[field.name] = kind(stored)
        except (TypeError, ValueError):  # a hand-edited settings file
            continue
    return TrainingOptions(**values)


def save_options(store: QSettings, options: TrainingOptions) -> None:
    for field in dataclasses.fields(TrainingOptions):
        store.setValue(f"{SETTINGS_GROUP}/{field.name}", getattr(options, field.name))


def is_run_dir(path: Path) -> bool:
    return (path / CHECKPOINT_FILE).is_file()
