"""The response maps of every scale searched on the newest frame, side by side, the chosen one marked."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor

from app.views.colormaps import map_levels, score_lut

CHOSEN_COLOR = QColor("#39e27a")
OTHER_COLOR = QColor("#8a919c")


class _ScaleCell:
    def __init__(self, layout: pg.GraphicsLayout, column: int, lut: np.ndarray) -> None:
        self.title = layout.addLabel("", row=0, col=column)
        self.view = layout.addViewBox(
            row=1, col=column, lockAspect=True, invertY=True, enableMouse=False, enableMenu=False
        )
        self.image = pg.ImageItem(axisOrder="row-major")
        self.image.setLookupTable(lut)
        self.view.addItem(self.image)
        self.frame = pg.QtWidgets.QGraphicsRectItem()
        self.frame.setZValue(5)
        self.view.addItem(self.frame)

    def show(self, response: np.ndarray, levels: tuple[float, float], factor: float, chosen: bool) -> None:
        self.image.setImage(response, autoLevels=False, levels=levels)
        size = response.shape
        self.frame.setRect(QRectF(0, 0, size[1], size[0]))
        color = CHOSEN_COLOR if chosen else OTHER_COLOR
        self.frame.setPen(pg.mkPen(color, width=3 if chosen else 1, cosmetic=True))
        self.title.setText(f"×{factor:.4f}", color=color.name(), bold=chosen, size="9pt")
        self.view.setRange(QRectF(0, 0, size[1], size[0]), padding=0.04)


class ScaleMapsView(pg.GraphicsLayoutWidget):
    def __init__(self, colormap: str = "inferno", parent=None) -> None:
        super().__init__(parent)
        self.setBackground("#1b1d21")
        self._lut = score_lut(colormap, fade=False)
        self._cells: list[_ScaleCell] = []
        self._placeholder = self.ci.addLabel("Scale maps appear while SiamFC tracks", color="#8a919c")
        self.chosen_index: int | None = None
        self.setMinimumHeight(120)
        self.setToolTip(
            "Raw response of each scale searched on the newest frame; the chosen scale is marked."
        )

    def set_maps(self, maps: np.ndarray | None, chosen: int, factors: tuple[float, ...]) -> None:
        if maps is None or len(maps) == 0:
            self.clear_maps()
            return
        if len(self._cells) != len(maps):
            self._rebuild(len(maps))
        levels = map_levels(maps)  # one scale for all, so that the maps compare
        for index, (cell, response) in enumerate(zip(self._cells, maps)):
            factor = factors[index] if len(factors) == len(maps) else 1.0
            cell.show(np.asarray(response, dtype=np.float32), levels, factor, index == chosen)
        self.chosen_index = chosen

    def set_colormap(self, name: str) -> None:
        self._lut = score_lut(name, fade=False)
        for cell in self._cells:
            cell.image.setLookupTable(self._lut)

    def clear_maps(self) -> None:
        if self._cells:
            self._rebuild(0)
        self.chosen_index = None

    def _rebuild(self, count: int) -> None:
        self.ci.clear()
        self._placeholder = None
        self._cells = [_ScaleCell(self.ci, column, self._lut) for column in range(count)]
        if count == 0:
            self._placeholder = self.ci.addLabel("Scale maps appear while SiamFC tracks", color="#8a919c")
        self.ci.setSpacing(6)
        for column in range(count):  # equal columns, whatever the titles' widths
            self.ci.layout.setColumnStretchFactor(column, 1)
            self.ci.layout.setColumnPreferredWidth(column, 1)
