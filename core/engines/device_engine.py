"""The device engine: the whole tracking step on the torch device, the execution path for CUDA GPUs.

Per frame: the frame goes up once (through a reused page-locked buffer, asynchronously) with one small block
of per-target parameters; every search crop is cut from it on the device (device_crops); the embedding runs
in fp16 (batch norm folded, channels-last); the cross-correlation and the decision (device_peaks) run in
fp32; four numbers per target come back (plus the maps when asked for). On CUDA the step is captured once
per (frame size, targets, scales) into a CUDA graph and replayed (graphs.CapturedStep).

fp16 rather than bf16: tensor cores run both at the same speed and fp16 keeps 3 more bits of mantissa;
SiamFC embeddings stay far below fp16's range (a check on the exemplar features says so when one does
not). The correlation's fp32 convolution may run on TF32 tensor cores (PyTorch's default for cuDNN):
with fp16 (or bf16) features that is exact, since every such value is a TF32 value and the products
accumulate in fp32.

On the CPU the same code runs eagerly; the tests use that to check it against the reference path.
"""
from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from functools import partial

import numpy as np
import torch

from core.engines.base import Peaks, PeakSearch
from core.engines.device_crops import crop_on_device, frame_image
from core.engines.device_peaks import cosine_window_on, locate_peaks_on_device, scale_penalties_on
from core.engines.graphs import CapturedStep, Outputs
from core.engines.host_link import HostLink
from core.engines.optimize import prepare_for_inference
from core.errors import SiamTrackError
from core.network import SiamNet


@dataclass
class _Slot:
    """The fixed input tensors of one step shape, refilled every frame, and the step reading them."""

    frame: torch.Tensor  # (H, W, 3) uint8
    params: torch.Tensor  # (N, 2 + S) float32: centre x, y, then the S search sides
    features: torch.Tensor  # (N, C, h, w) float32 exemplar features
    step: CapturedStep | None = None


class DeviceEngine:
    def __init__(
        self,
        net: SiamNet,
        device: torch.device,
        dtype: torch.dtype = torch.float16,
        use_graphs: bool = True,
        max_graphs: int = 4,
        name: str | None = None,
    ) -> None:
        self.device = device
        self.dtype = dtype
        self.net = prepare_for_inference(net, dtype, channels_last=True).to(device)
        self.total_stride = net.total_stride
        self.use_graphs = use_graphs and device.type == "cuda"
        mode = "CUDA graphs" if self.use_graphs else "eager"
        precision = str(dtype).removeprefix("torch.")
        self.name = name or f"device path ({precision} embedding, {mode}, {device.type})"
        self._link = HostLink(device)
        self._slots: OrderedDict[tuple, _Slot] = OrderedDict()
        self._max_slots = max(1, max_graphs)  # each captured graph keeps its own memory pool
        self._windows: dict[int, torch.Tensor] = {}
        self._penalties: dict[tuple[int, float], torch.Tensor] = {}

    def exemplar_features(self, frame, centers, sides, size) -> torch.Tensor:
        with torch.inference_mode():
            device_frame, params = self._upload(frame, np.concatenate([centers, sides[:, None]], axis=1))
            crops = crop_on_device(frame_image(device_frame), params[:, :2], params[:, 2], size)
            features = self._embed(crops)
            if not bool(torch.isfinite(features).all()):
                raise SiamTrackError(f"this model's embedding overflows {self.dtype} on this frame; "
                                     "choose the fp32 engine")
        return features

    def responses(self, frame, features, centers, sides, size) -> np.ndarray:
        with torch.inference_mode():
            device_frame, params = self._upload(frame, np.concatenate([centers, sides], axis=1))
            raw = self._search_maps(device_frame, params, features, size)
            return self._link.download([raw])[0]

    def locate(
        self, frame, features, centers, sides, size, search: PeakSearch, want_maps: bool
    ) -> tuple[np.ndarray | None, Peaks]:
        with torch.inference_mode():
            slot = self._slot(frame.shape, features, sides.shape[1], size, search)
            self._link.upload([(frame, slot.frame), (np.concatenate([centers, sides], axis=1), slot.params)])
            slot.features.copy_(features)
            outputs = slot.step()
            names = ("summary", "raw", "chosen") if want_maps else ("summary",)
            host = self._link.download([outputs[name] for name in names])
        summary = host[0]
        if not np.isfinite(summary).all():
            raise SiamTrackError(f"this model's embedding overflowed {self.dtype}; choose the fp32 engine")
        peaks = Peaks(
            scale_index=summary[:, 0].astype(np.intp),
            position=summary[:, 1:3].astype(np.float64),
            chosen=host[2] if want_maps else None,
            contrast=summary[:, 3],
        )
        return (host[1] if want_maps else None), peaks

    def select(self, features: torch.Tensor, indices: list[int]) -> torch.Tensor:
        return features[indices]

    def concat(self, features: list[torch.Tensor]) -> torch.Tensor:
        return torch.cat(features, dim=0)

    def captured_shapes(self) -> int:
        """How many step shapes currently run from a captured CUDA graph."""
        return sum(slot.step.captured for slot in self._slots.values())

    def _upload(self, frame: np.ndarray, params: np.ndarray) -> tuple[torch.Tensor, torch.Tensor]:
        device_frame = torch.empty(frame.shape, dtype=torch.uint8, device=self.device)
        device_params = torch.empty(params.shape, dtype=torch.float32, device=self.device)
        self._link.upload([(frame, device_frame), (params, device_params)])
        return device_frame, device_params

    def _embed(self, crops: torch.Tensor) -> torch.Tensor:
        return self.net.embed(crops.to(self.dtype, memory_format=torch.channels_last)).float()

    def _search_maps(self, frame: torch.Tensor, params: torch.Tensor, features: torch.Tensor, size: int):
        """Raw maps (N, S, r, r) float32 for the search crops of params (N, 2 + S)."""
        n, s = params.shape[0], params.shape[1] - 2
        centers = params[:, None, :2].expand(n, s, 2).reshape(n * s, 2)
        crops = crop_on_device(frame_image(frame), centers, params[:, 2:].reshape(n * s), size)
        maps = self.net.correlate(features, self._embed(crops))
        return maps.reshape(n, s, maps.shape[-2], maps.shape[-1])

    def _step(self, slot: _Slot, size: int, search: PeakSearch) -> Outputs:
        raw = self._search_maps(slot.frame, slot.params, slot.features, size)
        map_size = raw.shape[-1] * search.upsample
        peaks = locate_peaks_on_device(
            raw, search.upsample, self._scale_penalties(raw.shape[1], search.scale_penalty),
            search.window_influence, self._window(map_size),
        )
        return {"summary": peaks.summary(), "raw": raw, "chosen": peaks.chosen}

    def _slot(
        self, frame_shape: tuple, features: torch.Tensor, scales: int, size: int, search: PeakSearch
    ) -> _Slot:
        key = (tuple(frame_shape), tuple(features.shape), scales, size, search)
        slot = self._slots.pop(key, None)
        if slot is None:
            slot = _Slot(
                frame=torch.empty(frame_shape, dtype=torch.uint8, device=self.device),
                params=torch.empty((features.shape[0], 2 + scales), dtype=torch.float32, device=self.device),
                features=torch.empty_like(features, dtype=torch.float32, device=self.device),
            )
            slot.step = CapturedStep(partial(self._step, slot, size, search), self.device, self.use_graphs)
            while len(self._slots) >= self._max_slots:
                self._slots.popitem(last=False)
        self._slots[key] = slot  # most recently used last
        return slot

    def _window(self, size: int) -> torch.Tensor:
        if size not in self._windows:
            self._windows[size] = cosine_window_on(size, self.device)
        return self._windows[size]

    def _scale_penalties(self, count: int, penalty: float) -> torch.Tensor:
        key = (count, penalty)
        if key not in self._penalties:
            self._penalties[key] = scale_penalties_on(count, penalty, self.device)
        return self._penalties[key]
