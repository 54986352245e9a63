"""The frame, zoomable and pannable, with the box the user draws and the tracker's box and score map on it.

Mouse: drag on the frame draws a new box; drag the box or its handles to adjust it; click a box to select
its object (Ctrl+click adds to the selection); wheel zooms; drag with the middle button, or with Ctrl held,
pans; double-click fits the frame to the view.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QGraphicsItem, QGraphicsRectItem

from app.views.annotation_layer import AnnotationLayer
from app.views.box_roi import BoxROI
from app.views.score_overlay import ScoreMapOverlay
from core.boxes import Box

EDIT_COLOR = QColor("#ffd23f")
TRACK_COLOR = QColor("#39e27a")
DRAW_COLOR = QColor("#5fb3ff")
MIN_DRAWN_SIDE = 4.0  # a drag smaller than this (in frame pixels) is a click, not a box


class FrameViewBox(pg.ViewBox):
    """A ViewBox in which a left-drag draws a rectangle (unless Ctrl is held: then it pans)."""

    rectangleDrawn = Signal(QRectF)
    clicked = Signal(QPointF, object)  # frame point, keyboard modifiers

    def __init__(self) -> None:
        super().__init__(lockAspect=True, invertY=True, enableMenu=False)
        self.drawing_enabled = False
        self._rubber_band = QGraphicsRectItem()
        self._rubber_band.setPen(pg.mkPen(DRAW_COLOR, width=2, style=Qt.PenStyle.DashLine, cosmetic=True))
        self._rubber_band.setZValue(30)
        self._rubber_band.hide()
        self.addItem(self._rubber_band, ignoreBounds=True)

    def mouseDragEvent(self, ev, axis=None) -> None:
        draws = (
            ev.button() == Qt.MouseButton.LeftButton
            and self.drawing_enabled
            and not ev.modifiers() & Qt.KeyboardModifier.ControlModifier
        )
        if not draws:
            super().mouseDragEvent(ev, axis)
            return
        ev.accept()
        start = self.mapSceneToView(ev.buttonDownScenePos(ev.button()))
        rect = QRectF(start, self.mapSceneToView(ev.scenePos())).normalized()
        if ev.isFinish():
            self._rubber_band.hide()
            self.rectangleDrawn.emit(rect)
        else:
            self._rubber_band.setRect(rect)
            self._rubber_band.show()

    def mouseClickEvent(self, ev) -> None:
        if ev.double() and ev.button() == Qt.MouseButton.LeftButton:
            self.autoRange(padding=0.02)
            ev.accept()
            return
        if ev.button() == Qt.MouseButton.LeftButton:
            ev.accept()
            self.clicked.emit(self.mapSceneToView(ev.scenePos()), ev.modifiers())
            return
        super().mouseClickEvent(ev)


class FrameView(pg.GraphicsView):
    boxChanged = Signal(object)  # Box, or None when the box was removed
    boxDrawn = Signal(object)  # Box: a new rectangle was dragged out on the frame
    boxEdited = Signal(object)  # Box: the editable box was moved or resized with the mouse
    clicked = Signal(float, float, object)  # a click on the frame: x, y, keyboard modifiers
    cursorMoved = Signal(float, float)  # frame coordinates under the mouse

    def __init__(self, overlay: ScoreMapOverlay, parent=None) -> None:
        super().__init__(parent, background="#15171a")
        self.view_box = FrameViewBox()
        self.setCentralItem(self.view_box)
        self.image = pg.ImageItem(axisOrder="row-major")
        self.view_box.addItem(self.image)
        self.overlay = overlay
        # a child of the frame, clipped to it: the search region may reach past the frame's edges
        overlay.setParentItem(self.image)
        self.image.setFlag(QGraphicsItem.GraphicsItemFlag.ItemClipsChildrenToShape)
        self.tracked_box = _TrackedBox()
        self.view_box.addItem(self.tracked_box, ignoreBounds=True)
        self.view_box.addItem(self.tracked_box.label, ignoreBounds=True)
        self.annotations = AnnotationLayer(self.view_box)
        self._box_colour = EDIT_COLOR
        self._roi: BoxROI | None = None
        self._frame_size: tuple[int, int] | None = None
        self.view_box.rectangleDrawn.connect(self._on_rectangle_drawn)
        self.view_box.clicked.connect(
            lambda point, modifiers: self.clicked.emit(point.x(), point.y(), modifiers)
        )
        self.scene().sigMouseMoved.connect(self._on_mouse_moved)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setToolTip(
            "Drag to draw a box around the object · drag the box or its handles to adjust it\n"
            "Click a box to select its object (Ctrl+click: several)\n"
            "Wheel: zoom · Ctrl+drag or middle-drag: pan · double-click: fit"
        )

    # --- the frame --------------------------------------------------------------------------------------
    @property
    def frame_size(self) -> tuple[int, int] | None:
        return self._frame_size

    def set_frame(self, frame: np.ndarray) -> None:
        size = (frame.shape[1], frame.shape[0])
        self.image.setImage(frame, autoLevels=False, levels=(0, 255))
        if size != self._frame_size:
            self._frame_size = size
            self.fit()
            if self._roi is not None:
                self._roi.maxBounds = self._bounds()

    def clear(self) -> None:
        self.image.clear()
        self._frame_size = None
        self.overlay.clear_response()
        self.tracked_box.set_box(None)
        self.annotations.clear()
        self.set_box(None)

    def fit(self) -> None:
        if self._frame_size is not None:
            self.view_box.setRange(self._bounds(), padding=0.02)

    # --- the user's box ---------------------------------------------------------------------------------
    def set_drawing_enabled(self, enabled: bool) -> None:
        self.view_box.drawing_enabled = enabled
        if self._roi is not None:
            self._roi.setVisible(enabled)
            self._roi.translatable = enabled

    def box(self) -> Box | None:
        return None if self._roi is None else self._roi.box()

    def set_box(self, box: Box | None, notify: bool = False) -> None:
        """Place the editable box (None removes it); boxChanged is emitted only when `notify`."""
        self._place_box(box)
        if notify:
            self.boxChanged.emit(box)

    def set_box_colour(self, colour: str | None) -> None:
        """The editable box's colour: the selected object's, or the drawing colour (None)."""
        self._box_colour = QColor(colour) if colour else EDIT_COLOR
        if self._roi is not None:
            self._roi.set_colour(self._box_colour)

    def _place_box(self, box: Box | None) -> None:
        if box is None:
            if self._roi is not None:
                self.view_box.removeItem(self._roi)
                self._roi = None
            return
        if self._roi is None:
            self._roi = BoxROI(
                box,
                self._bounds(),
                pg.mkPen(EDIT_COLOR, width=2, cosmetic=True),
                pg.mkPen(EDIT_COLOR, width=1.5),
            )
            self._roi.set_colour(self._box_colour)
            self._roi.sigRegionChangeFinished.connect(self._on_roi_edited)
            self.view_box.addItem(self._roi, ignoreBounds=True)
            self._roi.setVisible(self.view_box.drawing_enabled)
        else:
            self._roi.set_box(box)

    def _on_rectangle_drawn(self, rect: QRectF) -> None:
        rect = rect.intersected(self._bounds())
        if rect.width() < MIN_DRAWN_SIDE or rect.height() < MIN_DRAWN_SIDE:
            return
        box = (rect.x(), rect.y(), rect.width(), rect.height())
        self._place_box(box)
        self.boxDrawn.emit(box)
        self.boxChanged.emit(self.box())

    def _on_roi_edited(self, roi: BoxROI) -> None:
        box = roi.box()
        self.boxEdited.emit(box)
        self.boxChanged.emit(box)

    def _on_mouse_moved(self, scene_pos: QPointF) -> None:
        if self._frame_size is None:
            return
        point = self.view_box.mapSceneToView(scene_pos)
        self.cursorMoved.emit(point.x(), point.y())

    def _bounds(self) -> QRectF:
        width, height = self._frame_size or (1, 1)
        return QRectF(0, 0, width, height)


class _TrackedBox(QGraphicsRectItem):
    """The tracker's box for the shown frame, labelled with its score."""

    def __init__(self) -> None:
        super().__init__()
        self.setPen(pg.mkPen(TRACK_COLOR, width=2.5, cosmetic=True))
        self.setZValue(10)
        self.label = pg.TextItem(color=TRACK_COLOR, anchor=(0, 1), fill=pg.mkBrush(0, 0, 0, 150))
        self.label.setZValue(11)
        self.hide()
        self.label.hide()

    def set_box(self, box: Box | None, caption: str = "") -> None:
        if box is None:
            self.hide()
            self.label.hide()
            return
        x, y, w, h = (float(v) for v in box)
        self.setRect(QRectF(x, y, w, h))
        self.label.setText(caption)
        self.label.setPos(x, y)
        self.show()
        self.label.setVisible(bool(caption))
