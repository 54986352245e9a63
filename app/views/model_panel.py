"""Choosing the tracker, its model, preset, device and engine; shows whether a model is ready."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.settings import BUNDLED_MODEL, TrackerChoice

TRACKER_LABELS = {
    "siamfc": "SiamFC (Siamese network)",
    "csrt": "CSRT (OpenCV)",
    "kcf": "KCF (OpenCV)",
    "mil": "MIL (OpenCV)",
    "identity": "Identity (box stays put)",
}
DEVICE_LABELS = {"auto": "Auto (CUDA if present)", "cpu": "CPU", "cuda": "CUDA GPU"}
PRESET_LABELS = {"3s": "SiamFC-3s (3 scales)", "5s": "SiamFC-5s (5 scales)"}
STATUS_STYLES = {
    "ok": "color: #7ee07e;",
    "busy": "color: #f2c94c;",
    "error": "color: #ff8a80;",
    "info": "color: #9aa3ad;",
}
BUNDLED_LABEL = "Bundled model"


class ModelPanel(QWidget):
    choiceChanged = Signal(object)  # TrackerChoice

    def __init__(
        self,
        trackers: Iterable[str],
        engines: Iterable[str],
        presets: Iterable[str],
        devices: Iterable[str],
        import_action: QAction,
        parent=None,
    ) -> None:
        super().__init__(parent)
        self.tracker = _combo(
            {name: TRACKER_LABELS.get(name, name) for name in trackers}, "Which tracker follows the box"
        )
        self.model = _combo({}, "The network SiamFC uses: the bundled model or an imported weights file")
        self.preset = _combo(
            {p: PRESET_LABELS.get(p, p) for p in presets}, "How many scales SiamFC searches on each frame"
        )
        self.device = _combo({d: DEVICE_LABELS.get(d, d) for d in devices}, "Where the network runs")
        self.engine = _combo({e: e for e in engines}, "How the network is executed (auto picks the fastest)")
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status.setObjectName("model_status")
        # room for the two-line "ready" message from the start: the frame view must not move when it arrives
        self.status.setMinimumHeight(2 * self.status.fontMetrics().lineSpacing() + 4)

        import_button = QToolButton()
        import_button.setDefaultAction(import_action)
        import_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
        import_button.setAutoRaise(True)
        model_row = QHBoxLayout()
        model_row.setContentsMargins(0, 0, 0, 0)
        model_row.addWidget(self.model, 1)
        model_row.addWidget(import_button)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        form.addRow("Tracker", self.tracker)
        form.addRow("Model", model_row)
        form.addRow("Preset", self.preset)
        form.addRow("Device", self.device)
        form.addRow("Engine", self.engine)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addStretch(1)
        for combo in (self.tracker, self.model, self.preset, self.device, self.engine):
            combo.currentIndexChanged.connect(self._emit_choice)
        self._updating = False

    def set_models(self, models: Iterable[str], bundled_available: bool) -> None:
        """Fill the model list: the bundled model first, then imported files (full path in the tooltip)."""
        self._updating = True
        current = self.model.currentData()
        self.model.clear()
        label = BUNDLED_LABEL if bundled_available else f"{BUNDLED_LABEL} (not installed)"
        self.model.addItem(label, BUNDLED_MODEL)
        for path in models:
            self.model.addItem(Path(path).name, path)
            self.model.setItemData(self.model.count() - 1, path, Qt.ItemDataRole.ToolTipRole)
        _select(self.model, current if current is not None else BUNDLED_MODEL)
        self._updating = False

    def set_choice(self, choice: TrackerChoice) -> None:
        self._updating = True
        if self.tracker.findData(choice.tracker) < 0:  # e.g. the identity tracker, chosen on the command line
            self.tracker.addItem(TRACKER_LABELS.get(choice.tracker, choice.tracker), choice.tracker)
        if self.model.findData(choice.model) < 0:
            self.model.addItem(Path(choice.model).name, choice.model)
        for combo, value in (
            (self.tracker, choice.tracker),
            (self.model, choice.model),
            (self.preset, choice.preset),
            (self.device, choice.device),
            (self.engine, choice.engine),
        ):
            _select(combo, value)
        self._updating = False
        self._enable_network_options(choice.tracker == "siamfc")

    def choice(self) -> TrackerChoice:
        return TrackerChoice(
            self.tracker.currentData(),
            self.model.currentData() or BUNDLED_MODEL,
            self.preset.currentData(),
            self.device.currentData(),
            self.engine.currentData(),
        )

    def set_status(self, text: str, kind: str = "info") -> None:
        self.status.setText(text)
        self.status.setStyleSheet(STATUS_STYLES.get(kind, STATUS_STYLES["info"]))

    def set_device_available(self, device: str, available: bool, reason: str) -> None:
        _disable_entry(self.device, device, available, reason)

    def set_engine_available(self, engine: str, available: bool, reason: str) -> None:
        _disable_entry(self.engine, engine, available, reason)

    def set_locked(self, locked: bool) -> None:
        """While tracking, the choice cannot change."""
        for combo in (self.tracker, self.model, self.preset, self.device, self.engine):
            combo.setEnabled(not locked)
        if not locked:
            self._enable_network_options(self.tracker.currentData() == "siamfc")

    def _enable_network_options(self, enabled: bool) -> None:
        for combo in (self.model, self.preset, self.device, self.engine):
            combo.setEnabled(enabled)

    def _emit_choice(self) -> None:
        if self._updating:
            return
        choice = self.choice()
        self._enable_network_options(choice.tracker == "siamfc")
        self.choiceChanged.emit(choice)


def _combo(items: dict[str, str], tip: str) -> QComboBox:
    combo = QComboBox()
    combo.setToolTip(tip)
    combo.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
    combo.setMinimumContentsLength(14)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    for value, label in items.items():
        combo.addItem(label, value)
    return combo


def _select(combo: QComboBox, value: str) -> None:
    index = combo.findData(value)
    if index >= 0:
        combo.setCurrentIndex(index)


def _disable_entry(combo: QComboBox, value: str, available: bool, reason: str) -> None:
    """Greys out one entry of a combo box, with the reason as its tooltip."""
    index = combo.findData(value)
    if index >= 0 and not available:
        item = combo.model().item(index)
        item.setEnabled(False)
        item.setToolTip(reason)
