"""The open project: created or loaded when a video opens, changed only through the undo stack, saved by the
user, autosaved by a timer (and after every tracking run), restored after a crash.

Every change goes through `push(change)`: a QUndoCommand keeps the change and the inverse the core returns,
so undo restores the exact previous state and a whole tracking run is one step.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from app.controllers.autosave import BackgroundAutosave
from app.views.notifier import Notifier
from app.views.project_dialogs import CANCEL, DISCARD, SAVE, ProjectDialogs
from app.workers.task import TaskRunner
from core.annotations import (
    Change,
    Project,
    VideoInfo,
    default_project_path,
    find_recovery,
    last_good_autosave,
    load_project,
    save_project,
)
from core.annotations.autosave import discard_recovery
from core.errors import FormatError, SiamTrackError
from core.sources import FrameSource

AUTOSAVE_POLL_MS = 1000


class ChangeCommand(QUndoCommand):
    """One undo step: a change and, once made, its exact inverse."""

    def __init__(self, apply: Callable[[Change], Change], change: Change) -> None:
        super().__init__(change.description or "edit")
        self._apply = apply
        self._change = change
        self._inverse: Change | None = None

    def redo(self) -> None:
        self._inverse = self._apply(self._change)

    def undo(self) -> None:
        self._change = self._apply(self._inverse)


class ProjectController(QObject):
    replaced = Signal(object)  # the Project now open, or None (a camera, or nothing open)
    changed = Signal(object)  # the Change just made by an edit, an undo or a redo: what to redraw
    dirtyChanged = Signal(bool)

    def __init__(
        self,
        dialogs: ProjectDialogs,
        notifier: Notifier,
        tasks: TaskRunner,
        autosave_interval_s: float,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.dialogs, self.notifier = dialogs, notifier
        self.autosave_enabled = True  # scripted runs leave no files behind
        self.project: Project | None = None
        self.path: Path | None = None
        self.video_name = ""
        self.undo_stack = QUndoStack(self)
        self.autosave = BackgroundAutosave(tasks, autosave_interval_s, parent=self)
        self.autosave.failed.connect(self._on_autosave_failed)
        self.autosave.written.connect(lambda: setattr(self, "_autosave_failed", False))
        self._discard_on_close = False
        self._autosave_failed = False
        self._timer = QTimer(self)
        self._timer.setInterval(AUTOSAVE_POLL_MS)
        self._timer.timeout.connect(self._poll_autosave)
        self.undo_stack.cleanChanged.connect(lambda _clean: self.dirtyChanged.emit(self.dirty))

    @property
    def dirty(self) -> bool:
        return self.project is not None and not self.undo_stack.isClean()

    @property
    def name(self) -> str:
        return self.path.name if self.path is not None else f"{self.video_name} (not saved yet)"

    # --- changes --------------------------------------------------------------------------------------
    def push(self, change: Change) -> bool:
        """Make the change as one undo step; False when there is nothing to change."""
        if self.project is None or change.is_empty:
            return False
        self.undo_stack.push(ChangeCommand(self._apply, change))
        return True

    def _apply(self, change: Change) -> Change:
        inverse = self.project.apply(change)
        self.changed.emit(change)
        return inverse

    # --- opening and closing --------------------------------------------------------------------------
    def open_for(self, source: FrameSource, spec: str) -> None:
        """The project of a newly opened source: its file beside the video, a restored autosave, or a new
        one. Cameras have none."""
        self.close_project()
        if source.is_live or not source.frame_count:
            self.replaced.emit(None)
            return
        width, height = source.frame_size
        video = VideoInfo(Path(spec), source.frame_count, width, height, source.fps)
        self.video_name = video.path.name
        project, path, restored = self._load(video, default_project_path(spec))
        self._install(project, path, restored)

    def _load(self, video: VideoInfo, path: Path) -> tuple[Project, Path | None, bool]:
        recovery = find_recovery(path)
        if recovery is not None:
            if self.dialogs.restore_recovery(path.name, recovery.stat().st_mtime):
                try:
                    return self._fit(load_project(recovery), video), path, True
                except FormatError as error:
                    self.notifier.error("Cannot restore the autosave", str(error))
            elif self.dialogs.interactive:
                discard_recovery(path)
        if path.is_file():
            try:
                return self._fit(load_project(path), video), path, False
            except FormatError as error:
                return self._after_corrupt(video, path, str(error))
        if not _writable(path.parent):
            return Project(video), self.dialogs.project_location(path), False
        return Project(video), path, False

    def _after_corrupt(self, video: VideoInfo, path: Path, problem: str) -> tuple[Project, Path | None, bool]:
        good = last_good_autosave(path)
        if good is not None and self.dialogs.restore_after_corrupt(path.name, problem, good.modified):
            return self._fit(good.project, video), path, True
        self.notifier.error(
            "Cannot open the project",
            f"{problem}. Starting an empty project; {path.name} is left as it is (Save asks where).",
        )
        return Project(video), None, False

    def _fit(self, project: Project, video: VideoInfo) -> Project:
        """The loaded annotations on the video as it is now (it may have moved); a different frame count
        is reported and the project kept as it was made."""
        if project.video.frame_count != video.frame_count:
            self.notifier.error(
                "The video does not match its project",
                f"the project was made for {project.video.frame_count} frames, the video has "
                f"{video.frame_count}; check the boxes before saving",
            )
            return project
        return Project(video, project.objects.values(), {t: project.track(t) for t in project.objects})

    def _install(self, project: Project, path: Path | None, restored: bool) -> None:
        self.project, self.path = project, path
        self.undo_stack.clear()
        if restored:
            self.undo_stack.resetClean()  # restored work is unsaved work
        self._start_autosave()
        self.replaced.emit(project)
        self.dirtyChanged.emit(self.dirty)

    def close_project(self) -> None:
        self._timer.stop()
        self.autosave.stop(discard=self._discard_on_close)
        self._discard_on_close = False
        self.project, self.path = None, None
        self.undo_stack.clear()

    def confirm_close(self) -> bool:
        """Ask to save unsaved changes before the project closes; False when the user cancels."""
        if not self.dirty:
            return True
        answer = self.dialogs.save_changes(self.name)
        if answer == SAVE:
            return self.save()
        self._discard_on_close = answer == DISCARD
        return answer != CANCEL

    # --- saving ---------------------------------------------------------------------------------------
    def save(self) -> bool:
        if self.project is None:
            return False
        if self.path is None:
            return self.save_as()
        try:
            save_project(self.project, self.path)
        except (OSError, SiamTrackError) as error:
            self.notifier.error(f"Cannot save {self.path.name}", str(error))
            return False
        self.undo_stack.setClean()
        self.autosave.saved()
        self.notifier.info(f"Saved {self.path}")
        self.dirtyChanged.emit(self.dirty)
        return True

    def save_as(self) -> bool:
        if self.project is None:
            return False
        suggested = self.path or default_project_path(self.project.video.path)
        path = self.dialogs.save_as(suggested)
        if path is None:
            return False
        self.path = path
        self._start_autosave()
        return self.save()

    # --- autosave -------------------------------------------------------------------------------------
    def _start_autosave(self) -> None:
        self._timer.stop()
        self.autosave.stop()
        if self.autosave_enabled and self.project is not None and self.path is not None:
            self.autosave.watch(self.project, self.path)
            self._timer.start()

    def _poll_autosave(self) -> None:
        self.autosave.poll()

    def run_applied(self) -> None:
        """A tracking run was applied: keep it safe at once."""
        self.autosave.write()

    def _on_autosave_failed(self, message: str) -> None:
        if not self._autosave_failed:  # once, not every few seconds
            self.notifier.error("Autosave failed", message)
        self._autosave_failed = True


def _writable(folder: Path) -> bool:
    return folder.is_dir() and os.access(folder, os.W_OK)
