"""Tools → Train…: starts, follows, stops and resumes a training run (a child process), and puts a trained
model into the tracker. A run that fails shows why; the window stays up whatever happens to the run."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import torch
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from app.controllers.models import ModelController
from app.controllers.tracking import TrackingController
from app.controllers.training_options import (
    TrainingOptions,
    is_run_dir,
    load_options,
    new_run_name,
    save_options,
)
from app.controllers.training_process import RunEnd, TrainingProcess
from app.controllers.training_progress import TrainingProgress
from app.settings import AppSettings
from app.views.notifier import Notifier
from app.views.training_form import TrainingForm
from app.views.training_questions import CANCEL, STOP, TrainingQuestions
from app.views.training_window import TrainingWindow
from core.device import DEVICE_CHOICES
from core.network import ARCHITECTURES
from trainer.data import CACHE_FORMAT
from trainer.datasets import FORMATS

DATA_FORMATS = (*FORMATS, CACHE_FORMAT)
FILES_EVENTS = ("start", "checkpoint", "done", "stopped")  # after these the run folder's files changed


class TrainingController(QObject):
    runningChanged = Signal(bool)
    modelUsed = Signal(str)

    def __init__(
        self,
        models: ModelController,
        tracking: TrackingController,
        settings: AppSettings,
        notifier: Notifier,
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self.models, self.tracking, self.settings, self.notifier = models, tracking, settings, notifier
        self.questions = TrainingQuestions(parent)
        self.process = TrainingProcess(self)
        self.progress = TrainingProgress()
        self._parent = parent
        self._view: TrainingWindow | None = None
        self.process.eventReceived.connect(self._on_event)
        self.process.logLine.connect(self._on_log)
        self.process.runningChanged.connect(self._on_running_changed)
        self.process.ended.connect(self._on_ended)

    @property
    def running(self) -> bool:
        return self.process.running

    @property
    def view(self) -> TrainingWindow:
        """The training window, built on first use."""
        if self._view is None:
            form = TrainingForm(DATA_FORMATS, sorted(ARCHITECTURES), DEVICE_CHOICES)
            form.set_options(load_options(self.settings.store))
            form.set_device_available("cuda", torch.cuda.is_available(), "No CUDA device on this machine")
            mps = getattr(torch.backends, "mps", None)
            form.set_device_available("mps", bool(mps and mps.is_available()), "Apple MPS is not available")
            view = TrainingWindow(form, self._parent)
            view.startRequested.connect(self.start)
            view.stopRequested.connect(self.stop)
            view.resumeRequested.connect(self.resume)
            view.useRequested.connect(self.use_model)
            view.close_check = self._may_close_view
            self._view = view
            self._refresh()
        return self._view

    def show_window(self) -> None:
        view = self.view
        view.show()
        view.raise_()
        view.activateWindow()

    # --- commands -------------------------------------------------------------------------------------------
    def start(self) -> bool:
        """A new run with the form's options, in a new folder of the runs folder."""
        if self.running:
            return False
        options = self.view.form.options()
        problem = _check_options(options)
        if problem is not None:
            self.view.set_status(problem, "error")
            return False
        save_options(self.settings.store, options)
        run_dir = _free_folder(options.runs_folder.expanduser().resolve() / new_run_name())
        self._launch(TrainingProgress(run_dir=run_dir), options.new_run_arguments(run_dir))
        return True

    def resume(self, run_dir: str | Path | None = None) -> bool:
        """Continue a run from its last checkpoint (asks which run when none is given)."""
        if self.running:
            return False
        options = self.view.form.options()
        if run_dir is None:
            start = self.progress.run_dir or options.runs_folder
            run_dir = self.questions.run_to_resume(start)
            if run_dir is None:
                return False
        run_dir = Path(run_dir).expanduser().resolve()
        if not is_run_dir(run_dir):
            self.view.set_status(f"{run_dir} holds no training run to resume (no checkpoint.pt)", "error")
            return False
        save_options(self.settings.store, options)
        self._launch(TrainingProgress.for_run(run_dir), options.resume_arguments(run_dir))
        return True

    def stop(self) -> None:
        if self.running:
            self.process.stop()
            self.progress.phase = "stopping"
            self._refresh()

    def use_model(self, path: str | Path) -> bool:
        """Load a trained model into the tracker of the main window, as File → Import Weights… does."""
        if self.tracking.running:
            self.notifier.error("Cannot change the model now", "Stop tracking first, then use the model.")
            return False
        self.models.use_weights(path)
        if self.models.choice.tracker != "siamfc":
            self.models.update_choice(tracker="siamfc")
        self.notifier.info(f"The tracker now uses {Path(path).name} (from {Path(path).parent})")
        self.modelUsed.emit(str(path))
        return True

    # --- closing --------------------------------------------------------------------------------------------
    def confirm_close(self) -> bool:
        """The application is closing: an active run is stopped (or the closing cancelled)."""
        if not self.running:
            return True
        if not self.questions.stop_to_quit():
            return False
        self.shutdown()
        return True

    def shutdown(self) -> None:
        """Stop an active run and wait for its process to end. Safe to call more than once."""
        self.process.shutdown()

    def _may_close_view(self) -> bool:
        if not self.running:
            return True
        answer = self.questions.on_window_close()
        if answer == STOP:
            self.stop()
        return answer != CANCEL

    # --- the run --------------------------------------------------------------------------------------------
    def _launch(self, progress: TrainingProgress, arguments: list[str]) -> None:
        self.progress = progress
        self.progress.phase = "starting"
        view = self.view
        view.clear_log()
        view.append_log("$ train " + " ".join(_quoted(a) for a in arguments))
        view.set_run_dir(progress.run_dir)
        self.process.start(arguments)
        self._refresh(files=True)

    def _on_event(self, event: dict[str, Any]) -> None:
        self.progress.apply(event)
        if event["event"] == "error":
            self.view.append_log(f"error: {event.get('message', '')}", True)
        self._refresh(files=event["event"] in FILES_EVENTS)
        if event["event"] == "done" and self.progress.run_dir is not None:
            best = event.get("best_model")
            if best:
                self.view.select_model(Path(best))

    def _on_log(self, text: str, is_error: bool) -> None:
        self.view.append_log(text, is_error)

    def _on_running_changed(self, running: bool) -> None:
        if self._view is not None:
            self._view.set_running(running)
        self.runningChanged.emit(running)

    def _on_ended(self, end: RunEnd) -> None:
        p = self.progress
        if end.outcome == "failed":
            p.phase, p.message = "failed", end.message
            self.notifier.error("Training failed", end.message)
        elif end.outcome == "stopped":
            p.phase = "stopped"
            p.message = p.message or f"Stopped after epoch {p.completed_epochs}: Resume continues from there."
            self.notifier.info(p.message)
        else:
            p.phase = "done"
            self.notifier.info(f"Training finished: {p.completed_epochs} epochs in {p.run_dir}")
        code = "a signal" if end.exit_code is None else f"exit code {end.exit_code}"
        self.view.append_log(f"[the training process ended: {end.outcome}, {code}]", end.outcome == "failed")
        self._refresh(files=True)

    def _refresh(self, files: bool = False) -> None:
        if self._view is None:
            return
        self._view.show_progress(self.progress)
        if files:
            self._view.show_checkpoints(self.progress.checkpoints())


def _check_options(options: TrainingOptions) -> str | None:
    """A one-line reason why these options cannot start a run, or None."""
    if not options.data:
        return "Choose the dataset first."
    data = Path(options.data).expanduser()
    if options.format == CACHE_FORMAT and not data.is_file():
        return f"Crop cache not found: {data}"
    if options.format != CACHE_FORMAT and not data.exists():
        return f"Dataset folder not found: {data}"
    if options.init and not Path(options.init).expanduser().is_file():
        return f"Model to start from not found: {options.init}"
    return None


def _free_folder(path: Path) -> Path:
    """path, or path-2, path-3, … when a run of that name exists already (two starts in one second)."""
    candidate, n = path, 1
    while candidate.exists():
        n += 1
        candidate = path.with_name(f"{path.name}-{n}")
    return candidate


def _quoted(argument: str) -> str:
    return f'"{argument}"' if " " in argument else argument
