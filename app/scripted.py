"""Scripted runs for demos and tests: open a source, place a box, track N frames, save a screenshot, quit.

Every step waits for the window's own signals, so a scripted run exercises exactly what a user does.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QObject, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from app.main_window import MainWindow
from core.atomic import atomic_write_bytes
from core.boxes import Box
from core.errors import SiamTrackError

SETTLE_MS = 150  # lets the last result paint before the screenshot


@dataclass(frozen=True)
class Script:
    source: str | None = None
    box: Box | None = None
    track: int | None = None
    screenshot: Path | None = None
    quit: bool = False
    timeout_s: float = 600.0


def save_screenshot(widget: QWidget, path: Path) -> None:
    """A PNG of the widget as it is drawn now, written atomically."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not widget.grab().save(buffer, "PNG"):
        raise SiamTrackError(f"could not render a screenshot for {path}")
    buffer.close()
    atomic_write_bytes(path, bytes(data))


class ScriptedRun(QObject):
    """Drives a MainWindow through a Script; `failure` holds the first error, if any."""

    def __init__(self, window: MainWindow, script: Script) -> None:
        super().__init__(window)
        self.window, self.script = window, script
        self.failure: str | None = None
        self.done = False
        self._tracked = False
        window.notifier.dialogs_enabled = not script.quit  # nobody is there to close a dialog
        if script.quit:
            window.annotation.set_unattended()  # and a demo leaves no project files behind
        window.notifier.reported.connect(self._on_error)
        window.playback.frameShown.connect(self._on_first_frame)
        window.tracking.runningChanged.connect(self._on_tracking_changed)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(
            lambda: self._fail(f"the scripted run took longer than {script.timeout_s:g} s")
        )

    def start(self) -> None:
        self._timer.start(int(self.script.timeout_s * 1000))
        if self.script.source is not None:
            self.window.sources.open(self.script.source)
        else:
            QTimer.singleShot(0, self._finish)

    def _on_first_frame(self, _index: int) -> None:
        self.window.playback.frameShown.disconnect(self._on_first_frame)
        if self.script.box is not None:
            self.window.frame_view.set_box(self.script.box, notify=True)
        if self.script.track:
            QTimer.singleShot(0, self._start_tracking)
        else:
            QTimer.singleShot(SETTLE_MS, self._finish)

    def _start_tracking(self) -> None:
        if self.done:
            return
        if self.script.box is None:
            self._fail("--track needs --box x,y,w,h")
        elif self.window.tracking.start(limit=self.script.track):
            self._tracked = True

    def _on_tracking_changed(self, running: bool) -> None:
        if not running and self._tracked and not self.done:
            QTimer.singleShot(SETTLE_MS, self._finish)

    def _on_error(self, title: str, message: str) -> None:
        self._fail(f"{title}: {message}")

    def _fail(self, message: str) -> None:
        if not self.done:
            self.failure = message
            self._end()

    def _finish(self) -> None:
        if self.done:
            return
        if self.script.screenshot is not None:
            try:
                save_screenshot(self.window, self.script.screenshot)
            except (OSError, SiamTrackError) as error:
                self._fail(f"cannot save the screenshot: {error}")
                return
        self._end()

    def _end(self) -> None:
        self.done = True
        self._timer.stop()
        if self.script.quit:
            self.window.close()
            QApplication.instance().quit()
