"""Choosing the torch device: the caller passes a name, 'auto' picks CUDA, then MPS, then CPU."""
from __future__ import annotations

import torch

from core.errors import SiamTrackError

DEVICE_CHOICES = ("auto", "cpu", "cuda", "mps")


def resolve_device(name: str = "auto") -> torch.device:
    name = (name or "auto").lower()
    if name == "auto":
        if torch.cuda.is_available():
            return torch.device("cuda")
        if getattr(torch.backends, "mps", None) is not None and torch.backends.mps.is_available():
            return torch.device("mps")
        return torch.device("cpu")
    if name.startswith("cuda") and not torch.cuda.is_available():
        raise SiamTrackError("CUDA was asked for but no CUDA device is available (use --device cpu or auto)")
    if name == "mps" and not (getattr(torch.backends, "mps", None) and torch.backends.mps.is_available()):
        raise SiamTrackError("MPS was asked for but is not available on this machine")
    try:
        return torch.device(name)
    except RuntimeError:
        raise SiamTrackError(f"unknown device {name!r}; choose one of {', '.join(DEVICE_CHOICES)}") from None
