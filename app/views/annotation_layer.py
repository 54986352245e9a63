"""Every visible object's box on the shown frame, in the object's colour and labelled with id and class.

The line tells where a box came from: a manual keyframe is solid and thicker, a tracked box dashed, an
interpolated one dotted, an imported one dash-dotted. Occluded boxes are hatched, boxes out of view faint,
and boxes marked for review carry an orange "!" at their top-right corner. The selected object's box is
drawn by the editable box (handles) on top; here only its label is drawn.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPen
from PySide6.QtWidgets import QGraphicsRectItem

from core.annotations import Origin
from core.boxes import Box

LINE_STYLES = {
    Origin.MANUAL: Qt.PenStyle.SolidLine,
    Origin.TRACKED: Qt.PenStyle.DashLine,
    Origin.INTERPOLATED: Qt.PenStyle.DotLine,
    Origin.IMPORTED: Qt.PenStyle.DashDotLine,
}
KEYFRAME_WIDTH, OTHER_WIDTH, SELECTED_EXTRA = 2.6, 1.8, 1.2
REVIEW_COLOUR = QColor("#ff8c1a")
Z_BOX, Z_LABEL = 12, 13
LABEL_PX = 20


@dataclass(frozen=True)
class DrawnBox:
    track_id: int
    box: Box
    colour: str  # "#rrggbb"
    caption: str
    origin: Origin
    review: bool = False
    occluded: bool = False
    out_of_view: bool = False
    selected: bool = False
    editable: bool = False  # the editable box draws the rectangle: only the label is drawn here


def text_colour(background: QColor) -> QColor:
    """Black on light colours, white on dark ones."""
    luminance = 0.299 * background.red() + 0.587 * background.green() + 0.114 * background.blue()
    return QColor("#111111") if luminance > 150 else QColor("#ffffff")


class _BoxItems:
    """The graphics items of one object's box, reused from frame to frame."""

    def __init__(self, view_box: pg.ViewBox) -> None:
        self.rect = QGraphicsRectItem()
        self.rect.setZValue(Z_BOX)
        self.label = pg.TextItem(anchor=(0, 1))
        self.label.setZValue(Z_LABEL)
        self.marker = pg.TextItem("!", color="#111111", anchor=(1, 1), fill=pg.mkBrush(REVIEW_COLOUR))
        self.marker.setZValue(Z_LABEL)
        for item in (self.rect, self.label, self.marker):
            view_box.addItem(item, ignoreBounds=True)

    def show(self, drawn: DrawnBox, view_top: float, label_height: float) -> None:
        """Draw the box; its label sits above it, or inside its top when above would be out of sight."""
        x, y, w, h = (float(v) for v in drawn.box)
        colour = QColor(drawn.colour)
        line = QColor(colour)
        if drawn.out_of_view:
            line.setAlpha(110)
        width = KEYFRAME_WIDTH if drawn.origin is Origin.MANUAL else OTHER_WIDTH
        pen = QPen(line, width + (SELECTED_EXTRA if drawn.selected else 0.0), LINE_STYLES[drawn.origin])
        pen.setCosmetic(True)
        self.rect.setPen(pen)
        hatch = QColor(colour)
        hatch.setAlpha(120)
        self.rect.setBrush(QBrush(hatch, Qt.BrushStyle.BDiagPattern) if drawn.occluded else QBrush())
        self.rect.setRect(QRectF(x, y, w, h))
        self.rect.setVisible(not drawn.editable)
        fill = QColor(colour)
        fill.setAlpha(235 if drawn.selected else 185)
        self.label.fill = pg.mkBrush(fill)
        self.label.setColor(text_colour(colour))
        self.label.setText(drawn.caption)
        inside = y - label_height < view_top
        label_y = max(y, view_top)
        self.label.setAnchor((0, 0) if inside else (0, 1))
        self.label.setPos(x, label_y)
        self.label.show()
        self.marker.setAnchor((1, 0) if inside else (1, 1))
        self.marker.setPos(x + w, label_y)
        self.marker.setVisible(drawn.review)

    def hide(self) -> None:
        for item in (self.rect, self.label, self.marker):
            item.hide()


class AnnotationLayer:
    def __init__(self, view_box: pg.ViewBox) -> None:
        self.view_box = view_box
        self._items: dict[int, _BoxItems] = {}
        self.shown: list[DrawnBox] = []

    def show(self, boxes: list[DrawnBox]) -> None:
        self.shown = list(boxes)
        visible = {drawn.track_id for drawn in boxes}
        view_top = self.view_box.viewRect().top()
        label_height = LABEL_PX * abs(self.view_box.viewPixelSize()[1])  # in frame pixels at this zoom
        for drawn in boxes:
            items = self._items.get(drawn.track_id)
            if items is None:
                items = self._items[drawn.track_id] = _BoxItems(self.view_box)
            items.show(drawn, view_top, label_height)
        for track_id, items in self._items.items():
            if track_id not in visible:
                items.hide()

    def clear(self) -> None:
        self.show([])

    def box_at(self, x: float, y: float) -> int | None:
        """The object whose box holds the point (the smallest box when several do)."""
        hits = [
            (d.box[2] * d.box[3], d.track_id)
            for d in self.shown
            if d.box[0] <= x <= d.box[0] + d.box[2] and d.box[1] <= y <= d.box[1] + d.box[3]
        ]
        return min(hits)[1] if hits else None
