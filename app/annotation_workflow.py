"""The annotation workflow of the main window: the project, the selection, the views kept in step with them,
the edit and tracking commands, import/export, and which commands are available. Built over the window's
views and controllers by one call, so the main window stays an assembly of parts."""

from __future__ import annotations

import weakref
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from app.controllers.annotation_edits import AnnotationEditor
from app.controllers.annotation_state import AnnotationActionState
from app.controllers.annotation_view import AnnotationPresenter
from app.controllers.exchange import AnnotationExchange
from app.controllers.project import ProjectController
from app.controllers.selection import Selection
from app.controllers.sources import display_name
from app.controllers.track_commands import TrackCommands
from app.views.project_dialogs import ProjectDialogs
from app.views.shortcuts import ShortcutsDialog
from core.annotations import Flag
from core.sources import FrameSource

if TYPE_CHECKING:
    from app.main_window import MainWindow


class AnnotationWorkflow(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = weakref.ref(window)  # the window holds this workflow: no reference cycle back
        w, a = window, window.actions
        self.dialogs = ProjectDialogs(window)
        self.projects = ProjectController(
            self.dialogs, w.notifier, w.tasks, w.settings.defaults.autosave_interval_s, self
        )
        self.selection = Selection(self)
        self.presenter = AnnotationPresenter(
            self.projects,
            self.selection,
            w.frame_view,
            w.timeline,
            w.objects_panel,
            w.playback,
            w.tracking,
            w.readouts,
            w.score_plot,
            self,
        )
        self.editor = AnnotationEditor(
            self.projects,
            self.selection,
            w.frame_view,
            w.objects_panel,
            w.playback,
            w.tracking,
            self.dialogs,
            w.notifier,
            self,
        )
        self.commands = TrackCommands(
            w.tracking,
            self.projects,
            self.selection,
            self.editor,
            w.playback,
            w.frame_view,
            w.settings,
            w.notifier,
            self,
        )
        self.exchange = AnnotationExchange(self.projects, self.selection, self.dialogs, w.notifier, self)
        self.state = AnnotationActionState(
            a, w.action_state, self.projects, self.selection, w.playback, w.tracking, w.frame_view, self
        )
        self._connect_actions()
        history = w.docks["history"].widget()
        history.setStack(self.projects.undo_stack)
        history.setEmptyLabel("Opened")
        history.setToolTip("Every edit and tracking run, oldest first: click one to go back to it")
        w.run_length.set_value(self.commands.run_length)
        w.run_length.changed.connect(self.commands.set_run_length)
        a["retrack_after_correction"].setChecked(self.commands.retrack_after_correction)
        a["retrack_after_correction"].toggled.connect(self.commands.set_retrack_after_correction)
        w.sources.confirm_change = self.confirm_close
        w.sources.opened.connect(self._on_source_opened)
        self._spec: str | None = None
        self.projects.dirtyChanged.connect(lambda _dirty: self._show_title())
        self.state.update()

    @property
    def window(self) -> MainWindow:
        return self._window()

    def _connect_actions(self) -> None:
        a, editor, commands, stack = self.window.actions, self.editor, self.commands, self.projects.undo_stack
        for name, slot in {
            "save": self.projects.save,
            "save_as": self.projects.save_as,
            "import_annotations": self.exchange.import_,
            "export_annotations": self.exchange.export,
            "undo": stack.undo,
            "redo": stack.redo,
            "new_object": editor.new_object,
            "delete_object": editor.delete_objects,
            "object_colour": editor.choose_colour,
            "hide_object": editor.toggle_hidden,
            "track_backward": lambda: commands.track(-1),
            "retrack": commands.retrack,
            "fill_gap": commands.fill_gap,
            "interpolate": commands.interpolate,
            "delete_to_keyframe": editor.delete_to_next_keyframe,
            "delete_range": editor.delete_range,
            "next_keyframe": lambda: editor.go_to_keyframe(1),
            "previous_keyframe": lambda: editor.go_to_keyframe(-1),
            "next_flagged": lambda: editor.go_to_flagged(1),
            "previous_flagged": lambda: editor.go_to_flagged(-1),
            "toggle_occluded": lambda: editor.toggle_flag(Flag.OCCLUDED),
            "toggle_out_of_view": lambda: editor.toggle_flag(Flag.OUT_OF_VIEW),
            "accept_review": editor.accept_review,
            "shortcuts": lambda: ShortcutsDialog(self.window.actions, self.window).exec(),
        }.items():
            a[name].triggered.connect(lambda _checked=False, slot=slot: slot())

    def _on_source_opened(self, source: FrameSource, spec: str) -> None:
        self._spec = spec
        self.projects.open_for(source, spec)
        self._show_title()

    def _show_title(self) -> None:
        if self._spec is None:
            return
        unsaved = (
            "" if self.projects.path is not None or self.projects.project is None else " (not saved yet)"
        )
        self.window.setWindowTitle(f"{display_name(self._spec)}{unsaved}[*] — SiamTrack")
        self.window.setWindowModified(self.projects.dirty)

    def confirm_close(self) -> bool:
        """Before the window closes or another source opens: the run in progress ends (and is kept), then
        unsaved changes are saved, discarded, or the closing is cancelled."""
        self.window.tracking.stop()
        return self.projects.confirm_close()

    def set_unattended(self) -> None:
        """Scripted runs: no questions, and no project files or autosaves written."""
        self.dialogs.interactive = False
        self.projects.autosave_enabled = False

    def shutdown(self) -> None:
        self.projects.close_project()
