"""An engine runs the network for the tracker: it cuts the crops it needs and returns raw response maps.

Engines differ in where and how they compute (fp32 or bf16, CPU or CUDA, ONNX Runtime) but not in what:
each returns the same maps as the reference fp32 path, within a tolerance their tests state.
"""
from __future__ import annotations

from typing import Any, Protocol

import numpy as np


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
