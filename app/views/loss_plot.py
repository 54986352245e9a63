"""Training and validation loss over the epochs: every logged step, and each epoch's mean."""

from __future__ import annotations

from collections.abc import Sequence

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

STEP_COLOR = QColor(93, 169, 255, 110)
TRAIN_COLOR = QColor("#5da9ff")
VAL_COLOR = QColor("#ff9f43")
BEST_COLOR = QColor("#ffd23f")


class LossPlot(pg.PlotWidget):
    def __init__(self, parent=None) -> None:
        super().__init__(parent, background="#1b1d21")
        item = self.getPlotItem()
        item.showGrid(x=True, y=True, alpha=0.15)
        item.setLabel("left", "loss")
        item.setLabel("bottom", "epoch")
        item.setMenuEnabled(False)
        item.hideButtons()
        self.legend = item.addLegend(
            offset=(-10, 10), labelTextColor="#c9ced6", brush=pg.mkBrush(27, 29, 33, 200)
        )
        self.step_curve = item.plot(name="train loss (steps)", pen=pg.mkPen(STEP_COLOR, width=1))
        self.train_curve = item.plot(
            name="train loss (epoch)",
            pen=pg.mkPen(TRAIN_COLOR, width=2.2),
            symbol="o",
            symbolSize=7,
            symbolBrush=TRAIN_COLOR,
            symbolPen=None,
        )
        self.val_curve = item.plot(
            name="validation loss (epoch)",
            pen=pg.mkPen(VAL_COLOR, width=2.2),
            symbol="s",
            symbolSize=7,
            symbolBrush=VAL_COLOR,
            symbolPen=None,
        )
        self.best_line = pg.InfiniteLine(
            angle=90, movable=False, pen=pg.mkPen(BEST_COLOR, width=1, style=Qt.PenStyle.DashLine)
        )
        self.best_line.hide()
        item.addItem(self.best_line, ignoreBounds=True)
        self.setMinimumHeight(220)
        self.setToolTip(
            "Training loss of every logged step (thin), each epoch's training and validation loss (dots); "
            "the dashed line marks the best epoch (lowest validation loss)"
        )
        self.clear_curves()

    def set_curves(
        self,
        step: tuple[Sequence[float], Sequence[float]],
        train: tuple[Sequence[float], Sequence[float]],
        val: tuple[Sequence[float], Sequence[float]],
        best_epoch: int | None,
    ) -> None:
        self.step_curve.setData(*step)
        self.train_curve.setData(*train)
        self.val_curve.setData(*val)
        self.best_line.setVisible(best_epoch is not None)
        if best_epoch is not None:
            self.best_line.setValue(best_epoch)
        self.getPlotItem().enableAutoRange()

    def clear_curves(self) -> None:
        for curve in (self.step_curve, self.train_curve, self.val_curve):
            curve.setData([], [])
        self.best_line.hide()
        self.getPlotItem().setXRange(0, 1, padding=0.02)
        self.getPlotItem().setYRange(0, 1, padding=0.02)
