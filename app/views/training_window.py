"""The training window: options on the left; on the right where the run is, its loss curves, its model
files (one can go straight into the tracker) and its log."""

from __future__ import annotations

import html
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QCloseEvent, QDesktopServices, QFont, QFontDatabase
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.controllers.training_progress import CheckpointEntry, TrainingProgress, format_duration
from app.resources import icon
from app.views.loss_plot import LossPlot
from app.views.model_panel import STATUS_STYLES
from app.views.training_form import TrainingForm

LOG_LINES = 5000
LOG_COLOUR, LOG_ERROR_COLOUR = "#c9ced6", "#ff8a80"  # standard output, standard error
PHASE_TEXT = {
    "idle": ("Ready. Choose a dataset and press Start, or Resume an earlier run.", "info"),
    "starting": ("Starting…", "busy"),
    "curating": ("Preparing the crop cache…", "busy"),
    "training": ("Training", "ok"),
    "stopping": ("Stopping after the current step…", "busy"),
    "done": ("Finished", "ok"),
    "stopped": ("Stopped", "info"),
    "failed": ("Failed", "error"),
}
CHECKPOINT_COLUMNS = ("Model", "Train loss", "Val loss", "Centre error")
STAT_NAMES = ("loss", "lr", "speed", "eta", "device", "data")
STAT_LABELS = {
    "loss": "Loss",
    "lr": "Learning rate",
    "speed": "Speed",
    "eta": "Time left",
    "device": "Device",
    "data": "Data",
}


class TrainingWindow(QWidget):
    startRequested = Signal()
    stopRequested = Signal()
    resumeRequested = Signal()
    useRequested = Signal(str)  # a model file

    def __init__(self, form: TrainingForm, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setWindowTitle("Training — SiamTrack")
        self.setObjectName("training_window")
        self.setWindowIcon(icon("siamtrack"))
        self.form = form
        self.close_check: Callable[[], bool] = lambda: True  # the controller decides whether closing is fine
        self.run_dir: Path | None = None

        self.start_button = _button("Start", "Start a new training run with these options", "track")
        self.stop_button = _button(
            "Stop", "Stop the run after the current step (Resume continues it)", "stop"
        )
        self.resume_button = _button("Resume…", "Continue an earlier run from its last checkpoint", "retrack")
        self.start_button.setDefault(True)
        self.start_button.clicked.connect(self.startRequested)
        self.stop_button.clicked.connect(self.stopRequested)
        self.resume_button.clicked.connect(self.resumeRequested)

        self.status = QLabel()
        self.status.setObjectName("training_status")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        status_font = self.status.font()
        status_font.setPointSizeF(status_font.pointSizeF() * 1.15)
        status_font.setBold(True)
        self.status.setFont(status_font)
        self.run_label = QLabel()
        self.run_label.setOpenExternalLinks(True)
        self.run_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.epoch_bar = _bar("Epochs completed")
        self.step_bar = _bar("Steps of the current epoch")
        self.stats = {name: QLabel("—") for name in STAT_NAMES}
        self.plot = LossPlot()
        self.checkpoints = QTreeWidget()
        self.checkpoints.setObjectName("training_checkpoints")
        self.checkpoints.setColumnCount(len(CHECKPOINT_COLUMNS))
        self.checkpoints.setHeaderLabels(CHECKPOINT_COLUMNS)
        self.checkpoints.setRootIsDecorated(False)
        self.checkpoints.setAlternatingRowColors(True)
        self.checkpoints.header().setStretchLastSection(False)
        self.checkpoints.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.checkpoints.itemSelectionChanged.connect(self._update_use_button)
        self.checkpoints.itemDoubleClicked.connect(lambda *_: self._use_selected())
        self.use_button = _button(
            "Use in Tracker", "Load the selected model into the tracker of the main window", "import-weights"
        )
        self.use_button.clicked.connect(self._use_selected)
        self.open_folder_button = _button("Open Run Folder", "Show the run's files", "open-folder")
        self.open_folder_button.clicked.connect(self._open_run_folder)
        self.log = QPlainTextEdit()
        self.log.setObjectName("training_log")
        self.log.setReadOnly(True)
        self.log.setMaximumBlockCount(LOG_LINES)
        self.log.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.log.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self._options_column())
        splitter.addWidget(self._run_column())
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([360, 900])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(splitter)
        self.resize(1280, 800)
        self.set_running(False)
        self.show_progress(TrainingProgress())

    # --- layout -----------------------------------------------------------------------------------------
    def _options_column(self) -> QWidget:
        scroll = QScrollArea()
        scroll.setWidget(self.form)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        buttons = QHBoxLayout()
        for button in (self.start_button, self.stop_button, self.resume_button):
            buttons.addWidget(button)
        column = QWidget()
        column.setMinimumWidth(330)
        layout = QVBoxLayout(column)
        layout.setContentsMargins(0, 0, 6, 0)
        layout.addWidget(scroll, 1)
        layout.addLayout(buttons)
        return column

    def _run_column(self) -> QWidget:
        header = QVBoxLayout()
        header.setSpacing(4)
        header.addWidget(self.status)
        header.addWidget(self.run_label)
        bars = QGridLayout()
        bars.setHorizontalSpacing(8)
        bars.addWidget(QLabel("Epoch"), 0, 0)
        bars.addWidget(self.epoch_bar, 0, 1)
        bars.addWidget(QLabel("Step"), 1, 0)
        bars.addWidget(self.step_bar, 1, 1)
        stats = QGridLayout()
        stats.setHorizontalSpacing(10)
        stats.setVerticalSpacing(2)
        for i, name in enumerate(STAT_NAMES):
            caption = QLabel(STAT_LABELS[name])
            caption.setStyleSheet("color: #9aa3ad;")
            value = self.stats[name]
            value.setObjectName(f"training_{name}")
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            value.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
            row, col = divmod(i, 3)
            stats.addWidget(caption, row * 2, col)
            stats.addWidget(value, row * 2 + 1, col)
        for col in range(3):
            stats.setColumnStretch(col, 1)

        checkpoints_page = QWidget()
        page = QVBoxLayout(checkpoints_page)
        page.setContentsMargins(0, 4, 0, 0)
        page.addWidget(self.checkpoints, 1)
        row = QHBoxLayout()
        row.addWidget(self.use_button)
        row.addWidget(self.open_folder_button)
        row.addStretch(1)
        page.addLayout(row)
        self.tabs = QTabWidget()
        self.tabs.addTab(checkpoints_page, "Models")
        self.tabs.addTab(self.log, "Log")

        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(6, 0, 0, 0)
        top_layout.addLayout(header)
        top_layout.addLayout(bars)
        top_layout.addLayout(stats)
        top_layout.addWidget(self.plot, 1)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(top)
        split.addWidget(self.tabs)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        split.setSizes([560, 220])
        return split

    # --- state --------------------------------------------------------------------------------------------
    def set_running(self, running: bool) -> None:
        self.start_button.setEnabled(not running)
        self.resume_button.setEnabled(not running)
        self.stop_button.setEnabled(running)
        self.form.setEnabled(not running)

    def set_status(self, text: str, kind: str = "info") -> None:
        self.status.setText(text)
        self.status.setStyleSheet(STATUS_STYLES.get(kind, STATUS_STYLES["info"]))

    def set_run_dir(self, run_dir: Path | None) -> None:
        self.run_dir = run_dir
        if run_dir is None:
            self.run_label.setText("")
        else:
            url = QUrl.fromLocalFile(str(run_dir)).toString()
            self.run_label.setText(f'Run folder: <a href="{url}" style="color:#5fb3ff">{run_dir}</a>')
        self.open_folder_button.setEnabled(run_dir is not None)

    def show_progress(self, p: TrainingProgress) -> None:
        text, kind = PHASE_TEXT.get(p.phase, (p.phase, "info"))
        if p.phase == "curating" and p.curate_total:
            text = f"Preparing the crop cache… {p.curate_done:,} / {p.curate_total:,} frames"
        elif p.phase == "training" and p.epochs:
            text = f"Training — epoch {max(p.epoch, 1)} of {p.epochs}"
        elif p.phase == "done":
            best = f"; best epoch {p.best_epoch}" if p.best_epoch is not None else ""
            text = f"Finished {p.completed_epochs} epochs{best}"
        if p.message and p.phase in ("stopped", "failed"):
            text = f"{text}: {p.message}" if p.phase == "failed" else p.message
        self.set_status(text, kind)
        self._show_bars(p)
        self._show_stats(p)
        self.plot.set_curves(
            (p.step_x, p.step_loss), p.epoch_curve("train_loss"), p.epoch_curve("val_loss"), p.best_epoch
        )

    def _show_bars(self, p: TrainingProgress) -> None:
        self.epoch_bar.setRange(0, max(p.epochs, 1))
        self.epoch_bar.setValue(min(p.completed_epochs, max(p.epochs, 1)))
        self.epoch_bar.setFormat(f"{p.completed_epochs} / {p.epochs} completed" if p.epochs else "—")
        if p.phase == "curating":
            self.step_bar.setRange(0, max(p.curate_total, 1))
            self.step_bar.setValue(p.curate_done)
            self.step_bar.setFormat("cropping %p%")
            return
        under_way = p.epoch > p.completed_epochs or p.phase == "done"
        step = p.step if under_way else 0
        self.step_bar.setRange(0, max(p.steps, 1))
        self.step_bar.setValue(step)
        self.step_bar.setFormat(f"{step:,} / {p.steps:,}" if p.steps else "—")

    def _show_stats(self, p: TrainingProgress) -> None:
        s = self.stats
        s["loss"].setText(f"{p.step_loss[-1]:.4f}" if p.step_loss else "—")
        s["lr"].setText(f"{p.lr:.3g}" if p.lr is not None else "—")
        s["speed"].setText(f"{p.pairs_per_s:.1f} pairs/s" if p.pairs_per_s else "—")
        running = p.phase in ("training", "curating", "stopping")
        s["eta"].setText(format_duration(p.eta_s) if running else "—")
        s["device"].setText(p.device or "—")
        d = p.dataset
        if d:
            s["data"].setText(
                f"{d.get('train_trajectories', 0)} train / {d.get('val_trajectories', 0)} val tracks, "
                f"{d.get('crops', 0):,} crops"
            )
            s["data"].setToolTip(str(d.get("cache", "")))
        else:
            s["data"].setText("—")

    def show_checkpoints(self, entries: list[CheckpointEntry]) -> None:
        selected = self.selected_model()
        self.checkpoints.clear()
        for entry in entries:
            record = entry.record
            item = QTreeWidgetItem(
                [
                    entry.label + ("  ★" if entry.best else ""),
                    _number(record.train_loss if record else None),
                    _number(record.val_loss if record else None),
                    _number(record.val_center_error_px if record else None, " px", 2),
                ]
            )
            item.setData(0, Qt.ItemDataRole.UserRole, str(entry.path))
            item.setToolTip(0, str(entry.path))
            for column in range(1, len(CHECKPOINT_COLUMNS)):
                item.setTextAlignment(column, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if entry.best:
                font = QFont(item.font(0))
                font.setBold(True)
                item.setFont(0, font)
            self.checkpoints.addTopLevelItem(item)
            if str(entry.path) == selected:
                item.setSelected(True)
        for column in range(1, len(CHECKPOINT_COLUMNS)):
            self.checkpoints.resizeColumnToContents(column)
        self._update_use_button()

    def selected_model(self) -> str | None:
        items = self.checkpoints.selectedItems()
        return items[0].data(0, Qt.ItemDataRole.UserRole) if items else None

    def select_model(self, path: Path) -> None:
        for i in range(self.checkpoints.topLevelItemCount()):
            item = self.checkpoints.topLevelItem(i)
            item.setSelected(item.data(0, Qt.ItemDataRole.UserRole) == str(path))

    def append_log(self, text: str, is_error: bool = False) -> None:
        colour = LOG_ERROR_COLOUR if is_error else LOG_COLOUR
        self.log.appendHtml(f'<span style="color:{colour}; white-space:pre">{html.escape(text)}</span>')

    def clear_log(self) -> None:
        self.log.clear()

    # --- reactions ---------------------------------------------------------------------------------------
    def _update_use_button(self) -> None:
        self.use_button.setEnabled(self.selected_model() is not None)

    def _use_selected(self) -> None:
        path = self.selected_model()
        if path is not None:
            self.useRequested.emit(path)

    def _open_run_folder(self) -> None:
        if self.run_dir is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.run_dir)))

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.close_check():
            super().closeEvent(event)
        else:
            event.ignore()


def _button(text: str, tip: str, icon_name: str) -> QPushButton:
    button = QPushButton(icon(icon_name), text)
    button.setToolTip(tip)
    return button


def _bar(tip: str) -> QProgressBar:
    bar = QProgressBar()
    bar.setToolTip(tip)
    bar.setTextVisible(True)
    bar.setMaximumHeight(18)
    return bar


def _number(value: float | None, unit: str = "", digits: int = 4) -> str:
    return "—" if value is None else f"{value:.{digits}f}{unit}"
