"""One SGD step of SiamFC training, and the forward pass it shares with validation.

The embeddings run under autocast (bf16) where enabled and in channels-last memory on CPU and CUDA; the
cross-correlation and the loss always run in fp32 (the response is a sum over many products, scaled by a
small gain).
"""

from __future__ import annotations

from contextlib import nullcontext

import torch

from core.network import SiamNet
from trainer.loss import balanced_logistic_loss, response_labels


class TrainStep:
    def __init__(
        self,
        net: SiamNet,
        optimizer: torch.optim.Optimizer | None,
        device: torch.device,
        autocast_dtype: torch.dtype | None,
        channels_last: bool,
        positive_radius: float,
    ) -> None:
        self.net = net
        self.optimizer = optimizer
        self.device = device
        self.autocast_dtype = autocast_dtype
        self.channels_last = channels_last
        self.positive_radius = positive_radius
        self.stride = net.total_stride

    def __call__(self, exemplars, searches, offsets, positive) -> torch.Tensor:
        """Forward, backward and SGD step on one batch (host tensors as the DataLoader yields them);
        returns the loss (a device tensor, not synchronised)."""
        responses = self.responses(exemplars, searches)
        loss = balanced_logistic_loss(responses, self.labels(responses, offsets, positive))
        self.optimizer.zero_grad(set_to_none=True)
        loss.backward()
        self.optimizer.step()
        return loss.detach()

    def labels(self, responses: torch.Tensor, offsets: torch.Tensor, positive: torch.Tensor) -> torch.Tensor:
        return response_labels(
            offsets.to(self.device),
            positive.to(self.device),
            responses.shape[-1],
            self.stride,
            self.positive_radius,
        )

    def responses(self, exemplars: torch.Tensor, searches: torch.Tensor) -> torch.Tensor:
        z, x = self.to_input(exemplars), self.to_input(searches)
        autocast = (
            torch.autocast(self.device.type, dtype=self.autocast_dtype)
            if self.autocast_dtype is not None
            else nullcontext()
        )
        with autocast:
            fz, fx = self.net.embed(z), self.net.embed(x)
        return self.net.correlate(fz.float(), fx.float())

    def to_input(self, images: torch.Tensor) -> torch.Tensor:
        """(N, H, W, 3) uint8 on the host -> (N, 3, H, W) float on the device, RGB 0..255."""
        images = images.to(self.device, non_blocking=True).permute(0, 3, 1, 2).float()
        layout = torch.channels_last if self.channels_last else torch.contiguous_format
        return images.contiguous(memory_format=layout)
