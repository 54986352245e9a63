"""Resumable training checkpoints: tensors and plain data only, read back with torch.load(weights_only=True).

A checkpoint holds the network's and the optimizer's state, the number of completed epochs (the schedule
position: the learning rate and the pairs of every epoch follow from it and the seed), the RNG states,
the config and the history. It is written atomically, so a run killed at any moment leaves either the
previous checkpoint or the new one, never a half-written file.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import torch

from core.atomic import atomic_write_bytes
from core.errors import WeightsError

CHECKPOINT_FORMAT = "siamtrack-training-checkpoint"
CHECKPOINT_VERSION = 1


def save_checkpoint(
    path: Path,
    *,
    epoch: int,
    model: dict[str, torch.Tensor],
    optimizer: dict[str, Any],
    config: dict[str, Any],
    history: list[dict[str, Any]],
    best: dict[str, Any],
) -> None:
    state = {
        "format": CHECKPOINT_FORMAT,
        "version": CHECKPOINT_VERSION,
        "epoch": int(epoch),
        "model": {k: v.detach().cpu() for k, v in model.items()},
        "optimizer": _to_cpu(optimizer),
        "config": json.dumps(config),
        "history": json.dumps(history),
        "best": json.dumps(best),
        "rng": {"torch": torch.get_rng_state()}
        | ({"cuda": torch.cuda.get_rng_state_all()} if torch.cuda.is_available() else {}),
    }
    buffer = io.BytesIO()
    torch.save(state, buffer)
    atomic_write_bytes(path, buffer.getvalue())


def load_checkpoint(path: Path) -> dict[str, Any]:
    """The checkpoint's state with config, history and best decoded; RNG states restored."""
    try:
        state = torch.load(path, map_location="cpu", weights_only=True)
    except FileNotFoundError:
        raise WeightsError(f"no checkpoint at {path}") from None
    except (RuntimeError, OSError, EOFError, ValueError) as exc:
        raise WeightsError(f"{path} is not a readable training checkpoint ({exc})") from None
    if not isinstance(state, dict) or state.get("format") != CHECKPOINT_FORMAT:
        raise WeightsError(f"{path} is not a SiamTrack training checkpoint")
    if state.get("version") != CHECKPOINT_VERSION:
        raise WeightsError(f"{path}: checkpoint version {state.get('version')} is not supported")
    for key in ("config", "history", "best"):
        state[key] = json.loads(state[key])
    return state


def restore_rng(state: dict[str, Any]) -> None:
    rng = state.get("rng", {})
    if "torch" in rng:
        torch.set_rng_state(rng["torch"])
    if "cuda" in rng and torch.cuda.is_available() and len(rng["cuda"]) == torch.cuda.device_count():
        torch.cuda.set_rng_state_all(rng["cuda"])


def _to_cpu(value: Any) -> Any:
    if isinstance(value, torch.Tensor):
        return value.detach().cpu()
    if isinstance(value, dict):
        return {k: _to_cpu(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_to_cpu(v) for v in value]
    return value
