"""Numbers about the newest result: score, scale, box, speed, dropped camera frames."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QGridLayout, QLabel, QWidget

READOUTS = (  # key, label, tooltip
    ("frame", "Frame", "Index of the frame shown (0-based)"),
    (
        "score",
        "Peak score",
        "Peak of the response, relative to the first frame's (1 = as sure as at the start)",
    ),
    ("scale", "Scale (frame)", "Scale factor the tracker applied to the box on this frame"),
    (
        "cumulative",
        "Scale (total)",
        "Size of the box relative to the first frame's (square root of the area ratio)",
    ),
    ("box", "Box", "x, y, width × height in frame pixels"),
    ("tracking_fps", "Tracking", "Frames per second the tracker processes"),
    ("display_fps", "Display", "Frames per second the window draws"),
    ("dropped", "Dropped", "Camera frames skipped because the tracker was busy"),
    ("engine", "Engine", "Where the network runs"),
)
EMPTY = "—"


@dataclass(frozen=True)
class Readout:
    frame: str = EMPTY
    score: str = EMPTY
    scale: str = EMPTY
    cumulative: str = EMPTY
    box: str = EMPTY
    tracking_fps: str = EMPTY
    display_fps: str = EMPTY
    dropped: str = EMPTY
    engine: str = EMPTY


class ReadoutsPanel(QWidget):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        layout = QGridLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.setHorizontalSpacing(14)
        layout.setVerticalSpacing(4)
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        self.values: dict[str, QLabel] = {}
        for row, (key, text, tip) in enumerate(READOUTS):
            name = QLabel(text)
            name.setToolTip(tip)
            name.setStyleSheet("color: #9aa3ad;")
            value = QLabel(EMPTY)
            value.setFont(mono)
            value.setToolTip(tip)
            value.setObjectName(f"readout_{key}")
            layout.addWidget(name, row, 0)
            layout.addWidget(value, row, 1)
            self.values[key] = value
        layout.setColumnStretch(1, 1)
        layout.setRowStretch(len(READOUTS), 1)
        big = QFont(mono)
        big.setPointSizeF(mono.pointSizeF() * 1.35)
        big.setBold(True)
        self.values["score"].setFont(big)

    def show_readout(self, readout: Readout) -> None:
        for key, label in self.values.items():
            label.setText(getattr(readout, key))

    def text(self, key: str) -> str:
        return self.values[key].text()
