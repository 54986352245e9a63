"""The timeline under the frame: one row per object over all frames, and the current frame.

Each row shows where the object has boxes, in its colour: keyframes (manual boxes) full colour with a white
diamond, tracked boxes a little lighter, interpolated ones faint, imported ones in between; occluded or
out-of-view boxes dimmed; frames marked for review carry an orange tick above the bar. Under the bar a
strip shows the tracker's peak score (red low, green high), where drift shows as a fade to red.

Drawn from per-object arrays, a pixel column at a time (each column takes the strongest box kind, the lowest
score and any review mark of the frames it covers), so a 10,000-frame video costs no more than a short one.
Click or drag to seek; wheel zooms around the mouse, Alt+wheel pans, Shift+wheel scrolls the rows;
double-click the frame ruler to see every frame again; click a name to select the object (Ctrl: several).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QImage,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QPolygonF,
    QWheelEvent,
)
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from core.annotations import BoxRecord, Origin

NONE, INTERPOLATED, IMPORTED, TRACKED, MANUAL = range(5)  # ordered: a column shows the strongest
KIND_OF = {
    Origin.INTERPOLATED: INTERPOLATED,
    Origin.IMPORTED: IMPORTED,
    Origin.TRACKED: TRACKED,
    Origin.MANUAL: MANUAL,
}
KIND_ALPHA = np.array([0, 95, 150, 200, 255], np.float32)
DIM = 0.4  # occluded or out of view
GUTTER, RIGHT, RULER_H, ROW_H, LEGEND_H = 150, 10, 20, 28, 18
BAR_TOP, BAR_H, SCORE_TOP, SCORE_H = 7, 11, 20, 5
MAX_ROWS_SHOWN = 6
MIN_VISIBLE_FRAMES = 10
BACKGROUND, ROW_ALT, ROW_SELECTED = QColor("#1b1d21"), QColor("#202328"), QColor("#2a3950")
TEXT, DIM_TEXT, CURSOR, REVIEW = QColor("#dfe3e8"), QColor("#7d858f"), QColor("#ffd23f"), QColor("#ff8c1a")
SCORE_STOPS = ((0.0, (229, 72, 77)), (0.5, (245, 165, 36)), (1.0, (48, 196, 108)))


def score_lut() -> np.ndarray:
    """256 RGBA colours from red (score 0) through amber to green (score 1)."""
    t = np.linspace(0.0, 1.0, 256)
    xs = [s for s, _ in SCORE_STOPS]
    channels = [np.interp(t, xs, [c[i] for _, c in SCORE_STOPS]) for i in range(3)]
    return np.stack([*channels, np.full(256, 255.0)], axis=1).astype(np.uint8)


SCORE_LUT = score_lut()


class TrackStrip:
    """One object's annotations as arrays over the video's frames."""

    def __init__(self, frame_count: int) -> None:
        self.kind = np.zeros(frame_count, np.uint8)
        self.score = np.full(frame_count, np.nan, np.float32)
        self.review = np.zeros(frame_count, bool)
        self.dim = np.zeros(frame_count, bool)

    @classmethod
    def from_track(cls, track: Mapping[int, BoxRecord], frame_count: int) -> TrackStrip:
        strip = cls(frame_count)
        for frame, record in track.items():
            strip.set(frame, record)
        return strip

    def set(self, frame: int, record: BoxRecord | None) -> None:
        if record is None:
            self.kind[frame], self.score[frame], self.review[frame], self.dim[frame] = (
                NONE,
                np.nan,
                False,
                False,
            )
            return
        self.kind[frame] = KIND_OF[record.origin]
        self.score[frame] = np.nan if record.score is None else record.score
        self.review[frame] = record.review
        self.dim[frame] = record.occluded or record.out_of_view

    @property
    def keyframes(self) -> np.ndarray:
        return np.flatnonzero(self.kind == MANUAL)


@dataclass(frozen=True)
class TimelineRow:
    track_id: int
    title: str  # "3 car"
    colour: str
    hidden: bool
    strip: TrackStrip


class TimelineView(QWidget):
    seekRequested = Signal(int)
    objectClicked = Signal(int, object)  # track id, keyboard modifiers

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("timeline")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the arrow keys belong to the frame shortcuts
        self.frame_count = 0
        self.current = -1
        self.rows: list[TimelineRow] = []
        self.selected: set[int] = set()
        self.view_first, self.view_last = 0.0, 1.0  # the frames shown: [first, last)
        self._row_offset = 0
        self._dragging = False
        self._last_seek = -1
        self.setToolTip("")

    # --- content --------------------------------------------------------------------------------------
    def set_frame_count(self, count: int) -> None:
        self.frame_count = max(int(count), 0)
        self.view_first, self.view_last = 0.0, float(max(self.frame_count, 1))
        self.current = -1
        self.update()

    def set_rows(self, rows: Sequence[TimelineRow]) -> None:
        changed_count = len(rows) != len(self.rows)
        self.rows = list(rows)
        self._row_offset = min(self._row_offset, max(len(self.rows) - MAX_ROWS_SHOWN, 0))
        if changed_count:
            self.updateGeometry()
        self.update()

    def set_selected(self, track_ids: Sequence[int]) -> None:
        self.selected = set(track_ids)
        self.update()

    def set_current(self, index: int) -> None:
        self.current = index
        span = self.view_last - self.view_first
        if index >= 0 and not self.view_first <= index < self.view_last:  # keep the cursor in sight
            self._set_view(index - span / 2, index + span / 2)
        self.update()

    def sizeHint(self):
        size = super().sizeHint()
        size.setHeight(self._height_for(len(self.rows)))
        return size

    def minimumSizeHint(self):
        size = super().minimumSizeHint()
        size.setHeight(self._height_for(len(self.rows)))
        return size

    @staticmethod
    def _height_for(rows: int) -> int:
        return RULER_H + ROW_H * min(max(rows, 1), MAX_ROWS_SHOWN) + LEGEND_H

    # --- geometry -------------------------------------------------------------------------------------
    def _track_width(self) -> float:
        return max(self.width() - GUTTER - RIGHT, 1)

    def x_of(self, frame: float) -> float:
        span = self.view_last - self.view_first
        return GUTTER + (frame - self.view_first) / span * self._track_width()

    def frame_at(self, x: float) -> int:
        span = self.view_last - self.view_first
        frame = self.view_first + (x - GUTTER) / self._track_width() * span
        return int(np.clip(math.floor(frame), 0, max(self.frame_count - 1, 0)))

    def row_at(self, y: float) -> TimelineRow | None:
        if y < RULER_H:
            return None
        index = int((y - RULER_H) // ROW_H) + self._row_offset
        shown = (y - RULER_H) // ROW_H < MAX_ROWS_SHOWN
        return self.rows[index] if shown and 0 <= index < len(self.rows) else None

    def _set_view(self, first: float, last: float) -> None:
        count = float(max(self.frame_count, 1))
        span = min(max(last - first, min(MIN_VISIBLE_FRAMES, count)), count)
        first = min(max(first, 0.0), count - span)
        self.view_first, self.view_last = first, first + span
        self.update()

    # --- painting -------------------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), BACKGROUND)
        if self.frame_count > 0:
            self._paint_ruler(painter)
            shown = self.rows[self._row_offset : self._row_offset + MAX_ROWS_SHOWN]
            for i, row in enumerate(shown):
                self._paint_row(painter, row, RULER_H + i * ROW_H, i + self._row_offset)
            if not self.rows:
                painter.setPen(DIM_TEXT)
                painter.drawText(
                    QRectF(GUTTER, RULER_H, self._track_width(), ROW_H),
                    Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                    "No objects yet: drag a box on the frame, then N adds it as an object (T tracks it)",
                )
            self._paint_cursor(painter)
            self._paint_legend(painter)
        painter.end()

    def _paint_ruler(self, painter: QPainter) -> None:
        painter.setPen(QPen(QColor("#3a3f46")))
        painter.drawLine(QPointF(GUTTER, RULER_H - 0.5), QPointF(self.width() - RIGHT, RULER_H - 0.5))
        step = _tick_step(self.view_last - self.view_first, self._track_width())
        small = QFont(self.font())
        small.setPointSizeF(max(small.pointSizeF() * 0.85, 6.0))
        painter.setFont(small)
        first = math.ceil(self.view_first / step) * step
        for frame in np.arange(first, self.view_last, step):
            x = self.x_of(frame)
            painter.setPen(QColor("#4a5058"))
            painter.drawLine(QPointF(x, RULER_H - 6), QPointF(x, RULER_H - 1))
            painter.setPen(DIM_TEXT)
            painter.drawText(QPointF(x + 3, RULER_H - 7), str(int(frame)))
        painter.setPen(DIM_TEXT)
        painter.drawText(QRectF(8, 0, GUTTER - 12, RULER_H - 2), Qt.AlignmentFlag.AlignVCenter, "frame")

    def _paint_row(self, painter: QPainter, row: TimelineRow, top: float, index: int) -> None:
        background = ROW_SELECTED if row.track_id in self.selected else (ROW_ALT if index % 2 else BACKGROUND)
        painter.fillRect(QRectF(0, top, self.width(), ROW_H), background)
        colour = QColor(row.colour)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour if not row.hidden else QColor("#555b63"))
        painter.drawRoundedRect(QRectF(8, top + 7, 12, 12), 3, 3)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        painter.setPen(DIM_TEXT if row.hidden else TEXT)
        painter.setFont(self.font())
        title = row.title + ("  (hidden)" if row.hidden else "")
        elided = painter.fontMetrics().elidedText(title, Qt.TextElideMode.ElideRight, GUTTER - 32)
        painter.drawText(QRectF(26, top, GUTTER - 30, ROW_H), Qt.AlignmentFlag.AlignVCenter, elided)
        columns = self._columns(row.strip)
        if columns is None:
            return
        starts, kind, score, review, dim = columns
        left, right = self.x_of(starts[0]), self.x_of(self._column_end(starts))
        bar = QRectF(left, top + BAR_TOP, right - left, BAR_H)
        painter.drawImage(bar, _strip_image(_kind_rgba(kind, dim, colour)))
        painter.drawImage(
            QRectF(left, top + SCORE_TOP, right - left, SCORE_H), _strip_image(_score_rgba(score))
        )
        self._paint_marks(painter, row, top, colour, starts, review)

    def _paint_marks(self, painter, row, top, colour, starts, review) -> None:
        keys = row.strip.keyframes
        keys = keys[(keys >= self.view_first - 1) & (keys < self.view_last + 1)]
        xs = np.unique(np.round([self.x_of(k + 0.5) for k in keys]))
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setPen(QPen(colour.darker(160), 1.0))
        painter.setBrush(QColor("#ffffff"))
        mid = top + BAR_TOP + BAR_H / 2
        size = 4.0 if len(xs) < self._track_width() / 6 else 2.5
        for x in xs:
            painter.drawPolygon(
                QPolygonF(
                    [
                        QPointF(x, mid - size),
                        QPointF(x + size, mid),
                        QPointF(x, mid + size),
                        QPointF(x - size, mid),
                    ]
                )
            )
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(REVIEW)
        width = (self._column_end(starts) - starts[0]) / len(starts)
        for start in starts[review]:
            x = self.x_of(start + width / 2)
            painter.drawPolygon(
                QPolygonF([QPointF(x - 3, top + 1), QPointF(x + 3, top + 1), QPointF(x, top + 6)])
            )
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)

    def _paint_cursor(self, painter: QPainter) -> None:
        if not 0 <= self.current < self.frame_count:
            return
        if not self.view_first <= self.current < self.view_last:
            return
        x = self.x_of(self.current + 0.5)
        bottom = RULER_H + ROW_H * min(max(len(self.rows), 1), MAX_ROWS_SHOWN)
        painter.setPen(QPen(CURSOR, 1.5))
        painter.drawLine(QPointF(x, 2), QPointF(x, bottom))
        painter.setBrush(CURSOR)
        painter.drawPolygon(QPolygonF([QPointF(x - 5, 0), QPointF(x + 5, 0), QPointF(x, 6)]))

    def _paint_legend(self, painter: QPainter) -> None:
        top = self.height() - LEGEND_H
        painter.setPen(QPen(QColor("#2b2f35")))
        painter.drawLine(QPointF(0, top), QPointF(self.width(), top))
        small = QFont(self.font())
        small.setPointSizeF(max(small.pointSizeF() * 0.85, 6.0))
        painter.setFont(small)
        x = 8.0
        sample = QColor("#5fb3ff")
        for text, alpha in (("keyframe", 255), ("tracked", 200), ("imported", 150), ("interpolated", 95)):
            fill = QColor(sample)
            fill.setAlpha(alpha)
            painter.fillRect(QRectF(x, top + 5, 16, 8), fill)
            if text == "keyframe":
                painter.setBrush(QColor("#ffffff"))
                painter.setPen(QPen(sample.darker(160), 1.0))
                painter.drawPolygon(
                    QPolygonF(
                        [
                            QPointF(x + 8, top + 5),
                            QPointF(x + 12, top + 9),
                            QPointF(x + 8, top + 13),
                            QPointF(x + 4, top + 9),
                        ]
                    )
                )
            painter.setPen(DIM_TEXT)
            painter.drawText(QPointF(x + 21, top + 13), text)
            x += 30 + painter.fontMetrics().horizontalAdvance(text)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(REVIEW)
        painter.drawPolygon(
            QPolygonF([QPointF(x, top + 5), QPointF(x + 8, top + 5), QPointF(x + 4, top + 11)])
        )
        painter.setPen(DIM_TEXT)
        painter.drawText(QPointF(x + 13, top + 13), "to review")
        x += 30 + painter.fontMetrics().horizontalAdvance("to review")
        painter.drawText(QPointF(x, top + 13), "score 0")
        x += 6 + painter.fontMetrics().horizontalAdvance("score 0")
        painter.drawImage(QRectF(x, top + 6, 60, 6), _strip_image(SCORE_LUT[None, :, :].copy()))
        painter.drawText(QPointF(x + 65, top + 13), "1")
        hint = "wheel: zoom · Alt+wheel: pan · double-click the ruler: all frames"
        width = painter.fontMetrics().horizontalAdvance(hint)
        if x + 90 + width < self.width() - RIGHT:
            painter.drawText(QPointF(self.width() - RIGHT - width, top + 13), hint)

    def _columns(self, strip: TrackStrip):
        """Per pixel column (or per frame when zoomed in): first frame, kind, score, review, dimmed."""
        first = max(math.floor(self.view_first), 0)
        last = min(math.ceil(self.view_last), self.frame_count)
        if last <= first or len(strip.kind) < last:
            return None
        width = int(self._track_width())
        sl = slice(first, last)
        if last - first <= width:
            starts = np.arange(first, last)
            return starts, strip.kind[sl], strip.score[sl], strip.review[sl], strip.dim[sl]
        offsets = np.unique((np.arange(width) * (last - first)) // width)
        starts = first + offsets
        return (
            starts,
            np.maximum.reduceat(strip.kind[sl], offsets),
            np.fmin.reduceat(strip.score[sl], offsets),
            np.logical_or.reduceat(strip.review[sl], offsets),
            np.logical_and.reduceat(strip.dim[sl], offsets),
        )

    def _column_end(self, starts: np.ndarray) -> float:
        return float(min(math.ceil(self.view_last), self.frame_count)) if len(starts) else 0.0

    # --- mouse ----------------------------------------------------------------------------------------
    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton or self.frame_count == 0:
            return super().mousePressEvent(event)
        x, y = event.position().x(), event.position().y()
        if x < GUTTER:
            row = self.row_at(y)
            if row is not None:
                self.objectClicked.emit(row.track_id, event.modifiers())
            return
        self._dragging = True
        self._seek(x)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._dragging:
            self._seek(event.position().x())

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        self._dragging = False
        self._last_seek = -1

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        if event.position().y() < RULER_H:
            self._set_view(0.0, float(self.frame_count))
        else:
            self.mousePressEvent(event)

    def wheelEvent(self, event: QWheelEvent) -> None:
        delta = event.angleDelta().y() or event.angleDelta().x()
        if not delta or self.frame_count == 0:
            return
        modifiers = event.modifiers()
        if modifiers & Qt.KeyboardModifier.ShiftModifier:
            most = max(len(self.rows) - MAX_ROWS_SHOWN, 0)
            self._row_offset = int(np.clip(self._row_offset - np.sign(delta), 0, most))
            self.update()
        elif modifiers & Qt.KeyboardModifier.AltModifier:
            span = self.view_last - self.view_first
            shift = -np.sign(delta) * span * 0.15
            self._set_view(self.view_first + shift, self.view_last + shift)
        else:
            x = event.position().x()
            anchor = self.view_first + (x - GUTTER) / self._track_width() * (self.view_last - self.view_first)
            factor = 0.8 if delta > 0 else 1.25
            self._set_view(
                anchor - (anchor - self.view_first) * factor, anchor + (self.view_last - anchor) * factor
            )
        event.accept()

    def _seek(self, x: float) -> None:
        frame = self.frame_at(max(x, GUTTER))
        if frame != self._last_seek:
            self._last_seek = frame
            self.seekRequested.emit(frame)

    def event(self, event) -> bool:
        if event.type() == event.Type.ToolTip:
            QToolTip.showText(event.globalPos(), self._tooltip(event.pos().x(), event.pos().y()), self)
            return True
        return super().event(event)

    def _tooltip(self, x: float, y: float) -> str:
        if self.frame_count == 0:
            return ""
        row = self.row_at(y)
        if x < GUTTER:
            return f"{row.title}: click to select, Ctrl+click to add to the selection" if row else ""
        frame = self.frame_at(x)
        if row is None:
            return f"frame {frame} · click or drag to go there"
        strip = row.strip
        kind = ("no box", "interpolated", "imported", "tracked", "keyframe")[int(strip.kind[frame])]
        parts = [f"{row.title}, frame {frame}: {kind}"]
        if not np.isnan(strip.score[frame]):
            parts.append(f"score {strip.score[frame]:.2f}")
        if strip.review[frame]:
            parts.append("to review")
        if strip.dim[frame]:
            parts.append("occluded or out of view")
        return " · ".join(parts)


def _tick_step(span: float, width: float, min_spacing: float = 70.0) -> int:
    """A round number of frames between ruler ticks, at least `min_spacing` pixels apart."""
    wanted = max(span * min_spacing / max(width, 1.0), 1.0)
    magnitude = 10 ** math.floor(math.log10(wanted))
    for factor in (1, 2, 5, 10):
        if factor * magnitude >= wanted:
            return int(factor * magnitude)
    return int(10 * magnitude)


def _kind_rgba(kind: np.ndarray, dim: np.ndarray, colour: QColor) -> np.ndarray:
    rgba = np.empty((1, len(kind), 4), np.uint8)
    rgba[0, :, 0], rgba[0, :, 1], rgba[0, :, 2] = colour.red(), colour.green(), colour.blue()
    alpha = KIND_ALPHA[kind] * np.where(dim, DIM, 1.0)
    rgba[0, :, 3] = alpha.astype(np.uint8)
    return rgba


def _score_rgba(score: np.ndarray) -> np.ndarray:
    known = ~np.isnan(score)
    index = np.zeros(len(score), np.int64)
    index[known] = np.clip(np.round(score[known] * 255), 0, 255).astype(np.int64)
    rgba = SCORE_LUT[index][None, :, :].copy()
    rgba[0, ~known, 3] = 0
    return rgba


def _strip_image(rgba: np.ndarray) -> QImage:
    """A one-pixel-high image of the RGBA row (copied, so it owns its pixels)."""
    rgba = np.ascontiguousarray(rgba)
    height, width = rgba.shape[:2]
    return QImage(rgba.data, width, height, width * 4, QImage.Format.Format_RGBA8888).copy()
