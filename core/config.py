"""Frozen configuration for the SiamFC tracker, and the paper's presets."""
from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from core.errors import SiamTrackError

T = TypeVar("T")


def from_mapping(cls: type[T], values: Mapping[str, Any], base: T | None = None) -> T:
    """Build a frozen dataclass from a mapping, rejecting keys the class does not have."""
    names = {f.name for f in dataclasses.fields(cls)}
    unknown = sorted(set(values) - names)
    if unknown:
        raise SiamTrackError(f"unknown {cls.__name__} option(s): {', '.join(unknown)}")
    if base is None:
        return cls(**values)
    return dataclasses.replace(base, **values)


@dataclass(frozen=True)
class TrackerConfig:
    """SiamFC online-tracking hyper-parameters (Bertinetto et al. 2016)."""

    exemplar_size: int = 127
    search_size: int = 255
    context: float = 0.5
    scale_count: int = 3
    scale_step: float = 1.0375
    scale_penalty: float = 0.9745
    scale_damping: float = 0.59
    window_influence: float = 0.176
    response_upsample: int = 16
    min_scale: float = 0.2  # the target's size stays within these factors of its first size
    max_scale: float = 5.0

    def __post_init__(self) -> None:
        if self.scale_count < 1 or self.scale_count % 2 == 0:
            raise SiamTrackError("scale_count must be an odd number >= 1")
        if not 0.0 <= self.window_influence <= 1.0:
            raise SiamTrackError("window_influence must lie in [0, 1]")
        if not 0.0 <= self.scale_damping <= 1.0:
            raise SiamTrackError("scale_damping must lie in [0, 1]")

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


PRESETS: dict[str, TrackerConfig] = {
    "3s": TrackerConfig(),
    "5s": TrackerConfig(
        scale_count=5, scale_step=1.0255, scale_penalty=0.962, scale_damping=0.34, window_influence=0.168
    ),
}


def preset(name: str) -> TrackerConfig:
    try:
        return PRESETS[name]
    except KeyError:
        raise SiamTrackError(f"unknown preset {name!r}; choose one of {', '.join(PRESETS)}") from None
