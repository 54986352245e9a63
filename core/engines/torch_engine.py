"""The PyTorch engine: crops cut with OpenCV on the host, the network run by torch on any device."""
from __future__ import annotations

import numpy as np
import torch

from core.crop import crop_batch, mean_colour
from core.network import SiamNet


class TorchEngine:
    def __init__(
        self,
        net: SiamNet,
        device: torch.device,
        dtype: torch.dtype = torch.float32,
        channels_last: bool = False,
        name: str | None = None,
    ) -> None:
        self.device = device
        self.dtype = dtype
        self.channels_last = channels_last
        self.net = net.to(device).eval()
        if channels_last:
            self.net = self.net.to(memory_format=torch.channels_last)
        self.name = name or f"torch-{str(dtype).removeprefix('torch.')}-{device.type}"
        self.total_stride = net.total_stride

    def exemplar_features(self, frame, centers, sides, size) -> torch.Tensor:
        crops = crop_batch(frame, centers, sides, size, mean_colour(frame))
        with torch.inference_mode(), self._autocast():
            return self.net.embed(self._to_tensor(crops))

    def responses(self, frame, features, centers, sides, size) -> np.ndarray:
        n, s = sides.shape
        crops = crop_batch(frame, np.repeat(centers, s, axis=0), sides.reshape(-1), size, mean_colour(frame))
        with torch.inference_mode(), self._autocast():
            maps = self.net.correlate(features, self.net.embed(self._to_tensor(crops)))
        return maps.float().cpu().numpy().reshape(n, s, maps.shape[-2], maps.shape[-1])

    def select(self, features: torch.Tensor, indices: list[int]) -> torch.Tensor:
        return features[indices]

    def concat(self, features: list[torch.Tensor]) -> torch.Tensor:
        return torch.cat(features, dim=0)

    def _to_tensor(self, crops: np.ndarray) -> torch.Tensor:
        tensor = torch.from_numpy(crops).to(self.device).permute(0, 3, 1, 2).float()
        if self.channels_last:
            tensor = tensor.contiguous(memory_format=torch.channels_last)
        return tensor

    def _autocast(self):
        enabled = self.dtype != torch.float32
        return torch.autocast(self.device.type, dtype=self.dtype, enabled=enabled)
