"""The PyTorch engine: crops cut with OpenCV on the host, the network run by torch on any device.

The embedding may run in reduced precision (bf16 on CPUs with AMX or AVX-512 BF16); the cross-correlation
and everything after it always run in fp32, so the response maps keep their resolution.
"""
from __future__ import annotations

import numpy as np
import torch

from core.crop import crop_batch, mean_colour
from core.engines.optimize import prepare_for_inference
from core.network import SiamNet


class TorchEngine:
    def __init__(
        self,
        net: SiamNet,
        device: torch.device,
        dtype: torch.dtype = torch.float32,
        optimize: bool = False,
        name: str | None = None,
    ) -> None:
        self.device = device
        self.dtype = dtype
        self.channels_last = optimize
        net = prepare_for_inference(net, dtype, channels_last=True) if optimize else net.eval()
        self.net = net.to(device)
        self.name = name or f"torch-{str(dtype).removeprefix('torch.')}-{device.type}"
        self.total_stride = net.total_stride

    def exemplar_features(self, frame, centers, sides, size) -> torch.Tensor:
        crops = crop_batch(frame, centers, sides, size, mean_colour(frame))
        with torch.inference_mode():
            return self.net.embed(self._to_tensor(crops)).float()

    def responses(self, frame, features, centers, sides, size) -> np.ndarray:
        n, s = sides.shape
        crops = crop_batch(frame, np.repeat(centers, s, axis=0), sides.reshape(-1), size, mean_colour(frame))
        with torch.inference_mode():
            maps = self.net.correlate(features, self.net.embed(self._to_tensor(crops)).float())
        return maps.cpu().numpy().reshape(n, s, maps.shape[-2], maps.shape[-1])

    def select(self, features: torch.Tensor, indices: list[int]) -> torch.Tensor:
        return features[indices]

    def concat(self, features: list[torch.Tensor]) -> torch.Tensor:
        return torch.cat(features, dim=0)

    def _to_tensor(self, crops: np.ndarray) -> torch.Tensor:
        # (N, H, W, 3) uint8 viewed as NCHW is already in channels-last order
        tensor = torch.from_numpy(crops).to(self.device).permute(0, 3, 1, 2)
        if self.channels_last:
            return tensor.to(self.dtype, memory_format=torch.channels_last)
        return tensor.to(self.dtype).contiguous()
