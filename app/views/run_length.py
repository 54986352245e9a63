"""How far Track goes, for the toolbar (a list and a number) and the Track menu (a choice of three)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QComboBox, QDoubleSpinBox, QHBoxLayout, QMenu, QSizePolicy, QSpinBox, QWidget

from app.settings import RunLength

MODES = (  # mode, list entry, menu entry, tooltip
    (
        "keyframe",
        "to next keyframe",
        "To the Next &Keyframe",
        "Track up to each object's next keyframe or the end",
    ),
    ("frames", "for N frames", "For N &Frames", "Track at most N frames (always stopping at a keyframe)"),
    (
        "score",
        "while score ≥",
        "While the &Score Holds",
        "Track while the peak score stays at or above the threshold (and up to the next keyframe)",
    ),
)


class RunLengthControls(QWidget):
    changed = Signal(object)  # RunLength

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.combo = QComboBox()
        for mode, text, _, tip in MODES:
            self.combo.addItem(text, mode)
            self.combo.setItemData(self.combo.count() - 1, tip, Qt.ItemDataRole.ToolTipRole)
        self.combo.setToolTip("How far Track goes (it never overwrites a keyframe)")
        self.frames = QSpinBox()
        self.frames.setRange(1, 1_000_000)
        self.frames.setSuffix(" frames")
        self.frames.setToolTip("Frames per tracking run")
        self.score = QDoubleSpinBox()
        self.score.setRange(0.0, 1.0)
        self.score.setSingleStep(0.05)
        self.score.setDecimals(2)
        self.score.setToolTip("Stop an object's run when its peak score falls below this")
        for widget in (self.combo, self.frames, self.score):
            widget.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(2, 0, 4, 0)
        layout.setSpacing(4)
        layout.addWidget(self.combo)
        layout.addWidget(self.frames)
        layout.addWidget(self.score)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.menu = QMenu("Run &Length", self)
        self._menu_actions: dict[str, QAction] = {}
        group = QActionGroup(self)
        for mode, _, text, tip in MODES:
            action = QAction(text, self)
            action.setCheckable(True)
            action.setStatusTip(tip)
            action.triggered.connect(lambda _checked=False, mode=mode: self._choose(mode))
            group.addAction(action)
            self.menu.addAction(action)
            self._menu_actions[mode] = action
        self.combo.currentIndexChanged.connect(self._on_edit)
        self.frames.valueChanged.connect(self._on_edit)
        self.score.valueChanged.connect(self._on_edit)
        self.set_value(RunLength())

    def value(self) -> RunLength:
        return RunLength(self.combo.currentData(), self.frames.value(), self.score.value())

    def set_value(self, run: RunLength) -> None:
        for widget in (self.combo, self.frames, self.score):
            widget.blockSignals(True)
        self.combo.setCurrentIndex(max(self.combo.findData(run.mode), 0))
        self.frames.setValue(run.frames)
        self.score.setValue(run.min_score)
        for widget in (self.combo, self.frames, self.score):
            widget.blockSignals(False)
        self._show_mode()

    def _choose(self, mode: str) -> None:
        self.combo.setCurrentIndex(self.combo.findData(mode))

    def _on_edit(self) -> None:
        self._show_mode()
        self.changed.emit(self.value())

    def _show_mode(self) -> None:
        mode = self.combo.currentData()
        self.frames.setVisible(mode == "frames")
        self.score.setVisible(mode == "score")
        self._menu_actions[mode].setChecked(True)
        self.adjustSize()
