"""Telling the user something went wrong: a message box that does not block, and the status bar."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMessageBox, QStatusBar, QWidget

STATUS_MS = 8000


class Notifier(QObject):
    """Every error the window reports goes through here (tests and scripted runs listen to `reported`)."""

    reported = Signal(str, str)  # title, message

    def __init__(self, parent: QWidget, status_bar: QStatusBar) -> None:
        super().__init__(parent)
        self._parent = parent
        self._status_bar = status_bar
        self.dialogs_enabled = True
        self.last_message: tuple[str, str] | None = None
        self._box: QMessageBox | None = None

    def error(self, title: str, message: str) -> None:
        self.last_message = (title, message)
        self._status_bar.showMessage(f"{title}: {message}", STATUS_MS)
        self.reported.emit(title, message)
        if self.dialogs_enabled:
            self._show_box(title, message)

    def info(self, message: str) -> None:
        self._status_bar.showMessage(message, STATUS_MS)

    def _show_box(self, title: str, message: str) -> None:
        if self._box is not None:
            self._box.close()
        self._box = QMessageBox(
            QMessageBox.Icon.Warning, title, message, QMessageBox.StandardButton.Ok, self._parent
        )
        self._box.setObjectName("error_box")
        self._box.open()  # window-modal, without a nested event loop
