"""The questions the training window asks: which run to resume, what to do with a run when a window closes.

Tests and scripted runs set `interactive = False` and get the cautious answers without a dialog: a run is
stopped cleanly when the application closes, and keeps running when only the training window closes.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

KEEP, STOP, CANCEL = "keep", "stop", "cancel"


class TrainingQuestions:
    def __init__(self, parent: QWidget) -> None:
        self.parent = parent
        self.interactive = True

    def run_to_resume(self, start: Path) -> Path | None:
        if not self.interactive:
            return None
        path = QFileDialog.getExistingDirectory(self.parent, "Resume the training run in", str(start))
        return Path(path) if path else None

    def stop_to_quit(self) -> bool:
        """The application is closing while a run is active: stop the run (True) or keep the window open."""
        if not self.interactive:
            return True
        answer = QMessageBox.question(
            self.parent,
            "Training is running",
            "A training run is still active. Stop it and quit?\n\n"
            "It stops after the current step; the last complete epoch's files are kept, and Resume "
            "continues from there.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Yes

    def on_window_close(self) -> str:
        """The training window is closing while a run is active: KEEP it running, STOP it, or CANCEL."""
        if not self.interactive:
            return KEEP
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "Training is running",
            "The training run goes on in the background if this window closes "
            "(Tools → Train… shows it again).",
            QMessageBox.StandardButton.NoButton,
            self.parent,
        )
        keep = box.addButton("Keep Running", QMessageBox.ButtonRole.AcceptRole)
        stop = box.addButton("Stop Training", QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(keep)
        box.exec()
        clicked = box.clickedButton()
        return KEEP if clicked is keep else STOP if clicked is stop else CANCEL
