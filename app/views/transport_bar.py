"""Frame navigation under the view: buttons, a slider, the frame number and the time."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSlider, QSpinBox, QToolButton, QWidget


class TransportBar(QWidget):
    seekRequested = Signal(int)

    def __init__(self, actions: list[QAction | None], parent=None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 6)
        layout.setSpacing(2)
        for action in actions:
            if action is None:
                layout.addSpacing(8)
                continue
            button = QToolButton()
            button.setDefaultAction(action)
            button.setAutoRaise(True)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            layout.addWidget(button)
        layout.addSpacing(8)
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # arrow keys belong to the frame shortcuts
        self.slider.setToolTip("Drag to any frame")
        self.spin = QSpinBox()
        self.spin.setKeyboardTracking(False)
        self.spin.setToolTip("Frame number (0-based); type a number and press Enter")
        self.spin.setMinimumWidth(72)
        self.count = QLabel("/ 0")
        self.time = QLabel("00:00.00")
        self.time.setToolTip("Time of the frame at the source's frame rate")
        self.time.setStyleSheet("color: #9aa3ad;")
        layout.addWidget(self.slider, 1)
        layout.addSpacing(8)
        layout.addWidget(self.spin)
        layout.addWidget(self.count)
        layout.addSpacing(10)
        layout.addWidget(self.time)
        self.slider.valueChanged.connect(self._on_slider)
        self.spin.valueChanged.connect(self._on_slider)
        self._updating = False

    def set_range(self, frame_count: int | None) -> None:
        """frame_count None: a live source, nothing to seek."""
        self._updating = True
        last = max((frame_count or 1) - 1, 0)
        self.slider.setRange(0, last)
        self.spin.setRange(0, last if frame_count else 10**9)
        self.count.setText(f"/ {frame_count - 1}" if frame_count else "live")
        seekable = bool(frame_count)
        self.slider.setEnabled(seekable)
        self.spin.setReadOnly(not seekable)
        self.spin.setButtonSymbols(
            QSpinBox.ButtonSymbols.UpDownArrows if seekable else QSpinBox.ButtonSymbols.NoButtons
        )
        self._updating = False

    def set_position(self, index: int, fps: float | None) -> None:
        self._updating = True
        self.slider.setValue(index)
        self.spin.setValue(index)
        seconds = index / fps if fps else 0.0
        self.time.setText(f"{int(seconds // 60):02d}:{seconds % 60:05.2f}")
        self._updating = False

    def set_seek_enabled(self, enabled: bool) -> None:
        self.slider.setEnabled(enabled and self.slider.maximum() > 0)
        self.spin.setEnabled(enabled)

    def _on_slider(self, value: int) -> None:
        if not self._updating:
            self.seekRequested.emit(value)
