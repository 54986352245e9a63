"""Execution paths for the Siamese network, chosen at run time from what the machine supports.

- fp32: eager PyTorch, the reference every other path is checked against.
- fp32-fast: batch norm folded into the convolutions, channels-last memory.
- bf16: as fp32-fast with the embedding in bfloat16 (CPUs with AMX or AVX-512 BF16, and CUDA GPUs);
  the cross-correlation and the decision stay in fp32.
- onnxruntime: the folded embedding run by ONNX Runtime (CPU), for CPUs without fast bf16.
- cuda: the whole step on a CUDA GPU (device_engine): one upload per frame, crops cut on the GPU, fp16
  embedding, fp32 correlation and decision on the GPU, CUDA graphs; a few numbers per target come back.
"auto" picks cuda on CUDA devices; on the CPU bf16 where the hardware runs it fast and the model's header
lists bf16 among its verified engines (bf16 moves some networks' peaks: the imported CFNet loses 0.06 AUC),
otherwise ONNX Runtime when installed, otherwise fp32-fast.
"""
from __future__ import annotations

from collections.abc import Callable

import torch

from core.device import resolve_device
from core.engines.base import DecidingEngine, Engine
from core.engines.capabilities import cpu_has_fast_bf16
from core.engines.device_engine import DeviceEngine
from core.engines.onnx_engine import OnnxEngine, onnxruntime_available
from core.engines.torch_engine import TorchEngine
from core.errors import SiamTrackError
from core.models import Model


def _fp32(model: Model, device: torch.device) -> Engine:
    return TorchEngine(model.net, device, name=f"fp32 (PyTorch eager, {device.type})")


def _fp32_fast(model: Model, device: torch.device) -> Engine:
    return TorchEngine(model.net, device, optimize=True, name=f"fp32-fast (PyTorch folded, {device.type})")


def _bf16(model: Model, device: torch.device) -> Engine:
    return TorchEngine(model.net, device, torch.bfloat16, optimize=True, name=f"bf16 (PyTorch, {device.type})")


def _onnxruntime(model: Model, device: torch.device) -> Engine:
    if device.type != "cpu":
        raise SiamTrackError("the onnxruntime engine runs on the CPU only; use --device cpu")
    return OnnxEngine(model.net, name="onnxruntime (fp32, cpu)")


def _cuda(model: Model, device: torch.device) -> Engine:
    if device.type != "cuda":
        where = "use --device cuda or auto" if torch.cuda.is_available() else "PyTorch sees none here"
        raise SiamTrackError(f"the cuda engine needs a CUDA GPU, not {device.type}; {where}")
    gpu = torch.cuda.get_device_name(device)
    return DeviceEngine(model.net, device, torch.float16, name=f"cuda (fp16 embedding, CUDA graphs, {gpu})")


ENGINE_BUILDERS: dict[str, Callable[[Model, torch.device], Engine]] = {
    "fp32": _fp32,
    "fp32-fast": _fp32_fast,
    "bf16": _bf16,
    "onnxruntime": _onnxruntime,
    "cuda": _cuda,
}


def engine_names() -> list[str]:
    return ["auto", *ENGINE_BUILDERS]


def bf16_verified(model_info: dict) -> bool:
    """Whether the model's tracking accuracy was checked with bf16 against fp32 (recorded in its header)."""
    return "bf16" in model_info.get("verified_engines", ())


def auto_engine_name(device: torch.device, bf16_ok: bool = False) -> str:
    if device.type == "cuda":
        return "cuda"
    if device.type == "cpu" and bf16_ok and cpu_has_fast_bf16():
        return "bf16"
    if device.type == "cpu" and onnxruntime_available():
        return "onnxruntime"
    return "fp32-fast"


def create_engine(model: Model, device: str = "auto", path: str = "auto") -> Engine:
    torch_device = resolve_device(device)
    if path == "auto":
        path = auto_engine_name(torch_device, bf16_verified(model.info))
    try:
        builder = ENGINE_BUILDERS[path]
    except KeyError:
        raise SiamTrackError(f"unknown engine {path!r}; choose one of {', '.join(engine_names())}") from None
    return builder(model, torch_device)


__all__ = [
    "ENGINE_BUILDERS", "DecidingEngine", "DeviceEngine", "Engine", "auto_engine_name", "bf16_verified",
    "create_engine", "engine_names",
]
