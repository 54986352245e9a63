"""Inference-only rewrites of a SiamNet: batch norm folded into the convolutions, reduced precision,
channels-last memory. None of them changes what the network computes beyond rounding."""
from __future__ import annotations

import copy
import itertools

import torch
from torch import nn
from torch.nn.utils.fusion import fuse_conv_bn_eval

from core.network import SiamNet


def fold_batch_norms(net: SiamNet) -> SiamNet:
    """A copy of the network in which every Conv2d → BatchNorm2d pair is one Conv2d."""
    folded = copy.deepcopy(net).eval()
    for module in folded.modules():
        if isinstance(module, nn.Sequential):
            _fold_sequence(module)
    return folded


def _fold_sequence(sequence: nn.Sequential) -> None:
    names = list(sequence._modules)
    for first, second in itertools.pairwise(names):
        conv, norm = sequence._modules[first], sequence._modules[second]
        if isinstance(conv, nn.Conv2d) and isinstance(norm, nn.BatchNorm2d):
            sequence._modules[first] = fuse_conv_bn_eval(conv, norm)
            sequence._modules[second] = nn.Identity()


def prepare_for_inference(net: SiamNet, dtype: torch.dtype, channels_last: bool) -> SiamNet:
    """Folded, cast (backbone only: the cross-correlation head stays fp32) and laid out for inference."""
    prepared = fold_batch_norms(net)
    prepared.backbone.to(dtype)
    if channels_last:
        prepared.backbone.to(memory_format=torch.channels_last)
    return prepared
