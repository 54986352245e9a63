"""The Tools menu of the main window: training (Tools → Train…) and evaluation (Tools → Evaluate…), built
over the window's model choice by one call, so the main window only creates it, asks it before closing and
shuts it down."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from app.controllers.evaluation import EvaluationController
from app.controllers.training import TrainingController

if TYPE_CHECKING:
    from app.main_window import MainWindow


class Tools(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.training = TrainingController(
            window.models, window.tracking, window.settings, window.notifier, window
        )
        self.evaluation = EvaluationController(window.models, window.settings, window.notifier, window)
        window.actions["train"].triggered.connect(lambda _checked=False: self.training.show_window())
        window.actions["evaluate"].triggered.connect(lambda _checked=False: self.evaluation.show_dialog())
        self.training.modelUsed.connect(lambda _path: self._show_tracker_panel())

    def confirm_close(self) -> bool:
        """Before the window closes: an active training run is stopped, or the closing cancelled."""
        return self.training.confirm_close()

    def set_unattended(self) -> None:
        """Tests and scripted runs: no questions (a run is stopped when the window closes)."""
        self.training.questions.interactive = False

    def shutdown(self) -> None:
        self.training.shutdown()
        self.evaluation.shutdown()

    def _show_tracker_panel(self) -> None:
        dock = self.window.docks.get("tracker")
        if dock is not None:
            dock.show()
            dock.raise_()
