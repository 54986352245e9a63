"""Import state dicts in the layout of the common siamfc-pytorch port (e.g. siamfc_alexnet_e50.pth).

Keys look like `backbone.conv1.0.weight` / `backbone.conv1.1.running_var`; the port's head has no learned
parameters (output scale 0.001, no bias) and its batch norms use eps 1e-6, which is folded into the variances.
"""
from __future__ import annotations

import pickle
import zipfile
from pathlib import Path

import torch

from core.errors import WeightsError
from core.models.checkpoint import Model
from core.network import get_architecture

ARCHITECTURE = "siamfc-alexnet"
PORT_BN_EPS = 1e-6
TORCH_BN_EPS = 1e-5
LAYERS = ("conv1", "conv2", "conv3", "conv4", "conv5")


def import_siamfc_pytorch(path: str | Path) -> Model:
    path = Path(path)
    source = _read_state_dict(path)
    net = get_architecture(ARCHITECTURE).build()
    state = net.state_dict()
    for name in list(state):
        if name in ("gain", "bias"):
            continue
        key = _find_key(source, name)
        if key is None:
            raise WeightsError(f"{path.name} has no tensor for {name}: not a siamfc-pytorch AlexNet state dict")
        tensor = source[key].detach().to(torch.float32 if source[key].is_floating_point() else torch.long)
        if name.endswith("running_var"):
            tensor = (tensor + PORT_BN_EPS - TORCH_BN_EPS).clamp_min(0.0)
        if tensor.shape != state[name].shape:
            raise WeightsError(f"{path.name}: {key} has shape {tuple(tensor.shape)}, expected {tuple(state[name].shape)}")
        state[name] = tensor
    state["gain"] = torch.tensor(0.001)
    state["bias"] = _head_bias(source)
    net.load_state_dict(state)
    info = {"name": path.stem, "source": f"imported from siamfc-pytorch state dict {path.name}"}
    return Model(net.eval(), ARCHITECTURE, {}, info, path)


def _read_state_dict(path: Path) -> dict[str, torch.Tensor]:
    if not path.is_file():
        raise WeightsError(f"weights file not found: {path}")
    try:
        data = torch.load(str(path), map_location="cpu", weights_only=True)
    except (RuntimeError, pickle.UnpicklingError, zipfile.BadZipFile, EOFError, ValueError, OSError) as exc:
        raise WeightsError(f"{path.name} is not a readable PyTorch state dict ({str(exc).splitlines()[0]})") from None
    if isinstance(data, dict) and "state_dict" in data and isinstance(data["state_dict"], dict):
        data = data["state_dict"]
    if not isinstance(data, dict) or not all(isinstance(v, torch.Tensor) for v in data.values()):
        raise WeightsError(f"{path.name} does not hold a state dict of tensors")
    return {k.removeprefix("module."): v for k, v in data.items()}


def _find_key(source: dict[str, torch.Tensor], name: str) -> str | None:
    """Our `backbone.conv1.0.weight` is the port's `backbone.conv1.0.weight` (or without the prefix)."""
    for candidate in (name, name.removeprefix("backbone.")):
        if candidate in source:
            return candidate
    return None


def _head_bias(source: dict[str, torch.Tensor]) -> torch.Tensor:
    for key in ("head.bias", "bias", "adjust.bias"):
        if key in source and source[key].numel() == 1:
            return source[key].detach().float().reshape(())
    return torch.zeros(())
