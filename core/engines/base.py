"""An engine runs the network for the tracker: it cuts the crops it needs and returns raw response maps.

Engines differ in where and how they compute (fp32 or bf16, CPU or CUDA, ONNX Runtime) but not in what:
each returns the same maps as the reference fp32 path, within a tolerance their tests state.

An engine may also take SiamFC's decision itself (a DecidingEngine): then the maps stay where they were
computed and only a few numbers per target travel back, which is what makes a GPU path fast.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np


@dataclass(frozen=True)
class Peaks:
    """SiamFC's decision for N targets."""

    scale_index: np.ndarray  # (N,) chosen scale per target
    position: np.ndarray  # (N, 2) peak (x, y) in upsampled-map pixels, after the cosine window
    chosen: np.ndarray | None  # (N, R, R) upsampled raw map of the chosen scale (None when not asked for)
    contrast: np.ndarray  # (N,) peak minus mean of the chosen raw map (the confidence before normalising)


@dataclass(frozen=True)
class PeakSearch:
    """The settings of the decision (see core.tracking.response.locate_peaks)."""

    upsample: int
    scale_penalty: float
    window_influence: float


class Engine(Protocol):
    name: str
    total_stride: int

    def exemplar_features(
        self, frame: np.ndarray, centers: np.ndarray, sides: np.ndarray, size: int
    ) -> Any:
        """Embed N exemplar crops (centers (N, 2), sides (N,)), resampled to size x size."""

    def responses(
        self, frame: np.ndarray, features: Any, centers: np.ndarray, sides: np.ndarray, size: int
    ) -> np.ndarray:
        """Raw responses (N, S, r, r) float32 of exemplar n to search crops at centers[n] of sides[n, s]."""

    def select(self, features: Any, indices: list[int]) -> Any:
        """The features of a subset of targets (to drop targets without recomputing)."""

    def concat(self, features: list[Any]) -> Any:
        """Features of several groups of targets, in order."""


class DecidingEngine(Engine, Protocol):
    """An engine that also takes the decision, next to the maps, and returns only its outcome."""

    def locate(
        self,
        frame: np.ndarray,
        features: Any,
        centers: np.ndarray,
        sides: np.ndarray,
        size: int,
        search: PeakSearch,
        want_maps: bool,
    ) -> tuple[np.ndarray | None, Peaks]:
        """As responses() followed by locate_peaks(): (raw maps (N, S, r, r) or None, peaks). The maps (raw
        and chosen) come back only when want_maps is true."""
