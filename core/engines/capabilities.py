"""What this machine's processor offers, to choose an execution path at run time."""
from __future__ import annotations

from functools import cache
from pathlib import Path

import torch


@cache
def cpu_flags() -> frozenset[str]:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("flags"):
                return frozenset(line.split(":", 1)[1].split())
    except OSError:
        pass
    return frozenset()


def cpu_has_fast_bf16() -> bool:
    """AMX (Sapphire Rapids and later) or AVX-512 BF16: bf16 convolutions run much faster than fp32."""
    amx = getattr(torch.cpu, "_is_amx_tile_supported", None)
    avx512_bf16 = getattr(torch.cpu, "_is_avx512_bf16_supported", None)
    if amx is not None and avx512_bf16 is not None:
        return bool(amx() or avx512_bf16())
    return bool({"amx_bf16", "avx512_bf16"} & cpu_flags())


def cpu_description() -> str:
    capability = torch.backends.cpu.get_cpu_capability()
    extras = [name for name, present in (("AMX", "amx_bf16" in cpu_flags()),) if present]
    return " + ".join([capability, *extras])
