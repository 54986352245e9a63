"""`siamtrack train` (and `python -m trainer`): train a SiamFC network and write tracker model files.

Standard output carries one JSON object per line (see trainer.events for the kinds and fields); a tqdm
progress bar goes to stderr only when stderr is a terminal. Exit codes: 0 done, 2 bad input (one line on
stderr, and an "error" event), 143 stopped by SIGTERM (or 130 by Ctrl-C) after the last complete epoch's
files, 1 an unexpected failure.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from core.device import DEVICE_CHOICES
from core.errors import SiamTrackError
from core.network import ARCHITECTURES
from trainer.checkpoint import load_checkpoint
from trainer.config import PRECISIONS, TrainConfig
from trainer.data import CACHE_FORMAT
from trainer.datasets import FORMATS
from trainer.events import EventLog
from trainer.loop import CHECKPOINT_NAME, RunOptions, StopRequest, Trainer

USAGE_ERROR = 2
STOP_EXIT_CODES = {signal.SIGTERM: 143, signal.SIGINT: 130}
DEFAULTS = TrainConfig()

# (flag, config field, type, help); every option defaults to None so that only what is given overrides
CONFIG_OPTIONS: tuple[tuple[str, str, Any, str], ...] = (
    ("--split", "split", str, f"dataset split to read (vid, got10k; default {DEFAULTS.split})"),
    ("--epochs", "epochs", int, f"number of epochs (default {DEFAULTS.epochs})"),
    ("--batch-size", "batch_size", int, f"pairs per SGD step (default {DEFAULTS.batch_size})"),
    (
        "--pairs-per-epoch",
        "pairs_per_epoch",
        int,
        f"pairs drawn per epoch (default {DEFAULTS.pairs_per_epoch})",
    ),
    ("--lr-start", "lr_start", float, f"learning rate of the first epoch (default {DEFAULTS.lr_start:g})"),
    (
        "--lr-end",
        "lr_end",
        float,
        f"learning rate of the last epoch, log-spaced between (default {DEFAULTS.lr_end:g})",
    ),
    ("--momentum", "momentum", float, f"SGD momentum (default {DEFAULTS.momentum})"),
    (
        "--weight-decay",
        "weight_decay",
        float,
        f"weight decay on convolution weights, not biases or batch norm (default {DEFAULTS.weight_decay:g})",
    ),
    ("--seed", "seed", int, f"seed of the initial weights and of every pair (default {DEFAULTS.seed})"),
    (
        "--precision",
        "precision",
        str,
        (
            f"{'|'.join(PRECISIONS)}: auto uses bf16 autocast on CUDA and on CPUs with native bf16 "
            "(default auto)"
        ),
    ),
    (
        "--val-fraction",
        "val_fraction",
        float,
        f"share of videos held out for validation (default {DEFAULTS.val_fraction})",
    ),
    ("--val-pairs", "val_pairs", int, f"validation pairs per epoch (default {DEFAULTS.val_pairs})"),
    (
        "--max-frame-gap",
        "max_frame_gap",
        int,
        f"exemplar and search at most this many source frames apart (default {DEFAULTS.max_frame_gap})",
    ),
    (
        "--negative-fraction",
        "negative_fraction",
        float,
        "share of hard-negative pairs: search image from another object of the same video (default 0)",
    ),
    (
        "--positive-radius",
        "positive_radius",
        float,
        (
            "response cells within this many search pixels of the target are positive "
            f"(default {DEFAULTS.positive_radius:g})"
        ),
    ),
)


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "train",
        help="train a SiamFC network on ImageNet VID, GOT-10k, sequence folders or SiamTrack projects",
        description=__doc__.split("\n\n")[0],
        epilog=_epilog(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_arguments(parser)
    parser.set_defaults(run=run)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    formats = [*FORMATS, CACHE_FORMAT]
    parser.add_argument(
        "--data", metavar="ROOT", help="dataset folder (or, with --format crops, a crop cache .index.npz)"
    )
    parser.add_argument("--format", choices=formats, help=f"dataset layout (default {DEFAULTS.format})")
    parser.add_argument("--arch", choices=sorted(ARCHITECTURES), help=f"network (default {DEFAULTS.arch})")
    parser.add_argument(
        "--init",
        metavar="MODEL",
        help="start from this model file: layers matching in name and shape are copied",
    )
    for flag, field, kind, text in CONFIG_OPTIONS:
        extra = {"choices": PRECISIONS} if field == "precision" else {}
        parser.add_argument(flag, dest=field, type=kind, help=text, **extra)
    parser.add_argument(
        "--config", type=Path, metavar="JSON", help="TrainConfig values in a JSON file; flags win"
    )
    parser.add_argument(
        "--out",
        type=Path,
        metavar="RUN_DIR",
        help="run folder for checkpoints and models (default runs/train-<date>-<time>)",
    )
    parser.add_argument(
        "--resume", action="store_true", help="continue the run in --out from its last checkpoint"
    )
    parser.add_argument(
        "--device", choices=DEVICE_CHOICES, default="auto", help="torch device (default auto)"
    )
    parser.add_argument(
        "--workers",
        type=int,
        metavar="N",
        help="worker processes for curation and data loading (default: from the CPU count)",
    )
    parser.add_argument(
        "--threads",
        type=int,
        metavar="N",
        help="CPU threads for the network (default: torch's, one per core); fewer leaves cores to other work",
    )
    parser.add_argument(
        "--cache-dir",
        type=Path,
        metavar="DIR",
        help="where crop caches live, shared by runs (default <RUN_DIR>/../crop-cache)",
    )
    parser.add_argument("--rebuild-cache", action="store_true", help="cut the crops again even if cached")
    parser.add_argument(
        "--log-every",
        type=int,
        default=50,
        metavar="STEPS",
        help="steps between 'step' progress lines (default 50)",
    )


def run(args: argparse.Namespace) -> int:
    log = EventLog()
    try:
        config, run_dir = _config_and_run_dir(args)
        options = RunOptions(
            device=args.device,
            workers=args.workers,
            cache_dir=args.cache_dir,
            log_every=max(1, args.log_every),
            rebuild_cache=args.rebuild_cache,
            progress_bar=sys.stderr.isatty(),
            threads=args.threads,
        )
        stop = StopRequest()
        received: list[int] = []
        with _stop_on_signals(stop, received):
            summary = Trainer(config, run_dir, options, log, stop).run(resume=args.resume)
    except SiamTrackError as exc:
        log.emit("error", message=str(exc))
        raise
    except Exception as exc:
        log.emit("error", message=f"{type(exc).__name__}: {exc}")
        raise
    if summary.get("stopped"):
        return STOP_EXIT_CODES.get(received[0], 143) if received else 143
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m trainer ...`: the same options as `siamtrack train`."""
    parser = argparse.ArgumentParser(
        prog="python -m trainer",
        description=__doc__.split("\n\n")[0],
        epilog=_epilog(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_arguments(parser)
    args = parser.parse_args(argv)
    try:
        return run(args)
    except SiamTrackError as exc:
        print(f"{parser.prog}: error: {exc}", file=sys.stderr)
        return USAGE_ERROR


def _config_and_run_dir(args: argparse.Namespace) -> tuple[TrainConfig, Path]:
    given = _given_values(args)
    if args.resume:
        if args.out is None:
            raise SiamTrackError("--resume needs --out RUN_DIR, the folder of the run to continue")
        saved = load_checkpoint(args.out / CHECKPOINT_NAME)["config"]
        return TrainConfig.from_dict({**saved, **given}), args.out
    if "data" not in given:
        raise SiamTrackError("--data ROOT is required (the dataset folder)")
    run_dir = args.out or Path("runs") / time.strftime("train-%Y%m%d-%H%M%S")
    return TrainConfig.from_dict(given), run_dir


def _given_values(args: argparse.Namespace) -> dict[str, Any]:
    values: dict[str, Any] = {}
    if args.config is not None:
        values.update(_read_config_file(args.config))
    fields = ["data", "format", "arch", "init", *(field for _, field, _, _ in CONFIG_OPTIONS)]
    values.update({f: getattr(args, f) for f in fields if getattr(args, f) is not None})
    if "data" in values and values.get("format", DEFAULTS.format) != CACHE_FORMAT:
        values["data"] = str(Path(values["data"]).expanduser().resolve())
    if values.get("init"):
        values["init"] = str(Path(values["init"]).expanduser().resolve())
    return values


def _read_config_file(path: Path) -> dict[str, Any]:
    try:
        values = json.loads(path.read_text())
    except (OSError, ValueError) as exc:
        raise SiamTrackError(f"cannot read config file {path}: {exc}") from None
    if not isinstance(values, dict):
        raise SiamTrackError(f"{path} must hold a JSON object of TrainConfig values")
    return values


class _stop_on_signals:
    """SIGTERM and SIGINT ask the run to stop at the next step instead of killing it mid-write."""

    def __init__(self, stop: StopRequest, received: list[int]) -> None:
        self.stop = stop
        self.received = received
        self.previous: dict[int, Any] = {}

    def _handle(self, signum: int, _frame: Any) -> None:
        self.received.append(signum)
        self.stop.request()

    def __enter__(self) -> None:
        for signum in STOP_EXIT_CODES:
            self.previous[signum] = signal.signal(signum, self._handle)

    def __exit__(self, *_: object) -> None:
        for signum, handler in self.previous.items():
            signal.signal(signum, handler)


def _epilog() -> str:
    return (
        "formats:\n"
        "  vid      ImageNet VID: ROOT holds Data/VID and Annotations/VID\n"
        "  got10k   GOT-10k: ROOT holds train/ and val/\n"
        "  otb      a folder of OTB/VOT sequence folders, or one sequence folder\n"
        "  project  SiamTrack project files (*.siamtrack.json), or a folder of them\n"
        "  crops    a crop cache (.index.npz) written by an earlier run: no source data needed\n"
        "output: one JSON object per line on stdout:\n"
        "  start, curate (done, total), step (epoch, step, steps, loss, lr, pairs_per_s, eta_s),\n"
        "  epoch (train_loss, val_loss, val_center_error_px, ...), checkpoint (path, model), done (model,\n"
        "  best_model), stopped, error (message).\n"
        "run folder: models/epoch-NNN.safetensors, model-last.safetensors, model-best.safetensors (tracker\n"
        "  models), history.json, checkpoint.pt (for --resume)."
    )
