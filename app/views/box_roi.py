"""An editable box: a rectangle ROI with handles on every corner and side."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QRectF

from core.boxes import Box

CORNER_AND_SIDE_HANDLES = (
    ((1, 1), (0, 0)),
    ((0, 0), (1, 1)),
    ((1, 0), (0, 1)),
    ((0, 1), (1, 0)),
    ((0.5, 0), (0.5, 1)),
    ((0.5, 1), (0.5, 0)),
    ((0, 0.5), (1, 0.5)),
    ((1, 0.5), (0, 0.5)),
)
MIN_SIDE = 2.0


class BoxROI(pg.ROI):
    def __init__(self, box: Box, bounds: QRectF, pen: pg.QtGui.QPen, handle_pen: pg.QtGui.QPen) -> None:
        x, y, w, h = box
        super().__init__(
            (x, y),
            (w, h),
            pen=pen,
            handlePen=handle_pen,
            maxBounds=bounds,
            hoverPen=pg.mkPen(pen.color().lighter(140), width=pen.widthF() + 1),
        )
        for handle, center in CORNER_AND_SIDE_HANDLES:
            self.addScaleHandle(handle, center)
        self.setZValue(20)

    def box(self) -> Box:
        (x, y), (w, h) = self.pos(), self.size()
        return (float(x), float(y), max(float(w), MIN_SIDE), max(float(h), MIN_SIDE))

    def set_colour(self, colour: pg.QtGui.QColor) -> None:
        self.setPen(pg.mkPen(colour, width=2.4, cosmetic=True))
        self.hoverPen = pg.mkPen(colour.lighter(140), width=3.4, cosmetic=True)
        for handle in self.getHandles():
            handle.pen = pg.mkPen(colour, width=1.5)
            handle.currentPen = handle.pen
            handle.update()

    def set_box(self, box: Box) -> None:
        x, y, w, h = box
        self.setPos((x, y), update=False, finish=False)
        self.setSize((w, h), update=True, finish=False)
