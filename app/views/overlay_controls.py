"""Opacity and colormap of the score-map overlay, for the toolbar."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QSizePolicy, QSlider, QWidget

from app.views.colormaps import COLORMAPS


class OverlayControls(QWidget):
    changed = Signal()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.opacity_slider = QSlider(Qt.Orientation.Horizontal)
        self.opacity_slider.setRange(5, 100)
        self.opacity_slider.setFixedWidth(110)
        self.opacity_slider.setToolTip("Opacity of the score-map overlay")
        self.opacity_slider.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.colormap_combo = QComboBox()
        self.colormap_combo.addItems(COLORMAPS)
        self.colormap_combo.setToolTip("Colormap of the score maps")
        self.colormap_combo.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.colormap_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 0, 4, 0)
        layout.setSpacing(6)
        label = QLabel("Opacity")
        label.setStyleSheet("color: #9aa3ad;")
        layout.addWidget(label)
        layout.addWidget(self.opacity_slider)
        layout.addWidget(self.colormap_combo)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.opacity_slider.valueChanged.connect(self.changed)
        self.colormap_combo.currentIndexChanged.connect(self.changed)

    def set_values(self, opacity: float, colormap: str) -> None:
        self.blockSignals(True)
        self.opacity_slider.setValue(round(opacity * 100))
        index = self.colormap_combo.findText(colormap)
        self.colormap_combo.setCurrentIndex(max(index, 0))
        self.blockSignals(False)

    def opacity(self) -> float:
        return self.opacity_slider.value() / 100.0

    def colormap(self) -> str:
        return self.colormap_combo.currentText()
