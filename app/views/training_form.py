"""The options of a training run: dataset, network, schedule, machine, where runs are kept."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QValidator
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.controllers.training_options import AUTO_THREADS, AUTO_WORKERS, TrainingOptions, default_runs_dir

FORMAT_LABELS = {
    "otb": "Sequence folders (OTB / VOT layout)",
    "got10k": "GOT-10k (train/ and val/)",
    "vid": "ImageNet VID (Data/ and Annotations/)",
    "project": "SiamTrack projects (*.siamtrack.json)",
    "crops": "Crop cache of an earlier run (.index.npz)",
}
FILE_FORMATS = {"crops": "Crop caches (*.index.npz)"}  # formats whose data is one file, not a folder
DEVICE_LABELS = {"auto": "Auto (CUDA if present)", "cpu": "CPU", "cuda": "CUDA GPU", "mps": "Apple MPS"}
MODEL_FILTER = "Models (*.safetensors *.mat *.pth);;All files (*)"


class TrainingForm(QWidget):
    changed = Signal()

    def __init__(
        self, formats: Iterable[str], architectures: Iterable[str], devices: Iterable[str], parent=None
    ) -> None:
        super().__init__(parent)
        self.data = _path_edit("The dataset: a folder (or, for a crop cache, its .index.npz file)")
        self.format = _combo({f: FORMAT_LABELS.get(f, f) for f in formats}, "How the dataset is laid out")
        self.arch = _combo({a: a for a in architectures}, "The network to train")
        self.init = _path_edit("Start from this model's weights (layers matching in name and shape)")
        self.init.setPlaceholderText("none: train from scratch")
        self.epochs = _int_spin(1, 10_000, "Number of epochs")
        self.pairs = _int_spin(1, 10_000_000, "Pairs drawn per epoch", step=100)
        self.batch = _int_spin(1, 4096, "Pairs per SGD step")
        self.lr_start = _lr_spin("Learning rate of the first epoch")
        self.lr_end = _lr_spin("Learning rate of the last epoch (log-spaced in between)")
        self.negatives = _fraction_spin("Share of hard-negative pairs (search image of another object)")
        self.val_pairs = _int_spin(0, 1_000_000, "Validation pairs per epoch (0: no validation)", step=100)
        self.device = _combo({d: DEVICE_LABELS.get(d, d) for d in devices}, "Where the network trains")
        self.threads = _int_spin(
            AUTO_THREADS, 256, "CPU threads for the network; fewer leave cores to other work"
        )
        self.threads.setSpecialValueText("auto")
        self.workers = _int_spin(AUTO_WORKERS, 64, "Worker processes for data loading and curation")
        self.workers.setSpecialValueText("auto")
        self.runs_dir = _path_edit("New runs are made in this folder (one sub-folder per run)")
        self.runs_dir.setPlaceholderText(str(default_runs_dir()))

        dataset = _group("Dataset", self)
        dataset.addRow("Format", self.format)
        dataset.addRow("Folder", _with_button(self.data, self._choose_data))
        network = _group("Network", self)
        network.addRow("Architecture", self.arch)
        network.addRow("Start from", _with_button(self.init, self._choose_init))
        schedule = _group("Schedule", self)
        schedule.addRow("Epochs", self.epochs)
        schedule.addRow("Pairs per epoch", self.pairs)
        schedule.addRow("Batch size", self.batch)
        schedule.addRow("Learning rate", _pair(self.lr_start, "→", self.lr_end))
        schedule.addRow("Negatives", self.negatives)
        schedule.addRow("Validation pairs", self.val_pairs)
        machine = _group("Machine", self)
        machine.addRow("Device", self.device)
        machine.addRow("Threads", self.threads)
        machine.addRow("Workers", self.workers)
        output = _group("Output", self)
        output.addRow("Runs folder", _with_button(self.runs_dir, self._choose_runs_dir))

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for form in (dataset, network, schedule, machine, output):
            layout.addWidget(form.parentWidget())
        layout.addStretch(1)
        for edit in (self.data, self.init, self.runs_dir):
            edit.textChanged.connect(self.changed)
        for combo in (self.format, self.arch, self.device):
            combo.currentIndexChanged.connect(self.changed)
        for spin in (self.epochs, self.pairs, self.batch, self.val_pairs, self.threads, self.workers):
            spin.valueChanged.connect(self.changed)
        for spin in (self.lr_start, self.lr_end, self.negatives):
            spin.valueChanged.connect(self.changed)
        self.format.currentIndexChanged.connect(self._describe_data)
        self._describe_data()

    # --- values -----------------------------------------------------------------------------------------
    def options(self) -> TrainingOptions:
        return TrainingOptions(
            data=self.data.text().strip(),
            format=self.format.currentData(),
            arch=self.arch.currentData(),
            init=self.init.text().strip(),
            epochs=self.epochs.value(),
            pairs_per_epoch=self.pairs.value(),
            batch_size=self.batch.value(),
            lr_start=self.lr_start.value(),
            lr_end=self.lr_end.value(),
            negative_fraction=self.negatives.value(),
            val_pairs=self.val_pairs.value(),
            device=self.device.currentData(),
            threads=self.threads.value(),
            workers=self.workers.value(),
            runs_dir=self.runs_dir.text().strip(),
        )

    def set_options(self, o: TrainingOptions) -> None:
        self.data.setText(o.data)
        _select(self.format, o.format)
        _select(self.arch, o.arch)
        self.init.setText(o.init)
        self.epochs.setValue(o.epochs)
        self.pairs.setValue(o.pairs_per_epoch)
        self.batch.setValue(o.batch_size)
        self.lr_start.setValue(o.lr_start)
        self.lr_end.setValue(o.lr_end)
        self.negatives.setValue(o.negative_fraction)
        self.val_pairs.setValue(o.val_pairs)
        _select(self.device, o.device)
        self.threads.setValue(o.threads)
        self.workers.setValue(o.workers)
        self.runs_dir.setText(o.runs_dir)

    def set_device_available(self, device: str, available: bool, reason: str) -> None:
        index = self.device.findData(device)
        if index >= 0 and not available:
            item = self.device.model().item(index)
            item.setEnabled(False)
            item.setToolTip(reason)

    # --- choosing files ---------------------------------------------------------------------------------
    def _choose_data(self) -> None:
        start = self.data.text() or str(Path.home())
        file_filter = FILE_FORMATS.get(self.format.currentData())
        if file_filter is not None:
            path, _ = QFileDialog.getOpenFileName(self, "Choose the crop cache", start, file_filter)
        else:
            path = QFileDialog.getExistingDirectory(self, "Choose the dataset folder", start)
        if path:
            self.data.setText(path)

    def _choose_init(self) -> None:
        start = self.init.text() or str(Path.home())
        path, _ = QFileDialog.getOpenFileName(self, "Start from model", start, MODEL_FILTER)
        if path:
            self.init.setText(path)

    def _choose_runs_dir(self) -> None:
        start = self.runs_dir.text() or str(default_runs_dir())
        path = QFileDialog.getExistingDirectory(self, "Keep training runs in", start)
        if path:
            self.runs_dir.setText(path)

    def _describe_data(self) -> None:
        is_file = self.format.currentData() in FILE_FORMATS
        self.data.setPlaceholderText("the cache's .index.npz file" if is_file else "the dataset folder")


# --- small builders -----------------------------------------------------------------------------------------


def _group(title: str, parent: QWidget) -> QFormLayout:
    box = QGroupBox(title, parent)
    form = QFormLayout(box)
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    form.setContentsMargins(8, 6, 8, 6)
    form.setVerticalSpacing(5)
    return form


def _path_edit(tip: str) -> QLineEdit:
    edit = QLineEdit()
    edit.setToolTip(tip)
    edit.setClearButtonEnabled(True)
    return edit


def _with_button(edit: QLineEdit, choose) -> QWidget:
    row = QWidget()
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(4)
    button = QToolButton()
    button.setText("…")
    button.setToolTip("Browse")
    button.clicked.connect(choose)
    layout.addWidget(edit, 1)
    layout.addWidget(button)
    return row


def _pair(left: QWidget, between: str, right: QWidget) -> QWidget:
    row = QWidget()
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(4)
    layout.addWidget(left, 1)
    layout.addWidget(QLabel(between))
    layout.addWidget(right, 1)
    return row


def _combo(items: dict[str, str], tip: str) -> QComboBox:
    combo = QComboBox()
    combo.setToolTip(tip)
    for value, label in items.items():
        combo.addItem(label, value)
    return combo


def _int_spin(low: int, high: int, tip: str, step: int = 1) -> QSpinBox:
    spin = QSpinBox()
    spin.setRange(low, high)
    spin.setSingleStep(step)
    spin.setGroupSeparatorShown(True)
    spin.setToolTip(tip)
    return spin


class ScientificSpinBox(QDoubleSpinBox):
    """A positive number shown as 1e-05 rather than 0.0000100; the arrows step by a factor of about 3."""

    FACTOR = 10**0.5

    def __init__(self) -> None:
        super().__init__()
        self.setDecimals(12)
        self.setRange(1e-9, 10.0)

    def textFromValue(self, value: float) -> str:
        return f"{value:.3g}"

    def valueFromText(self, text: str) -> float:
        try:
            return float(text)
        except ValueError:
            return self.value()

    def validate(self, text: str, pos: int):
        try:
            value = float(text)
        except ValueError:
            return QValidator.State.Intermediate, text, pos
        ok = self.minimum() <= value <= self.maximum()
        return (QValidator.State.Acceptable if ok else QValidator.State.Intermediate), text, pos

    def stepBy(self, steps: int) -> None:
        self.setValue(self.value() * self.FACTOR**steps)


def _lr_spin(tip: str) -> QDoubleSpinBox:
    spin = ScientificSpinBox()
    spin.setToolTip(tip)
    return spin


def _fraction_spin(tip: str) -> QDoubleSpinBox:
    spin = QDoubleSpinBox()
    spin.setDecimals(2)
    spin.setRange(0.0, 1.0)
    spin.setSingleStep(0.05)
    spin.setToolTip(tip)
    return spin


def _select(combo: QComboBox, value: str) -> None:
    index = combo.findData(value)
    if index >= 0:
        combo.setCurrentIndex(index)
