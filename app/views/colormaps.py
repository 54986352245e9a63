"""Lookup tables for drawing score maps: a colormap whose low end fades out, so the frame shows through."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg

COLORMAPS = ("inferno", "viridis", "turbo", "magma", "plasma")
FADE_FLOOR = 0.12  # alpha of the lowest score; the highest is opaque


def score_lut(name: str, fade: bool = True) -> np.ndarray:
    """(256, 4) uint8 RGBA lookup table for colormap `name`."""
    lut = pg.colormap.get(name if name in COLORMAPS else COLORMAPS[0]).getLookupTable(nPts=256, alpha=True)
    lut = np.array(lut, dtype=np.uint8)
    if fade:
        lut[:, 3] = np.round(255 * np.linspace(FADE_FLOOR, 1.0, 256) ** 0.7).astype(np.uint8)
    return lut


def map_levels(maps: np.ndarray) -> tuple[float, float]:
    """Levels spanning a response map (or a stack of them), never an empty range."""
    low, high = float(np.min(maps)), float(np.max(maps))
    return (low, high) if high > low else (low, low + 1.0)
