"""Which annotation commands are available now: nothing changes while a run goes on, tracking needs a
selected object with a box on this frame (or a box just drawn), undo and redo follow the undo stack."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction

from app.controllers.action_state import ActionState
from app.controllers.playback import PlaybackController
from app.controllers.project import ProjectController
from app.controllers.selection import Selection
from app.controllers.tracking import TrackingController
from app.views.frame_view import FrameView

NEEDS_PROJECT = (
    "save",
    "save_as",
    "import_annotations",
    "export_annotations",
    "new_object",
    "toggle_occluded",
    "toggle_out_of_view",
    "accept_review",
    "next_keyframe",
    "previous_keyframe",
    "next_flagged",
    "previous_flagged",
)
NEEDS_SELECTION = (
    "delete_object",
    "object_colour",
    "hide_object",
    "fill_gap",
    "interpolate",
    "delete_to_keyframe",
    "delete_range",
)


class AnnotationActionState(QObject):
    def __init__(
        self,
        actions: dict[str, QAction],
        base: ActionState,
        projects: ProjectController,
        selection: Selection,
        playback: PlaybackController,
        tracking: TrackingController,
        view: FrameView,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.actions, self.projects, self.selection = actions, projects, selection
        self.playback, self.tracking, self.view = playback, tracking, view
        base.track_ready = lambda: self.can_start(1)
        base.updated.connect(self.update)
        selection.changed.connect(base.update)
        projects.changed.connect(base.update)
        projects.replaced.connect(base.update)
        stack = projects.undo_stack
        for signal in (
            stack.canUndoChanged,
            stack.canRedoChanged,
            stack.undoTextChanged,
            stack.redoTextChanged,
        ):
            signal.connect(self.update)

    def can_start(self, step: int) -> bool:
        """Whether tracking can start from this frame in this direction (on a camera: a box is drawn)."""
        if not self.tracking.annotating:
            return self.view.box() is not None
        project, frame = self.projects.project, self.playback.index
        if project is None or frame < 0:
            return False
        if (step > 0 and frame >= self.playback.last_index) or (step < 0 and frame <= 0):
            return False
        if self.selection.current is None and self.view.box() is not None:
            return True
        return any(
            (record := project.record(t, frame)) is not None and not record.out_of_view
            for t in self.selection.ids
        )

    def update(self, *_: object) -> None:
        a = self.actions
        idle = not self.tracking.running and self.playback.frame is not None
        has_project = self.projects.project is not None and idle
        for name in NEEDS_PROJECT:
            a[name].setEnabled(has_project)
        for name in NEEDS_SELECTION:
            a[name].setEnabled(has_project and bool(self.selection.ids))
        a["track_backward"].setEnabled(has_project and self.can_start(-1))
        a["retrack"].setEnabled(has_project and self.selection.current is not None and self.can_start(1))
        stack = self.projects.undo_stack
        a["undo"].setEnabled(idle and stack.canUndo())
        a["redo"].setEnabled(idle and stack.canRedo())
        a["undo"].setText(f"&Undo {stack.undoText()}" if stack.canUndo() else "&Undo")
        a["redo"].setText(f"&Redo {stack.redoText()}" if stack.canRedo() else "&Redo")
