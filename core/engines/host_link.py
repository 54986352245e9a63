"""Moving arrays between the host and the torch device through reusable staging buffers.

On CUDA the staging buffers are page-locked, so uploads are asynchronous DMA copies (non_blocking) and
downloads are one batch of copies followed by one synchronisation. A staging buffer is only refilled once
the copy that last read it has finished (an event recorded after every batch of uploads), so reusing the
buffers frame after frame never races with a copy still in flight. On the CPU the same code runs with
ordinary memory and synchronous copies.
"""
from __future__ import annotations

import numpy as np
import torch


class HostLink:
    def __init__(self, device: torch.device) -> None:
        self.device = device
        self._pinned = device.type == "cuda"
        self._staging: dict[tuple[str, int], torch.Tensor] = {}
        self._uploads_done = torch.cuda.Event() if self._pinned else None

    def upload(self, pairs: list[tuple[np.ndarray, torch.Tensor]]) -> None:
        """Copy each host array into its device tensor (same shape; cast to the tensor's dtype)."""
        if self._uploads_done is not None:
            self._uploads_done.synchronize()
        for slot, (array, target) in enumerate(pairs):
            staging = self._buffer(("up", slot), target.shape, target.dtype)
            np.copyto(staging.numpy(), array, casting="same_kind")
            target.copy_(staging, non_blocking=self._pinned)
        if self._uploads_done is not None:
            self._uploads_done.record(torch.cuda.current_stream(self.device))

    def to_device(self, array: np.ndarray, dtype: torch.dtype) -> torch.Tensor:
        """A new device tensor holding the array."""
        target = torch.empty(array.shape, dtype=dtype, device=self.device)
        self.upload([(array, target)])
        return target

    def download(self, tensors: list[torch.Tensor]) -> list[np.ndarray]:
        """Host copies of the tensors, after one wait for all of them."""
        staged = []
        for slot, tensor in enumerate(tensors):
            staging = self._buffer(("down", slot), tensor.shape, tensor.dtype)
            staging.copy_(tensor, non_blocking=self._pinned)
            staged.append(staging)
        if self._pinned:
            torch.cuda.current_stream(self.device).synchronize()
        return [staging.numpy().copy() for staging in staged]

    def _buffer(self, key: tuple[str, int], shape: torch.Size, dtype: torch.dtype) -> torch.Tensor:
        """The staging buffer of one position in a batch of copies, reallocated when its shape changes (a new
        frame size or target count: rare, and torch caches freed page-locked blocks)."""
        buffer = self._staging.get(key)
        if buffer is None or buffer.shape != shape or buffer.dtype != dtype:
            buffer = torch.empty(tuple(shape), dtype=dtype, pin_memory=self._pinned)
            self._staging[key] = buffer
        return buffer
