"""The tracker's peak score over the frames tracked so far."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QColor

CURVE_COLOR = QColor("#39e27a")
CURSOR_COLOR = QColor("#ffd23f")
EMPTY_FRAMES = 100  # the frame axis shown before anything is tracked


class ScorePlot(pg.PlotWidget):
    def __init__(self, parent=None) -> None:
        super().__init__(parent, background="#1b1d21")
        item = self.getPlotItem()
        item.showGrid(x=False, y=False)
        item.setLabel("left", "peak score")
        item.setLabel("bottom", "frame")
        item.setMenuEnabled(False)
        item.hideButtons()
        item.setYRange(0.0, 1.05, padding=0)
        item.setXRange(0, EMPTY_FRAMES, padding=0.02)
        item.getViewBox().setMouseEnabled(x=True, y=False)
        item.getViewBox().setLimits(yMin=-0.05, yMax=1.1)
        self.curve = item.plot(
            pen=pg.mkPen(CURVE_COLOR, width=1.8), fillLevel=0, brush=pg.mkBrush(57, 226, 122, 40)
        )
        self.cursor = pg.InfiniteLine(angle=90, movable=False, pen=pg.mkPen(CURSOR_COLOR, width=1))
        item.addItem(self.cursor, ignoreBounds=True)
        self.setMinimumHeight(120)
        self.setToolTip(
            "Peak score of the tracker on every tracked frame (1 = as sure as on the first frame)"
        )

    def set_scores(self, frames: np.ndarray, scores: np.ndarray) -> None:
        self.curve.setData(frames, scores)
        view = self.getPlotItem().getViewBox()
        if not view.autoRangeEnabled()[0]:
            view.enableAutoRange(axis="x")

    def set_current_frame(self, index: int) -> None:
        self.cursor.setValue(index)

    def clear_scores(self) -> None:
        self.curve.setData([], [])
        self.getPlotItem().setXRange(0, EMPTY_FRAMES, padding=0.02)
