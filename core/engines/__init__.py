"""Execution paths for the Siamese network, chosen at run time from what the machine supports."""
from __future__ import annotations

from typing import Callable

import torch

from core.device import resolve_device
from core.engines.base import Engine
from core.engines.torch_engine import TorchEngine
from core.errors import SiamTrackError
from core.models import Model


def _torch_fp32(model: Model, device: torch.device) -> Engine:
    return TorchEngine(model.net, device, name=f"torch-fp32-{device.type}")


ENGINE_BUILDERS: dict[str, Callable[[Model, torch.device], Engine]] = {
    "fp32": _torch_fp32,
}


def engine_names() -> list[str]:
    return ["auto", *ENGINE_BUILDERS]


def create_engine(model: Model, device: str = "auto", path: str = "auto") -> Engine:
    torch_device = resolve_device(device)
    if path == "auto":
        path = "fp32"
    try:
        builder = ENGINE_BUILDERS[path]
    except KeyError:
        raise SiamTrackError(f"unknown engine {path!r}; choose one of {', '.join(engine_names())}") from None
    return builder(model, torch_device)


__all__ = ["ENGINE_BUILDERS", "Engine", "create_engine", "engine_names"]
