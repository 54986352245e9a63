"""The Siamese network: one embedding for both inputs, joined by cross-correlation."""
from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn


def cross_correlate(exemplars: torch.Tensor, searches: torch.Tensor) -> torch.Tensor:
    """Correlate each exemplar embedding with its own search embeddings.

    exemplars: (N, C, h, w); searches: (N*K, C, H, W), the K search images of exemplar n at rows n*K..n*K+K-1.
    Returns (N*K, 1, H-h+1, W-w+1). One grouped convolution does all N*K correlations.
    """
    n, c = exemplars.shape[:2]
    nk, c2, big_h, big_w = searches.shape
    if c2 != c or nk % n:
        raise ValueError(f"cannot correlate {tuple(exemplars.shape)} with {tuple(searches.shape)}")
    k = nk // n
    x = searches.reshape(n, k, c, big_h, big_w).transpose(0, 1).reshape(k, n * c, big_h, big_w)
    out = F.conv2d(x, exemplars, groups=n)  # (K, N, H', W')
    return out.transpose(0, 1).reshape(nk, 1, out.shape[-2], out.shape[-1])


class SiamNet(nn.Module):
    """response = gain * (embed(z) ⋆ embed(x)) + bias.

    SiamFC fixes the gain at 0.001 and learns the bias; the CFNet release learns both.
    """

    def __init__(self, backbone: nn.Module, gain: float, learn_gain: bool) -> None:
        super().__init__()
        self.backbone = backbone
        self.gain = nn.Parameter(torch.tensor(float(gain)), requires_grad=learn_gain)
        self.bias = nn.Parameter(torch.zeros(()))

    @property
    def total_stride(self) -> int:
        return self.backbone.total_stride

    def embed(self, images: torch.Tensor) -> torch.Tensor:
        return self.backbone(images)

    def correlate(self, exemplar_features: torch.Tensor, search_features: torch.Tensor) -> torch.Tensor:
        return cross_correlate(exemplar_features, search_features) * self.gain + self.bias

    def forward(self, exemplars: torch.Tensor, searches: torch.Tensor) -> torch.Tensor:
        return self.correlate(self.embed(exemplars), self.embed(searches))
