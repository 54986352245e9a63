"""The chosen scale's response map drawn over the frame, exactly where it was searched."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF

from app.views.colormaps import map_levels, score_lut
from core.boxes import Box


class ScoreMapOverlay(pg.ImageItem):
    def __init__(self, colormap: str = "inferno", opacity: float = 0.45, visible: bool = True) -> None:
        super().__init__(axisOrder="row-major")
        self.setZValue(5)
        self.setLookupTable(score_lut(colormap))
        self.setOpacity(opacity)
        self.enabled = visible
        self._placed = False
        self.setVisible(False)

    def set_response(self, response: np.ndarray | None, search_box: Box) -> None:
        """Show `response` stretched over `search_box` (frame coordinates); None hides the overlay."""
        if response is None:
            self.clear_response()
            return
        self.setImage(np.asarray(response, dtype=np.float32), autoLevels=False, levels=map_levels(response))
        self.setRect(QRectF(*(float(v) for v in search_box)))
        self._placed = True
        self.setVisible(self.enabled)

    def clear_response(self) -> None:
        self._placed = False
        self.setVisible(False)

    def set_enabled(self, enabled: bool) -> None:
        self.enabled = enabled
        self.setVisible(enabled and self._placed)

    def set_colormap(self, name: str) -> None:
        self.setLookupTable(score_lut(name))

    def placed_rect(self) -> QRectF:
        """Where the map lies in frame coordinates (for checks and tooltips)."""
        return self.mapRectToParent(self.boundingRect())
