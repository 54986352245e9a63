"""Tools → Evaluate…: scores the tracker of the window (SiamFC with its current model) and the OpenCV
baselines on annotated sequences in the background, then opens the HTML report."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QSettings, QUrl, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QWidget

from app.controllers.models import ModelController
from app.controllers.training_options import user_data_dir
from app.controllers.training_progress import format_duration
from app.settings import AppSettings
from app.views.evaluation_dialog import EvaluationDialog
from app.views.notifier import Notifier
from app.workers.evaluation_worker import EvaluationRequest, EvaluationWorker
from app.workers.threads import WorkerThread
from core.errors import SiamTrackError
from core.evaluation import EVALUATED_TRACKERS, PROTOCOLS, default_cache_dir, sequence_dirs
from core.resources import bundled_model_path

DEFAULT_PROTOCOLS = ("ope",)
SETTINGS_KEYS = {
    "sequences": "evaluation/sequences",
    "protocols": "evaluation/protocols",
    "trackers": "evaluation/trackers",
}


def default_reports_dir() -> Path:
    return user_data_dir() / "evaluations"


class EvaluationController(QObject):
    def __init__(
        self, models: ModelController, settings: AppSettings, notifier: Notifier, parent: QWidget
    ) -> None:
        super().__init__(parent)
        self.models, self.settings, self.notifier = models, settings, notifier
        self._parent = parent
        self._dialog: EvaluationDialog | None = None
        self._thread: WorkerThread | None = None
        self.last_report: Path | None = None
        self._first_progress: tuple[float, int] | None = None  # (time, frames done) of the first progress

    @property
    def running(self) -> bool:
        return self._thread is not None

    @property
    def dialog(self) -> EvaluationDialog:
        """The dialog, built on first use with what was chosen last time."""
        if self._dialog is None:
            dialog = EvaluationDialog(
                {name: p.title for name, p in PROTOCOLS.items()}, EVALUATED_TRACKERS, self._parent
            )
            store = self.settings.store
            remembered = [Path(p) for p in _stored_list(store, SETTINGS_KEYS["sequences"])]
            dialog.add_sequences(p for p in remembered if p.is_dir())
            dialog.set_checked(
                _stored_list(store, SETTINGS_KEYS["protocols"]) or DEFAULT_PROTOCOLS,
                _stored_list(store, SETTINGS_KEYS["trackers"]) or EVALUATED_TRACKERS,
            )
            dialog.foldersChosen.connect(self.add_folders)
            dialog.runRequested.connect(self.run)
            dialog.cancelRequested.connect(self.cancel)
            self._dialog = dialog
        return self._dialog

    def show_dialog(self) -> None:
        dialog = self.dialog
        if not self.running:
            dialog.output.setText(str(default_reports_dir() / time.strftime("eval-%Y%m%d-%H%M%S")))
        self._describe_siamfc()
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()

    # --- commands -------------------------------------------------------------------------------------------
    def add_folders(self, folders: list[str | Path]) -> bool:
        """Add sequence folders, or every sequence folder inside a folder."""
        try:
            found = sequence_dirs(folders)
        except SiamTrackError as error:
            self.dialog.set_status(str(error), "error")
            return False
        self.dialog.add_sequences(found)
        self.dialog.set_status(f"{len(found)} sequence{'s' if len(found) != 1 else ''} added", "info")
        return True

    def run(self) -> bool:
        if self.running:
            return False
        dialog = self.dialog
        request = self._request()
        if request is None:
            return False
        store = self.settings.store
        store.setValue(SETTINGS_KEYS["sequences"], [str(p) for p in request.sequences])
        store.setValue(SETTINGS_KEYS["protocols"], list(request.protocols))
        store.setValue(SETTINGS_KEYS["trackers"], list(request.trackers))
        worker = EvaluationWorker(request)
        worker.progress.connect(self._on_progress)
        worker.done.connect(self._on_done)
        worker.failed.connect(self._on_failed)
        worker.cancelled.connect(self._on_cancelled)
        worker.finished.connect(self._on_finished)
        self._thread = WorkerThread(worker, "evaluation")
        self._first_progress = None
        dialog.set_running(True)
        self._thread.start()
        return True

    def cancel(self) -> None:
        if self._thread is not None:
            self._thread.worker.request_stop()
            self.dialog.what.setText("Stopping…")

    def shutdown(self) -> None:
        """Stop an evaluation in progress and join its thread."""
        if self._thread is not None:
            self._thread.stop()

    # --- the run ------------------------------------------------------------------------------------------
    def _request(self) -> EvaluationRequest | None:
        dialog = self.dialog
        output = dialog.output_dir()
        problem = None
        if not dialog.checked_sequences():
            problem = "Add and check at least one sequence."
        elif not dialog.protocols() or not dialog.trackers():
            problem = "Choose at least one protocol and one tracker."
        elif output is None:
            problem = "Choose the folder for the report."
        if problem is not None:
            dialog.set_status(problem, "error")
            return None
        choice = self.models.choice
        return EvaluationRequest(
            sequences=tuple(dialog.checked_sequences()),
            protocols=tuple(dialog.protocols()),
            trackers=tuple(dialog.trackers()),
            output_dir=output,
            cache_dir=default_cache_dir(),
            model=choice.model_path,
            preset=choice.preset,
            device=choice.device,
        )

    def _describe_siamfc(self) -> None:
        """SiamFC is evaluated with the model chosen in the window's tracker panel."""
        path = self.models.choice.model_path or bundled_model_path()
        if path is None:
            self.dialog.describe_tracker(
                "siamfc",
                "SiamFC (no model)",
                False,
                "No model is chosen: import one with File → Import Weights…",
            )
            return
        available = path.is_file()
        tip = str(path) if available else f"Model file not found: {path}"
        self.dialog.describe_tracker("siamfc", f"SiamFC — {path.name}", available, tip)

    @Slot(int, int, str)
    def _on_progress(self, done: int, total: int, what: str) -> None:
        if self._dialog is None or not self.running:
            return
        if self._first_progress is None and done > 0:
            self._first_progress = (time.monotonic(), done)  # cached runs jump ahead: measure from here
        left = ""
        if self._first_progress is not None and total > done:
            started, done_then = self._first_progress
            rate = (done - done_then) / max(time.monotonic() - started, 1e-9)
            left = format_duration((total - done) / rate) if rate > 0 else ""
        self._dialog.set_progress(done, total, what, left)

    @Slot(object)
    def _on_done(self, report: Any) -> None:
        self.last_report = Path(report)
        self.dialog.finish_progress(True)
        self.dialog.show_report(self.last_report)
        self.notifier.info(f"Evaluation report: {self.last_report}")
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.last_report)))

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        self.dialog.finish_progress(False)
        self.dialog.set_status(f"The evaluation failed: {message}", "error")
        self.notifier.error("Evaluation failed", message)

    @Slot()
    def _on_cancelled(self) -> None:
        self.dialog.finish_progress(False)
        self.dialog.set_status(
            "Cancelled. Runs finished before are cached: running again skips them.", "info"
        )

    @Slot()
    def _on_finished(self) -> None:
        thread, self._thread = self._thread, None
        if thread is not None:
            thread.thread.wait()  # run() has returned: only the thread's exit remains
        if self._dialog is not None:
            self._dialog.set_running(False)


def _stored_list(store: QSettings, key: str) -> list[str]:
    value = store.value(key, [])
    if value is None:
        return []
    if isinstance(value, str):  # QSettings returns a one-element list as a plain string
        return [value] if value else []
    return [str(v) for v in value]
