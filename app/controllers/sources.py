"""Opening sources (video, image folder, camera) off the GUI thread, closing the old one, recent files."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from app.settings import AppSettings
from app.views.notifier import Notifier
from app.workers.task import TaskRunner
from core.sources import FrameSource, open_source

CAMERA_SPEC = "webcam:0"
SourceOpener = Callable[[str], FrameSource]


def display_name(spec: str) -> str:
    if spec.startswith("webcam:") or spec.isdigit():
        return f"Camera {spec.split(':')[-1]}"
    return Path(spec).name or spec


def normalise_spec(spec: str | os.PathLike) -> str:
    """Paths become absolute (so recent files work from anywhere); camera specs stay as they are."""
    text = os.fspath(spec)
    path = Path(os.path.expanduser(text))
    return str(path.resolve()) if path.exists() else text


class SourceController(QObject):
    aboutToChange = Signal()  # stop everything that reads the current source
    opened = Signal(object, str)  # FrameSource, spec
    openFailed = Signal(str, str)  # spec, message
    recentChanged = Signal(list)
    busyChanged = Signal(bool)

    def __init__(
        self,
        settings: AppSettings,
        tasks: TaskRunner,
        notifier: Notifier,
        opener: SourceOpener = open_source,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.settings, self.tasks, self.notifier = settings, tasks, notifier
        self._opener = opener
        self.source: FrameSource | None = None
        self.spec: str | None = None
        self._pending: str | None = None
        self.confirm_change: Callable[[], bool] = lambda: True

    @property
    def busy(self) -> bool:
        return self._pending is not None

    def open(self, spec: str | os.PathLike) -> None:
        """Open in the background; `opened` or `openFailed` follows (nothing when `confirm_change` says
        the current source must stay: e.g. the user cancelled saving its annotations)."""
        if not self.confirm_change():
            return
        spec = normalise_spec(spec)
        self._pending = spec
        self.busyChanged.emit(True)
        self.notifier.info(f"Opening {display_name(spec)}…")
        self.tasks.submit(
            "source opener",
            lambda: self._opener(spec),
            lambda source: self._on_opened(spec, source),
            lambda message: self._on_failed(spec, message),
        )

    def open_camera(self, index: int = 0) -> None:
        self.open(f"webcam:{index}")

    def recent(self) -> list[str]:
        return self.settings.recent_sources()

    def clear_recent(self) -> None:
        self.settings.clear_recent_sources()
        self.recentChanged.emit([])

    def cancel(self) -> None:
        """Forget a source still opening: it is closed as soon as it arrives."""
        if self._pending is not None:
            self._pending = None
            self.busyChanged.emit(False)

    def close_source(self) -> None:
        self.aboutToChange.emit()
        if self.source is not None:
            self.source.close()
        self.source, self.spec = None, None

    def _on_opened(self, spec: str, source: FrameSource) -> None:
        if spec != self._pending:  # a newer request replaced this one
            source.close()
            return
        self._pending = None
        self.busyChanged.emit(False)
        self.close_source()
        self.source, self.spec = source, spec
        self.recentChanged.emit(self.settings.add_recent_source(spec))
        self.opened.emit(source, spec)
        self.notifier.info(f"Opened {source.description}")

    def _on_failed(self, spec: str, message: str) -> None:
        if spec == self._pending:
            self._pending = None
            self.busyChanged.emit(False)
        self.notifier.error(f"Cannot open {display_name(spec)}", message)
        self.openFailed.emit(spec, message)
