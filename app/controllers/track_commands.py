"""Tracking commands over the project: track the selected objects forward or backward, re-track from a
corrected box, fill the gap between two keyframes by tracking both ways, interpolate it.

Each command plans a run (the core operation, on a copy of the tracked objects, so the worker never reads
what the window changes) and the TrackingController runs it on a worker thread. Several objects run in ONE
MultiTracker: one network pass per frame for all of them. When the run ends, stopped by the user included,
its change is applied as ONE undo step and autosaved at once; manual keyframes are never overwritten.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QObject

from app.controllers.annotation_edits import AnnotationEditor, combine, objects_text
from app.controllers.playback import PlaybackController
from app.controllers.project import ProjectController
from app.controllers.selection import Selection
from app.controllers.tracking import RunOutcome, RunPlan, TrackingController
from app.settings import AppSettings, RunLength
from app.views.frame_view import FrameView
from app.views.notifier import Notifier
from core.annotations import (
    Change,
    Extent,
    Project,
    StopReason,
    TrackRun,
    fill_gap,
    interpolate_gap,
    set_box,
    track,
)
from core.boxes import Box
from core.errors import SiamTrackError

STOP_WORDS = {
    StopReason.KEYFRAME: "its next keyframe",
    StopReason.LOW_SCORE: "score below the threshold",
    StopReason.LIMIT: "run length reached",
    StopReason.END: "end of the video",
    StopReason.CANCELLED: "stopped",
}


class TrackCommands(QObject):
    def __init__(
        self,
        tracking: TrackingController,
        projects: ProjectController,
        selection: Selection,
        editor: AnnotationEditor,
        playback: PlaybackController,
        view: FrameView,
        settings: AppSettings,
        notifier: Notifier,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.tracking, self.projects, self.selection, self.editor = tracking, projects, selection, editor
        self.playback, self.view, self.settings, self.notifier = playback, view, settings, notifier
        self.run_length = settings.run_length()
        self.retrack_after_correction = settings.retrack_after_correction()
        tracking.file_tracking = lambda limit: self.track(1, limit)
        tracking.runFinished.connect(self._on_run_finished)
        editor.correct_and_retrack = self._correct_if_enabled

    @property
    def project(self) -> Project | None:
        return self.projects.project

    def set_run_length(self, run: RunLength) -> None:
        self.run_length = run
        self.settings.set_run_length(run)

    def set_retrack_after_correction(self, on: bool) -> None:
        self.retrack_after_correction = on
        self.settings.set_retrack_after_correction(on)

    # --- commands -------------------------------------------------------------------------------------
    def track(self, step: int, limit: int | None = None) -> bool:
        """Track the selected objects from this frame (a box just drawn first becomes a new object) for
        the run length chosen, or `limit` frames."""
        frame = self.playback.index
        if not self._can_leave(frame, step):
            return False
        spec = self.tracking.tracker_spec()
        if spec is None:
            return False
        if self.selection.current is None and self.view.box() is not None:
            self.editor.new_object()
        ids = self._startable(frame)
        if not ids:
            return self._refuse("select an object that has a box on this frame, or draw a box")
        snapshot, extent = self.project.subset(ids), self._extent(limit)

        def operation(frames, make_tracker, should_stop, progress) -> TrackRun:
            return track(
                snapshot,
                frames,
                make_tracker,
                ids,
                frame,
                step,
                extent,
                should_stop=should_stop,
                progress=progress,
            )

        direction = "forward" if step > 0 else "backward"
        return self._run(
            RunPlan(
                operation,
                tuple(ids),
                frame,
                self.project.record(ids[0], frame).box,
                f"Tracking {objects_text(ids)} {direction} from frame {frame}…",
                f"track {objects_text(ids)} {direction} from frame {frame}",
            ),
            spec,
        )

    def retrack(self) -> bool:
        """The selected objects' boxes here become keyframes and are tracked again up to the next keyframe."""
        frame = self.playback.index
        ids = self._startable(frame) if self.project is not None else []
        if not ids:
            return self._refuse("select an object that has a box on this frame")
        boxes = {t: self.project.record(t, frame).box for t in ids}
        return self._retrack(ids, frame, boxes)

    def _correct_if_enabled(self, track_id: int, frame: int, box: Box) -> bool:
        """A tracked box was moved or resized: with re-tracking after corrections on, track again from it."""
        if not self.retrack_after_correction or frame >= self.playback.last_index:
            return False
        return self._retrack([track_id], frame, {track_id: box})

    def _retrack(self, ids: Sequence[int], frame: int, boxes: dict[int, Box]) -> bool:
        if not self._can_leave(frame, 1):
            return False
        try:
            correction = combine(
                (set_box(self.project, t, frame, boxes[t]) for t in ids),
                f"re-track {objects_text(ids)} from frame {frame}",
            )
        except SiamTrackError as error:
            return self._refuse(str(error))
        spec = self.tracking.tracker_spec()
        if spec is None:
            return False
        start_boxes = {t: correction.boxes[(t, frame)].box for t in ids}
        snapshot = self.project.subset(ids)

        def operation(frames, make_tracker, should_stop, progress) -> TrackRun:
            return track(
                snapshot,
                frames,
                make_tracker,
                list(ids),
                frame,
                1,
                Extent(),
                should_stop=should_stop,
                progress=progress,
                start_boxes=start_boxes,
            )

        plan = RunPlan(
            operation,
            tuple(ids),
            frame,
            start_boxes[ids[0]],
            f"Re-tracking {objects_text(ids)} from frame {frame} to the next keyframe…",
            correction.description,
            prefix=correction,
        )
        return self._run(plan, spec)

    def fill_gap(self) -> bool:
        """Fill the gap between the keyframes around this frame by tracking from both ends."""
        gaps = self._gaps()
        if not gaps:
            return False
        spec = self.tracking.tracker_spec()
        if spec is None:
            return False
        snapshot = self.project.subset(gaps)

        def operation(frames, make_tracker, should_stop, progress) -> TrackRun:
            runs = [
                fill_gap(snapshot, frames, make_tracker, t, a, b, should_stop=should_stop, progress=progress)
                for t, (a, b) in gaps.items()
            ]
            return merge_runs(runs, f"fill the gap of {objects_text(gaps)}")

        first, (a, _) = next(iter(gaps.items()))
        plan = RunPlan(
            operation,
            tuple(gaps),
            a,
            self.project.record(first, a).box,
            f"Filling the gap of {objects_text(gaps)} by tracking both ways…",
            f"fill the gap of {objects_text(gaps)}",
            keep_partial=False,
        )
        return self._run(plan, spec)

    def interpolate(self) -> bool:
        gaps = self._gaps()
        if not gaps:
            return False
        return self.projects.push(
            combine(
                (interpolate_gap(self.project, t, a, b) for t, (a, b) in gaps.items()),
                f"interpolate the gap of {objects_text(gaps)}",
            )
        )

    # --- helpers --------------------------------------------------------------------------------------
    def _can_leave(self, frame: int, step: int) -> bool:
        if self.tracking.running:
            return False
        if self.project is None or frame < 0:
            return self._refuse("open a video file or an image folder first")
        if step > 0 and frame >= self.playback.last_index:
            return self._refuse("this is the last frame: go back to where the objects should be tracked from")
        if step < 0 and frame <= 0:
            return self._refuse("this is the first frame: tracking backward needs a later frame")
        return True

    def _startable(self, frame: int) -> list[int]:
        """The selected objects that have a box on this frame to start from, the current one first."""
        project = self.project
        ordered = sorted(self.selection.ids, key=lambda t: t != self.selection.current)
        return [
            t for t in ordered if (record := project.record(t, frame)) is not None and not record.out_of_view
        ]

    def _gaps(self) -> dict[int, tuple[int, int]]:
        """Per selected object, the keyframes before (or at) and after this frame, with frames between."""
        project, frame = self.project, self.playback.index
        if project is None or frame < 0 or self.tracking.running:
            return {}
        if not self.selection.ids:
            self._refuse("select the objects whose gap to fill")
            return {}
        gaps = {}
        for t in sorted(self.selection.ids, key=lambda t: t != self.selection.current):
            record = project.record(t, frame)
            before = (
                frame if record is not None and record.is_keyframe else project.next_keyframe(t, frame, -1)
            )
            after = project.next_keyframe(t, frame, 1)
            if before is not None and after is not None and after - before > 1:
                gaps[t] = (before, after)
        if not gaps:
            self._refuse("filling a gap needs keyframes before and after this frame, with frames between")
        return gaps

    def _extent(self, limit: int | None) -> Extent:
        run = self.run_length
        if limit is not None:
            return Extent(max_frames=limit)
        if run.mode == "frames":
            return Extent(max_frames=run.frames)
        if run.mode == "score":
            return Extent(min_score=run.min_score)
        return Extent()

    def _run(self, plan: RunPlan, spec) -> bool:
        return self.tracking.run_plan(plan, spec)

    def _refuse(self, message: str) -> bool:
        self.notifier.error("Cannot track", message)
        return False

    # --- the end of a run -----------------------------------------------------------------------------
    def _on_run_finished(self, outcome: RunOutcome) -> None:
        plan, project = outcome.plan, self.project
        if project is None:
            return
        if outcome.run is not None:
            body = outcome.run.change
        elif plan.keep_partial:
            body = Change(plan.undo_text, outcome.received)
        else:
            body = Change()
        change = plan.prefix.then(body, plan.undo_text)
        change = Change(  # objects deleted while the run went on take no boxes
            change.description,
            {k: v for k, v in change.boxes.items() if k[0] in project.objects},
            change.objects,
        )
        if self.projects.push(change):
            self.projects.run_applied()
        if outcome.run is not None:
            self.notifier.info(describe_run(outcome.run, len(change.boxes)))


def merge_runs(runs: Sequence[TrackRun], description: str) -> TrackRun:
    change = combine((run.change for run in runs), description)
    last_frame, stopped = {}, {}
    for run in runs:
        last_frame.update(run.last_frame)
        stopped.update(run.stopped)
    return TrackRun(change, last_frame, stopped)


def describe_run(run: TrackRun, boxes: int) -> str:
    """E.g. "Tracked 180 boxes · object 1 to frame 90 (run length reached) · object 2 to frame 90 (…)"."""
    parts = [
        f"object {t} to frame {run.last_frame.get(t, '?')} ({STOP_WORDS[why]})"
        for t, why in run.stopped.items()
    ]
    return " · ".join([f"Tracked {boxes} boxes", *parts])
