"""Keeps the views in step with the project, the selection and the shown frame: every visible object's box
on the frame (the current object's one editable), the timeline rows, the objects panel, the score plot and
readouts of the current object, and a hint of what to do next. While a run goes on, the frame shows the
run's newest boxes over the project's and the timeline fills in as frames arrive."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QObject, Qt

from app.controllers.playback import PlaybackController
from app.controllers.project import ProjectController
from app.controllers.selection import Selection
from app.controllers.tracking import TrackingController
from app.views.annotation_layer import DrawnBox
from app.views.frame_view import FrameView
from app.views.objects_panel import ObjectRow, ObjectsPanel
from app.views.readouts import EMPTY, Readout, ReadoutsPanel
from app.views.score_plot import ScorePlot
from app.views.timeline import MANUAL, TimelineRow, TimelineView, TrackStrip
from app.workers.annotation_worker import AnnotationStep
from core.annotations import BoxRecord, Change, Origin, Project, TrackObject


def caption(obj: TrackObject, record: BoxRecord) -> str:
    text = f"{obj.id} {obj.label}"
    if record.origin is not Origin.MANUAL and record.score is not None:
        text += f"  {record.score:.2f}"
    if record.out_of_view:
        text += "  out of view"
    elif record.occluded:
        text += "  occluded"
    return text


class AnnotationPresenter(QObject):
    def __init__(
        self,
        projects: ProjectController,
        selection: Selection,
        view: FrameView,
        timeline: TimelineView,
        panel: ObjectsPanel,
        playback: PlaybackController,
        tracking: TrackingController,
        readouts: ReadoutsPanel,
        plot: ScorePlot,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.projects, self.selection, self.view, self.timeline = projects, selection, view, timeline
        self.panel, self.playback, self.tracking = panel, playback, tracking
        self.readouts, self.plot = readouts, plot
        self.strips: dict[int, TrackStrip] = {}
        projects.replaced.connect(self._on_replaced)
        projects.changed.connect(self._on_changed)
        selection.changed.connect(self._on_selection)
        playback.frameShown.connect(self._on_frame_shown)
        tracking.resultShown.connect(self._on_result_shown)
        tracking.stepRecorded.connect(self._on_step_recorded)
        tracking.runningChanged.connect(self._on_running_changed)
        view.boxChanged.connect(lambda _box: self.show_hint())
        view.clicked.connect(self._on_clicked)
        timeline.seekRequested.connect(self._on_seek)
        timeline.objectClicked.connect(self._on_object_clicked)
        panel.selectionChanged.connect(lambda ids, current: selection.set(ids, current))

    @property
    def project(self) -> Project | None:
        return self.projects.project

    # --- the project ----------------------------------------------------------------------------------
    def _on_replaced(self, project: Project | None) -> None:
        self.selection.clear()
        self.strips = {}
        self.timeline.set_frame_count(project.video.frame_count if project is not None else 0)
        self.timeline.setVisible(project is not None)  # a camera has no frames to annotate
        if project is not None:
            self.strips = {tid: self._strip(tid) for tid in project.objects}
        self._refresh_objects()
        self.redraw()
        self._show_scores()

    def _on_changed(self, change: Change) -> None:
        project = self.project
        for tid in change.objects:
            if tid in project.objects:
                self.strips[tid] = self._strip(tid)
            else:
                self.strips.pop(tid, None)
        for tid, frame in change.boxes:
            if tid in self.strips and tid not in change.objects:
                self.strips[tid].set(frame, project.record(tid, frame))
        self.selection.retain(project.objects)
        self._refresh_objects()
        self.redraw()
        if self.selection.current in {tid for tid, _ in change.boxes} | set(change.objects):
            self._show_scores()

    def _strip(self, track_id: int) -> TrackStrip:
        return TrackStrip.from_track(self.project.track(track_id), self.project.video.frame_count)

    def _refresh_objects(self) -> None:
        project = self.project
        objects = [] if project is None else [project.objects[tid] for tid in sorted(project.objects)]
        rows, timeline_rows = [], []
        for obj in objects:
            strip = self.strips[obj.id]
            boxes = int(np.count_nonzero(strip.kind))
            keyframes = int(np.count_nonzero(strip.kind == MANUAL))
            rows.append(ObjectRow(obj.id, obj.name, obj.label, obj.colour, obj.hidden, boxes, keyframes))
            timeline_rows.append(
                TimelineRow(obj.id, obj.name or f"{obj.label} {obj.id}", obj.colour, obj.hidden, strip)
            )
        self.panel.set_objects(rows, [obj.label for obj in objects])
        self.panel.set_selection(self.selection.ids, self.selection.current)
        self.timeline.set_rows(timeline_rows)

    # --- the selection --------------------------------------------------------------------------------
    def _on_selection(self) -> None:
        self.panel.set_selection(self.selection.ids, self.selection.current)
        self.timeline.set_selected(self.selection.ids)
        self.redraw()
        self._show_scores()

    def _on_clicked(self, x: float, y: float, modifiers) -> None:
        if self.tracking.running or self.project is None:
            return
        track_id = self.view.annotations.box_at(x, y)
        extend = bool(modifiers & Qt.KeyboardModifier.ControlModifier)
        if track_id is not None:
            self.selection.select(track_id, extend)
        elif not extend:
            self.selection.clear()

    def _on_object_clicked(self, track_id: int, modifiers) -> None:
        self.selection.select(track_id, bool(modifiers & Qt.KeyboardModifier.ControlModifier))

    def _on_seek(self, index: int) -> None:
        if not self.tracking.running:
            self.playback.seek(index)

    # --- the frame ------------------------------------------------------------------------------------
    def _on_frame_shown(self, index: int) -> None:
        self.timeline.set_current(index)
        if not self.tracking.running:
            self.redraw()

    def _on_result_shown(self, step) -> None:
        if isinstance(step, AnnotationStep):
            self._draw_boxes(step.index, step.records)

    def _on_step_recorded(self, step: AnnotationStep) -> None:
        for tid, record in step.records.items():
            if tid in self.strips:
                self.strips[tid].set(step.index, record)
        self.timeline.update()

    def _on_running_changed(self, running: bool) -> None:
        if running or self.project is None:
            return
        # boxes received but not kept (a stopped gap fill) must not stay on the timeline
        self.strips = {tid: self._strip(tid) for tid in self.project.objects}
        self._refresh_objects()
        self.redraw(readout=False)  # the run's last readout (speed, scale) stays until the frame changes
        self._show_scores()

    def redraw(self, readout: bool = True) -> None:
        """The shown frame's boxes, the editable box of the current object, the readouts and the hint."""
        index = self.playback.index
        if self.project is None or index < 0:
            self.view.annotations.clear()
            self.show_hint()
            return
        self._draw_boxes(index)
        if not self.tracking.running:
            self._place_editable_box(index)
            if readout:
                self._show_readout(index)
        self.show_hint()

    def _draw_boxes(self, index: int, overrides: dict[int, BoxRecord] | None = None) -> None:
        project = self.project
        if project is None or not 0 <= index < project.video.frame_count:
            return
        records = project.records_at(index)
        records.update(overrides or {})
        selected, current = set(self.selection.ids), self.selection.current
        editable = not self.tracking.running
        drawn = []
        for tid, record in sorted(records.items()):
            obj = project.objects.get(tid)
            if obj is None or obj.hidden:
                continue
            drawn.append(
                DrawnBox(
                    tid,
                    record.box,
                    obj.colour,
                    caption(obj, record),
                    record.origin,
                    record.review,
                    record.occluded,
                    record.out_of_view,
                    tid in selected,
                    editable and tid == current,
                )
            )
        self.view.annotations.show(drawn)

    def _place_editable_box(self, index: int) -> None:
        current = self.selection.current
        if current is None:
            self.view.set_box_colour(None)  # a box being drawn stays until it becomes an object
            return
        obj = self.project.objects.get(current)
        record = self.project.record(current, index)
        if obj is None or obj.hidden or record is None:
            self.view.set_box(None)
            return
        self.view.set_box_colour(obj.colour)
        self.view.set_box(record.box)

    def _show_readout(self, index: int) -> None:
        current = self.selection.current
        record = self.project.record(current, index) if current is not None else None
        if record is None:
            self.readouts.show_readout(Readout(frame=str(index), engine=self.tracking.info.engine or EMPTY))
            return
        x, y, w, h = record.box
        self.readouts.show_readout(
            Readout(
                frame=str(index),
                score=EMPTY if record.score is None else f"{record.score:.3f}",
                box=f"{x:.0f}, {y:.0f}, {w:.0f} × {h:.0f}",
                engine=self.tracking.info.engine or EMPTY,
            )
        )

    def _show_scores(self) -> None:
        """The current object's scores on every tracked frame (the plot follows the runs while they go)."""
        if self.tracking.running:
            return
        strip = self.strips.get(self.selection.current) if self.selection.current is not None else None
        if strip is None:
            self.plot.clear_scores()
            return
        frames = np.flatnonzero(~np.isnan(strip.score))
        if len(frames) == 0:
            self.plot.clear_scores()
        else:
            self.plot.set_scores(frames.astype(np.float64), strip.score[frames].astype(np.float64))
        self.plot.set_current_frame(max(self.playback.index, 0))

    # --- what to do next ------------------------------------------------------------------------------
    def show_hint(self) -> None:
        self.panel.set_hint(self._hint())

    def _hint(self) -> str:
        project, current = self.project, self.selection.current
        if project is None:
            return "Open a video file or an image folder to annotate it."
        if self.tracking.running:
            return "Tracking… Esc stops (what was tracked is kept)."
        if current is None and self.view.box() is not None:
            return "New box: N adds it as an object, T tracks it as a new object."
        if not project.objects:
            return "Drag a box around an object on the frame, then press N (or T to track it at once)."
        if current is None:
            return "Click a box or an object to select it; Ctrl+click selects several."
        if project.record(current, max(self.playback.index, 0)) is None:
            return f"{project.objects[current].name} has no box on this frame: drag one to add a keyframe."
        return "T / Shift+T track forward / backward · R re-track after a correction · G fill a gap"
