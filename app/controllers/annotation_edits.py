"""The user's edits as undo steps: boxes drawn and corrected, objects added, renamed, recoloured, hidden and
deleted, flags set, ranges of boxes deleted; and moving to keyframes and frames marked for review.

Each command builds a core Change and pushes it (one undo step, however many objects and frames it
touches). Commands act on the selected objects; flag commands with nothing selected act on every visible
object that has a box on the frame.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtCore import QObject

from app.controllers.playback import PlaybackController
from app.controllers.project import ProjectController
from app.controllers.selection import Selection
from app.controllers.tracking import TrackingController
from app.views.frame_view import FrameView
from app.views.notifier import Notifier
from app.views.objects_panel import ObjectsPanel
from app.views.project_dialogs import ProjectDialogs
from core.annotations import (
    BoxRecord,
    Change,
    Flag,
    Origin,
    Project,
    add_object,
    delete_boxes,
    next_flagged,
    remove_object,
    set_box,
    set_flag,
    update_object,
)
from core.boxes import Box, as_box, validate_box
from core.errors import SiamTrackError

DEFAULT_LABEL = "object"


def combine(changes: Iterable[Change], description: str) -> Change:
    """One change (one undo step) doing all of these."""
    combined = Change(description)
    for change in changes:
        combined = combined.then(change, description)
    return combined


def objects_text(track_ids: Iterable[int]) -> str:
    ids = list(track_ids)
    return f"object {ids[0]}" if len(ids) == 1 else f"{len(ids)} objects"


class AnnotationEditor(QObject):
    def __init__(
        self,
        projects: ProjectController,
        selection: Selection,
        view: FrameView,
        panel: ObjectsPanel,
        playback: PlaybackController,
        tracking: TrackingController,
        dialogs: ProjectDialogs,
        notifier: Notifier,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.projects, self.selection, self.view = projects, selection, view
        self.playback, self.tracking, self.dialogs, self.notifier = playback, tracking, dialogs, notifier
        self.last_label = DEFAULT_LABEL
        # set by the track commands: re-track a corrected box (None: corrections are plain edits)
        self.correct_and_retrack: Callable[[int, int, Box], bool] | None = None
        view.boxDrawn.connect(self._on_box_drawn)
        view.boxEdited.connect(self._on_box_edited)
        view.boxChanged.connect(self._on_box_changed)
        panel.renamed.connect(lambda tid, name: self._edit_object(tid, "name", name))
        panel.labelChanged.connect(self._on_label)
        panel.visibilityChanged.connect(lambda tid, visible: self._edit_object(tid, "hidden", not visible))
        panel.colourRequested.connect(lambda tid: self.choose_colour([tid]))

    @property
    def project(self) -> Project | None:
        return self.projects.project

    @property
    def frame(self) -> int:
        return self.playback.index

    def _ready(self) -> bool:
        return self.project is not None and self.frame >= 0 and not self.tracking.running

    def _push(self, build: Callable[[], Change]) -> bool:
        """Build a change and make it; a user mistake (a box outside the frame...) is reported instead."""
        try:
            change = build()
        except SiamTrackError as error:
            self.notifier.error("Cannot change the annotations", str(error))
            return False
        return self.projects.push(change)

    # --- boxes on the frame ---------------------------------------------------------------------------
    def _on_box_drawn(self, box: Box) -> None:
        if not self._ready():
            return
        current = self.selection.current
        if (
            current is not None
            and not self.project.objects[current].hidden
            and self.project.record(current, self.frame) is None
        ):
            self._push(lambda: set_box(self.project, current, self.frame, box))
            return
        if current is not None:
            self.selection.clear()  # the drawn box waits to become a new object (N) or be tracked (T)

    def _on_box_edited(self, box: Box) -> None:
        current = self.selection.current
        if not self._ready() or current is None:
            return
        record = self.project.record(current, self.frame)
        if (
            record is not None
            and record.origin is not Origin.MANUAL
            and self.correct_and_retrack is not None
            and self.correct_and_retrack(current, self.frame, box)
        ):
            return
        if not self._push(lambda: set_box(self.project, current, self.frame, box)):
            self.view.set_box(record.box if record is not None else None)

    def _on_box_changed(self, box: Box | None) -> None:
        """Delete (the Delete Box command): the selected objects' boxes on this frame go."""
        if box is not None or not self._ready():
            return
        targets = [t for t in self.selection.ids if self.project.record(t, self.frame) is not None]
        if targets:
            frame = self.frame
            self._push(
                lambda: combine(
                    (delete_boxes(self.project, t, frame, frame) for t in targets),
                    f"delete the box of {objects_text(targets)} on frame {frame}",
                )
            )

    # --- objects --------------------------------------------------------------------------------------
    def new_object(self) -> int | None:
        """A new object; the box just drawn (if any) becomes its keyframe on this frame. Returns its id."""
        if self.project is None or self.tracking.running:
            return None
        box = self.view.box() if self.selection.current is None else None
        project, frame = self.project, self.frame
        try:
            change, track_id = add_object(project, self.last_label)
            if box is not None and frame >= 0:
                record = BoxRecord(validate_box(as_box(box), project.video.frame_shape), Origin.MANUAL)
                name = change.objects[track_id].name
                change = Change(
                    f"add object {name} with a box on frame {frame}",
                    {(track_id, frame): record},
                    change.objects,
                )
        except SiamTrackError as error:
            self.notifier.error("Cannot add the object", str(error))
            return None
        self.projects.push(change)
        self.selection.set([track_id])
        return track_id

    def delete_objects(self) -> None:
        ids = list(self.selection.ids)
        if ids and self._ready():
            self._push(
                lambda: combine((remove_object(self.project, t) for t in ids), f"delete {objects_text(ids)}")
            )

    def choose_colour(self, track_ids: Iterable[int] | None = None) -> None:
        ids = list(self.selection.ids if track_ids is None else track_ids)
        if not ids or self.project is None:
            return
        colour = self.dialogs.colour(self.project.objects[ids[0]].colour)
        if colour is not None:
            self._push(
                lambda: combine(
                    (update_object(self.project, t, colour=colour) for t in ids),
                    f"colour {objects_text(ids)}",
                )
            )

    def toggle_hidden(self) -> None:
        ids = list(self.selection.ids)
        if not ids or self.project is None:
            return
        hide = any(not self.project.objects[t].hidden for t in ids)
        verb = "hide" if hide else "show"
        self._push(
            lambda: combine(
                (update_object(self.project, t, hidden=hide) for t in ids), f"{verb} {objects_text(ids)}"
            )
        )

    def _on_label(self, track_id: int, label: str) -> None:
        if self._edit_object(track_id, "label", label):
            self.last_label = label

    def _edit_object(self, track_id: int, field: str, value: object) -> bool:
        if self.project is None or track_id not in self.project.objects:
            return False
        if getattr(self.project.objects[track_id], field) == value:
            return False
        return self._push(lambda: update_object(self.project, track_id, **{field: value}))

    # --- flags ----------------------------------------------------------------------------------------
    def _flag_targets(self) -> list[int]:
        project, frame = self.project, self.frame
        ids = self.selection.ids or [t for t, o in project.objects.items() if not o.hidden]
        return [t for t in ids if project.record(t, frame) is not None]

    def toggle_flag(self, flag: Flag) -> None:
        if not self._ready():
            return
        targets, frame = self._flag_targets(), self.frame
        if not targets:
            self.notifier.info("No selected object has a box on this frame")
            return
        on = not all(flag in self.project.record(t, frame).flags for t in targets)
        self._push(
            lambda: combine(
                (set_flag(self.project, t, [frame], flag, on) for t in targets),
                f"{'mark' if on else 'unmark'} {flag.value.replace('_', ' ')} on frame {frame}",
            )
        )

    def accept_review(self) -> None:
        if not self._ready():
            return
        frame = self.frame
        targets = [t for t in self._flag_targets() if self.project.record(t, frame).review]
        if targets:
            self._push(
                lambda: combine(
                    (set_flag(self.project, t, [frame], Flag.REVIEW, False) for t in targets),
                    f"accept {objects_text(targets)} on frame {frame}",
                )
            )

    # --- deleting ranges ------------------------------------------------------------------------------
    def delete_to_next_keyframe(self) -> None:
        if not self._ready() or not self.selection.ids:
            return
        frame = self.frame
        ranges = {t: (frame, self._before_next_keyframe(t, frame)) for t in self.selection.ids}
        self._delete_ranges(ranges, f"delete {objects_text(ranges)} up to the next keyframe")

    def delete_range(self) -> None:
        if not self._ready() or not self.selection.ids:
            return
        project, frame = self.project, self.frame
        last = max(self._before_next_keyframe(t, frame) for t in self.selection.ids)
        answer = self.dialogs.frame_range(frame, last, project.video.frame_count)
        if answer is not None:
            first, last = sorted(answer)
            ranges = {t: (first, last) for t in self.selection.ids}
            self._delete_ranges(ranges, f"delete {objects_text(ranges)} on frames {first}-{last}")

    def _before_next_keyframe(self, track_id: int, frame: int) -> int:
        following = self.project.next_keyframe(track_id, frame)
        return self.project.video.frame_count - 1 if following is None else following - 1

    def _delete_ranges(self, ranges: dict[int, tuple[int, int]], description: str) -> None:
        self._push(
            lambda: combine(
                (delete_boxes(self.project, t, a, b) for t, (a, b) in ranges.items()), description
            )
        )

    # --- moving to frames -----------------------------------------------------------------------------
    def go_to_keyframe(self, step: int) -> None:
        if not self._ready():
            return
        project, frame = self.project, self.frame
        ids = self.selection.ids or [t for t, o in project.objects.items() if not o.hidden]
        found = [k for t in ids if (k := project.next_keyframe(t, frame, step)) is not None]
        if found:
            self.playback.seek(min(found) if step > 0 else max(found))
        else:
            self.notifier.info(f"No {'later' if step > 0 else 'earlier'} keyframe")

    def go_to_flagged(self, step: int) -> None:
        if not self._ready():
            return
        found = next_flagged(self.project, self.frame, step, Flag.REVIEW, self.selection.ids or None)
        if found is not None:
            self.playback.seek(found)
        else:
            self.notifier.info(f"No {'later' if step > 0 else 'earlier'} frame marked for review")
