"""Tools → Evaluate…: which sequences, protocols and trackers, where the report goes; progress while it runs.

The dialog is not modal: the window stays usable while an evaluation runs in the background."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.views.model_panel import STATUS_STYLES, TRACKER_LABELS

SEQUENCE_ROLE = Qt.ItemDataRole.UserRole


class EvaluationDialog(QDialog):
    foldersChosen = Signal(list)  # of str: sequence folders or folders of them
    runRequested = Signal()
    cancelRequested = Signal()

    def __init__(
        self, protocols: Mapping[str, str], trackers: Iterable[str], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Evaluate Trackers — SiamTrack")
        self.setObjectName("evaluation_dialog")
        self.setModal(False)
        self.running = False

        self.sequences = QListWidget()
        self.sequences.setObjectName("evaluation_sequences")
        self.sequences.setSelectionMode(QListWidget.SelectionMode.ExtendedSelection)
        self.sequences.setToolTip("Checked sequences are evaluated; each is a folder with its ground truth")
        self.sequences.itemChanged.connect(lambda _item: self._update_run_button())
        self.add_button = add = QPushButton("Add Folder…")
        add.setToolTip("A sequence folder (OTB or VOT layout), or a folder whose sub-folders are sequences")
        add.clicked.connect(self._choose_folder)
        self.remove_button = remove = QPushButton("Remove")
        remove.setToolTip("Remove the selected sequences from the list")
        remove.clicked.connect(self._remove_selected)
        self.protocol_boxes = {name: _check(title) for name, title in protocols.items()}
        self.tracker_boxes = {name: _check(TRACKER_LABELS.get(name, name)) for name in trackers}
        self._available = {name: True for name in self.tracker_boxes}
        for box in [*self.protocol_boxes.values(), *self.tracker_boxes.values()]:
            box.toggled.connect(lambda _on: self._update_run_button())
        self.output = QLineEdit()
        self.output.setObjectName("evaluation_output")
        self.output.setToolTip("report.html and report.json are written here")
        browse = QToolButton()
        browse.setText("…")
        browse.clicked.connect(self._choose_output)
        self.progress = QProgressBar()
        self.progress.setFormat("%p%")
        self.what = QLabel()
        self.what.setObjectName("evaluation_what")
        self.status = QLabel()
        self.status.setObjectName("evaluation_status")
        self.status.setWordWrap(True)
        self.status.setOpenExternalLinks(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.run_button = QPushButton("Run")
        self.run_button.setDefault(True)
        self.run_button.clicked.connect(self.runRequested)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setToolTip("Stop the evaluation; runs finished so far stay cached")
        self.cancel_button.clicked.connect(self.cancelRequested)
        self.close_button = QPushButton("Close")
        self.close_button.clicked.connect(self.close)

        sequences = QGroupBox("Sequences")
        seq_layout = QVBoxLayout(sequences)
        seq_layout.addWidget(self.sequences, 1)
        seq_buttons = QHBoxLayout()
        seq_buttons.addWidget(add)
        seq_buttons.addWidget(remove)
        seq_buttons.addStretch(1)
        seq_layout.addLayout(seq_buttons)
        choices = QHBoxLayout()
        choices.addWidget(_box_group("Protocols", self.protocol_boxes.values()))
        choices.addWidget(_box_group("Trackers", self.tracker_boxes.values()))
        output_row = QHBoxLayout()
        output_row.addWidget(QLabel("Report folder"))
        output_row.addWidget(self.output, 1)
        output_row.addWidget(browse)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for button in (self.run_button, self.cancel_button, self.close_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(sequences, 1)
        layout.addLayout(choices)
        layout.addLayout(output_row)
        layout.addWidget(self.progress)
        layout.addWidget(self.what)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        self.resize(640, 620)
        self.set_running(False)

    # --- values -------------------------------------------------------------------------------------------
    def add_sequences(self, folders: Iterable[Path], checked: bool = True) -> None:
        present = set(self.all_sequences())
        for folder in folders:
            if folder in present:
                continue
            item = QListWidgetItem(f"{folder.name}    ({folder.parent})")
            item.setData(SEQUENCE_ROLE, str(folder))
            item.setToolTip(str(folder))
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
            self.sequences.addItem(item)
            present.add(folder)
        self._update_run_button()

    def all_sequences(self) -> list[Path]:
        return [Path(self.sequences.item(i).data(SEQUENCE_ROLE)) for i in range(self.sequences.count())]

    def checked_sequences(self) -> list[Path]:
        items = (self.sequences.item(i) for i in range(self.sequences.count()))
        return [Path(i.data(SEQUENCE_ROLE)) for i in items if i.checkState() == Qt.CheckState.Checked]

    def protocols(self) -> list[str]:
        return [name for name, box in self.protocol_boxes.items() if box.isChecked()]

    def trackers(self) -> list[str]:
        return [name for name, box in self.tracker_boxes.items() if box.isChecked() and self._available[name]]

    def set_checked(self, protocols: Iterable[str], trackers: Iterable[str]) -> None:
        protocols, trackers = set(protocols), set(trackers)
        for name, box in self.protocol_boxes.items():
            box.setChecked(name in protocols)
        for name, box in self.tracker_boxes.items():
            box.setChecked(name in trackers)

    def describe_tracker(self, name: str, text: str, available: bool, tip: str) -> None:
        box = self.tracker_boxes[name]
        box.setText(text)
        box.setToolTip(tip)
        self._available[name] = available
        box.setEnabled(available and not self.running)
        self._update_run_button()

    def output_dir(self) -> Path | None:
        text = self.output.text().strip()
        return Path(text).expanduser() if text else None

    # --- state --------------------------------------------------------------------------------------------
    def set_running(self, running: bool) -> None:
        self.running = running
        self.cancel_button.setEnabled(running)
        self.close_button.setEnabled(not running)
        for widget in (
            self.sequences,
            self.output,
            self.add_button,
            self.remove_button,
            *self.protocol_boxes.values(),
        ):
            widget.setEnabled(not running)
        for name, box in self.tracker_boxes.items():
            box.setEnabled(self._available[name] and not running)
        if running:
            self.progress.setRange(0, 0)
            self.what.setText("")
            self.set_status("", "info")
        self._update_run_button()

    def set_progress(self, done: int, total: int, what: str, left: str = "") -> None:
        if total > 0:
            self.progress.setRange(0, total)
            self.progress.setValue(done)
            frames = f"{done:,} / {total:,} frames" + (f" · about {left} left" if left else "")
            what = f"{what} — {frames}" if what else frames
        self.what.setText(what)

    def finish_progress(self, complete: bool) -> None:
        self.progress.setRange(0, 1)
        self.progress.setValue(1 if complete else 0)
        self.what.setText("")

    def set_status(self, text: str, kind: str = "info") -> None:
        self.status.setText(text)
        self.status.setStyleSheet(STATUS_STYLES.get(kind, STATUS_STYLES["info"]))

    def show_report(self, path: Path) -> None:
        url = QUrl.fromLocalFile(str(path)).toString()
        self.set_status(f'Report written to <a href="{url}" style="color:#5fb3ff">{path}</a>', "ok")

    # --- reactions ------------------------------------------------------------------------------------------
    def _update_run_button(self) -> None:
        ready = bool(self.checked_sequences() and self.protocols() and self.trackers())
        self.run_button.setEnabled(ready and not self.running)

    def _choose_folder(self) -> None:
        start = str(self.all_sequences()[-1].parent) if self.sequences.count() else str(Path.home())
        path = QFileDialog.getExistingDirectory(self, "Add sequences", start)
        if path:
            self.foldersChosen.emit([path])

    def _remove_selected(self) -> None:
        for item in self.sequences.selectedItems():
            self.sequences.takeItem(self.sequences.row(item))
        self._update_run_button()

    def _choose_output(self) -> None:
        start = self.output.text() or str(Path.home())
        path = QFileDialog.getExistingDirectory(self, "Write the report in", start)
        if path:
            self.output.setText(path)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.running:
            self.cancelRequested.emit()  # closing while it runs cancels the evaluation
        super().closeEvent(event)

    def reject(self) -> None:  # Esc
        if self.running:
            self.cancelRequested.emit()
        super().reject()


def _check(text: str) -> QCheckBox:
    return QCheckBox(text)


def _box_group(title: str, boxes: Iterable[QCheckBox]) -> QGroupBox:
    group = QGroupBox(title)
    layout = QGridLayout(group)
    for row, box in enumerate(boxes):
        layout.addWidget(box, row, 0)
    layout.setRowStretch(layout.rowCount(), 1)
    return group
