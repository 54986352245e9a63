"""SiamTrack model files: safetensors tensors plus a JSON header in the file's metadata.

The header names the architecture, the input convention, tracker settings the model prefers, and a summary
of how it was made. Nothing is unpickled when a model is loaded.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import torch
from safetensors import SafetensorError
from safetensors.torch import load as load_safetensors_bytes
from safetensors.torch import save as save_safetensors_bytes

from core.atomic import atomic_write_bytes
from core.errors import WeightsError
from core.network import SiamNet, get_architecture

HEADER_KEY = "siamtrack"
FORMAT_VERSION = 1
INPUT_CONVENTION = "rgb-0-255"  # float RGB pixel values 0..255, no mean subtraction, as in SiamFC and CFNet


@dataclass
class Model:
    """A network ready to track with, and what its file says about it."""

    net: SiamNet
    architecture: str
    tracker_overrides: dict[str, Any] = field(default_factory=dict)
    info: dict[str, Any] = field(default_factory=dict)
    path: Path | None = None

    @property
    def display_name(self) -> str:
        return self.info.get("name") or (self.path.stem if self.path else self.architecture)

    def header(self) -> dict[str, Any]:
        return {
            "format_version": FORMAT_VERSION,
            "architecture": self.architecture,
            "input": INPUT_CONVENTION,
            "tracker": self.tracker_overrides,
            "info": self.info,
        }


def save_model(model: Model, path: str | os.PathLike) -> None:
    tensors = {name: t.detach().to("cpu").contiguous() for name, t in model.net.state_dict().items()}
    data = save_safetensors_bytes(tensors, metadata={HEADER_KEY: json.dumps(model.header())})
    atomic_write_bytes(path, data)


def load_model_file(path: str | os.PathLike) -> Model:
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise WeightsError(f"cannot read model file {path}: {exc.strerror or exc}") from None
    header = read_header_bytes(data, path)
    try:
        tensors = load_safetensors_bytes(data)
    except (SafetensorError, ValueError, RuntimeError) as exc:
        raise WeightsError(f"{path.name} is not a valid model file ({exc})") from None
    architecture = get_architecture(header.get("architecture", ""))
    net = architecture.build()
    _load_state(net, tensors, path)
    return Model(net.eval(), architecture.name, dict(header.get("tracker", {})), dict(header.get("info", {})), path)


def read_header(path: str | os.PathLike) -> dict[str, Any]:
    path = Path(path)
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
            size = int.from_bytes(head, "little") if len(head) == 8 else -1
            if not 0 < size < 100_000_000:
                raise WeightsError(f"{path.name} is not a SiamTrack model file (no safetensors header)")
            data = head + handle.read(size)
    except OSError as exc:
        raise WeightsError(f"cannot read model file {path}: {exc.strerror or exc}") from None
    return read_header_bytes(data, path, header_only=True)


def read_header_bytes(data: bytes, path: Path, header_only: bool = False) -> dict[str, Any]:
    try:
        size = int.from_bytes(data[:8], "little")
        if len(data) < 8 or not 0 < size <= len(data) - 8:
            raise ValueError("truncated")
        raw = json.loads(data[8 : 8 + size])
        header = json.loads(raw.get("__metadata__", {}).get(HEADER_KEY, "null"))
    except (ValueError, UnicodeDecodeError, AttributeError):
        raise WeightsError(f"{path.name} is not a valid SiamTrack model file (damaged header)") from None
    if not isinstance(header, dict):
        raise WeightsError(f"{path.name} is a safetensors file but not a SiamTrack model (no header)")
    if header.get("input") != INPUT_CONVENTION:
        raise WeightsError(f"{path.name} expects input {header.get('input')!r}, which SiamTrack does not support")
    return header


def _load_state(net: SiamNet, tensors: dict[str, torch.Tensor], path: Path) -> None:
    expected = net.state_dict()
    missing = sorted(set(expected) - set(tensors))
    unexpected = sorted(set(tensors) - set(expected))
    if missing or unexpected:
        raise WeightsError(
            f"{path.name} does not fit its architecture: missing {missing[:3]}, unexpected {unexpected[:3]}"
        )
    for name, tensor in tensors.items():
        if tensor.shape != expected[name].shape:
            raise WeightsError(
                f"{path.name}: {name} has shape {tuple(tensor.shape)}, expected {tuple(expected[name].shape)}"
            )
        if tensor.is_floating_point() and not torch.isfinite(tensor).all():
            raise WeightsError(f"{path.name}: {name} contains values that are not finite")
    net.load_state_dict(tensors)
