"""The network a run starts from: freshly initialised, or seeded from a model file (--init)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import torch
from torch import nn

from core.models import load_model
from core.network import SiamNet, build_network

HEAD_PARAMETERS = ("gain", "bias")


def initial_network(arch: str, seed: int, init: str | None = None) -> tuple[SiamNet, dict[str, Any] | None]:
    """A new network (Kaiming-normal convolutions, seeded); with `init`, its matching layers copied in."""
    torch.manual_seed(seed)
    net = build_network(arch)
    for module in net.modules():
        if isinstance(module, nn.Conv2d):
            nn.init.kaiming_normal_(module.weight, mode="fan_out", nonlinearity="relu")
            nn.init.zeros_(module.bias)
        elif isinstance(module, nn.BatchNorm2d):
            nn.init.ones_(module.weight)
            nn.init.zeros_(module.bias)
    report = copy_matching_layers(net, arch, Path(init)) if init else None
    return net, report


def copy_matching_layers(net: SiamNet, arch: str, path: Path) -> dict[str, Any]:
    """Copy every layer whose tensors all match in name and shape (a layer is copied whole or not at all).
    Between different architectures the head (gain and bias of the correlation) is left alone: its scale
    belongs to the other embedding. From a cfnet-baseline-conv3 model into siamfc-alexnet this copies
    conv1 and conv2, which are identical layers."""
    source = load_model(path)
    same_architecture = source.architecture == arch
    target = net.state_dict()
    source_state = source.net.state_dict()
    copied = []
    for layer in sorted({_layer(n) for n in target}):
        if not same_architecture and layer in HEAD_PARAMETERS:
            continue
        names = [n for n in target if _layer(n) == layer]
        source_names = [n for n in source_state if _layer(n) == layer]
        if sorted(names) == sorted(source_names) and all(
            target[n].shape == source_state[n].shape for n in names
        ):
            for n in names:
                target[n] = source_state[n].detach().clone()
            copied.append(layer)
    net.load_state_dict(target)
    return {
        "path": str(path),
        "architecture": source.architecture,
        "copied_layers": copied,
        "untouched_layers": sorted({_layer(n) for n in target} - set(copied)),
    }


def _layer(name: str) -> str:
    parts = name.split(".")
    return ".".join(parts[:2]) if parts[0] == "backbone" else parts[0]


def parameter_groups(net: SiamNet, weight_decay: float) -> list[dict[str, Any]]:
    """Weight decay on convolution weights only: not on biases, batch-norm parameters or the head."""
    decayed, plain = [], []
    for module in net.modules():
        for name, parameter in module.named_parameters(recurse=False):
            if not parameter.requires_grad:
                continue
            is_conv_weight = isinstance(module, nn.Conv2d) and name == "weight"
            (decayed if is_conv_weight else plain).append(parameter)
    return [{"params": decayed, "weight_decay": weight_decay}, {"params": plain, "weight_decay": 0.0}]
