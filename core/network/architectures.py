"""The architectures SiamTrack knows, by the name a checkpoint records."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import torch
from torch import nn

from core.errors import WeightsError
from core.network.backbones import AlexNetSiamFC, BaselineConv3
from core.network.siamese import SiamNet


@dataclass(frozen=True)
class Architecture:
    name: str
    make_backbone: Callable[[], nn.Module]
    gain: float
    learn_gain: bool
    description: str

    def build(self) -> SiamNet:
        return SiamNet(self.make_backbone(), self.gain, self.learn_gain)

    def response_size(self, exemplar_size: int = 127, search_size: int = 255) -> int:
        net = self.build().eval()
        with torch.no_grad():
            z = net.embed(torch.zeros(1, 3, exemplar_size, exemplar_size))
            x = net.embed(torch.zeros(1, 3, search_size, search_size))
        return x.shape[-1] - z.shape[-1] + 1


ARCHITECTURES: dict[str, Architecture] = {
    arch.name: arch
    for arch in (
        Architecture(
            "siamfc-alexnet", AlexNetSiamFC, 0.001, False,
            "SiamFC AlexNet with batch norm (Bertinetto et al. 2016): stride 8, 256 channels, 17x17 response",
        ),
        Architecture(
            "cfnet-baseline-conv3", BaselineConv3, 1.0, True,
            "CFNet release 'baseline-conv3' (Valmadre et al. 2017): stride 4, 32 channels, 33x33 response",
        ),
    )
}


def get_architecture(name: str) -> Architecture:
    try:
        return ARCHITECTURES[name]
    except KeyError:
        raise WeightsError(f"unknown architecture {name!r}; known: {', '.join(ARCHITECTURES)}") from None


def build_network(name: str) -> SiamNet:
    return get_architecture(name).build()
