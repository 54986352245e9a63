"""Autosave off the GUI thread: the recovery copy (core.annotations.autosave) written by a background task.

Writing a big project takes a while (10 objects × 10,000 frames: about half a second, measured with
bench/annotation_ui.py), which would freeze the window every few seconds. So the GUI thread only takes a
snapshot (a shallow copy of the boxes: milliseconds) and a task builds and writes it; the recovery file is
the core's (`.NAME.autosave`, the one before kept as `.previous`). Written while the project has unsaved
changes, every `interval_s` seconds, and at once after a tracking run.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from app.workers.task import TaskRunner
from core.annotations import Autosaver, Project
from core.annotations.autosave import discard_recovery

WRITE_WAIT_S = 30.0  # how long saving or closing waits for a recovery copy still being written


class BackgroundAutosave(QObject):
    failed = Signal(str)  # a write failed (reported once by the caller)
    written = Signal()

    def __init__(
        self, tasks: TaskRunner, interval_s: float, clock: Callable[[], float] = time.monotonic, parent=None
    ) -> None:
        super().__init__(parent)
        self.tasks, self.interval_s, self._clock = tasks, interval_s, clock
        self.project: Project | None = None
        self.path: Path | None = None
        self._written_revision = 0
        self._last_write = clock()
        self._writing: threading.Event | None = None  # set once the write in flight has ended
        self._again = False

    def watch(self, project: Project, path: Path) -> None:
        self.project, self.path = project, path
        self._written_revision = project.revision
        self._last_write = self._clock()

    def stop(self, discard: bool = False) -> None:
        """Stop watching (after the write in flight, if any); `discard` removes the recovery copies."""
        self.wait()
        if discard and self.path is not None:
            discard_recovery(self.path)
        self.project, self.path, self._again = None, None, False

    @property
    def dirty(self) -> bool:
        return self.project is not None and self.project.revision != self._written_revision

    def poll(self) -> None:
        if self.dirty and self._clock() - self._last_write >= self.interval_s:
            self.write()

    def write(self) -> None:
        """Write a recovery copy now (or right after the one being written, whose snapshot is older)."""
        if not self.dirty:
            return
        if self._writing is not None and not self._writing.is_set():
            self._again = True
            return
        project, path, revision = self.project, self.path, self.project.revision
        video, objects = project.video, list(project.objects.values())
        tracks = {tid: dict(project.track(tid)) for tid in project.objects}
        done = threading.Event()
        self._writing, self._last_write = done, self._clock()

        def write_copy() -> None:
            try:
                Autosaver(Project(video, objects, tracks), path).write()
            finally:
                done.set()

        self.tasks.submit("autosave", write_copy, lambda _: self._on_written(path, revision), self._on_failed)

    def saved(self) -> None:
        """The project file was just written: the recovery copies are no longer needed."""
        self.wait()
        if self.project is not None:
            self._written_revision = self.project.revision
            self._last_write = self._clock()
            discard_recovery(self.path)

    def wait(self) -> None:
        if self._writing is not None:
            self._writing.wait(WRITE_WAIT_S)

    def _on_written(self, path: Path, revision: int) -> None:
        if path != self.path:
            return
        self._written_revision = max(self._written_revision, revision)
        self.written.emit()
        if self._again:
            self._again = False
            self.write()

    def _on_failed(self, message: str) -> None:
        self._again = False
        self.failed.emit(message)
