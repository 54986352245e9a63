"""SiamFC's decision on the torch device: the twin of core.tracking.response.locate_peaks, step for step.

F.interpolate's bicubic with align_corners=False is OpenCV's INTER_CUBIC (same half-pixel sampling, same
a = -0.75 kernel, border pixels replicated), so both give the same maps up to float rounding. Every step is
a fixed-shape tensor operation with no transfer to the host, so the whole decision can be captured in a
CUDA graph; only the few numbers of the outcome need to leave the device.
"""
from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn.functional as F


@dataclass(frozen=True)
class DevicePeaks:
    """The decision for N targets as tensors on the device (see core.engines.base.Peaks)."""

    scale_index: torch.Tensor  # (N,) int64
    position: torch.Tensor  # (N, 2) float32 peak (x, y) in upsampled-map pixels
    chosen: torch.Tensor  # (N, R, R) float32 upsampled raw map of the chosen scale
    contrast: torch.Tensor  # (N,) float32 peak minus mean of the chosen raw map

    def summary(self) -> torch.Tensor:
        """(N, 4) float32: scale index, x, y, contrast: one small block to copy back per frame."""
        return torch.cat([self.scale_index[:, None].float(), self.position, self.contrast[:, None]], dim=1)


def cosine_window_on(size: int, device: torch.device) -> torch.Tensor:
    """core.tracking.response.cosine_window(size) on the device (float64 arithmetic, float32 result)."""
    hann = torch.hann_window(size, periodic=False, dtype=torch.float64, device=device)
    window = torch.outer(hann, hann)
    return (window / window.sum()).to(torch.float32)


def scale_penalties_on(count: int, penalty: float, device: torch.device) -> torch.Tensor:
    """(S,) float32: the penalty for every scale but the middle one (scale 1)."""
    penalties = torch.full((count,), penalty, dtype=torch.float32, device=device)
    penalties[count // 2] = 1.0
    return penalties


def locate_peaks_on_device(
    raw: torch.Tensor,
    upsample_factor: int,
    penalties: torch.Tensor,
    window_influence: float,
    window: torch.Tensor,
) -> DevicePeaks:
    """raw (N, S, r, r) float32 → the decision (penalties: scale_penalties_on, window: cosine_window_on)."""
    n, s, r, _ = raw.shape
    size = r * upsample_factor
    up = F.interpolate(raw.reshape(n * s, 1, r, r), size=(size, size), mode="bicubic", align_corners=False)
    up = up.reshape(n, s, size, size)
    flat = up.reshape(n, s, -1)
    shifted_peaks = flat.amax(dim=2) - flat.amin(dim=(1, 2))[:, None]
    scale_index = (shifted_peaks * penalties).argmax(dim=1)
    chosen = _pick_scale(up, scale_index)
    normalised = chosen - chosen.amin(dim=(1, 2), keepdim=True)
    totals = normalised.sum(dim=(1, 2), keepdim=True)
    uniform = torch.full_like(normalised, 1.0 / (size * size))
    normalised = torch.where(totals > 0, normalised / totals, uniform)
    blended = (1 - window_influence) * normalised + window_influence * window
    peak = blended.reshape(n, -1).argmax(dim=1)
    position = torch.stack([peak % size, peak // size], dim=1).float()
    chosen_raw = _pick_scale(raw, scale_index).reshape(n, -1)
    contrast = chosen_raw.amax(dim=1) - chosen_raw.mean(dim=1)
    return DevicePeaks(scale_index, position, chosen, contrast)


def _pick_scale(maps: torch.Tensor, scale_index: torch.Tensor) -> torch.Tensor:
    """maps (N, S, h, w) → (N, h, w) of scale scale_index[n]; a gather, so no index ever visits the host."""
    return torch.take_along_dim(maps, scale_index.view(-1, 1, 1, 1), dim=1).squeeze(1)
