"""Starting and stopping tracking runs and drawing their newest result (frame, score map, scale maps,
readouts, score plot).

Two kinds of run: on a camera, the drawn box is tracked live (TrackingWorker); on a video file or image
folder, `start()` hands over to `file_tracking` (the annotation commands), which plan runs over the project
and start them with `run_plan()` (AnnotationWorker); their outcome comes back by `runFinished`.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from PySide6.QtCore import QObject, Signal, Slot

from app.controllers.models import ModelController
from app.controllers.playback import PlaybackController
from app.controllers.stream import StreamRunner
from app.views.frame_view import FrameView
from app.views.notifier import Notifier
from app.views.readouts import EMPTY, Readout, ReadoutsPanel
from app.views.scale_maps import ScaleMapsView
from app.views.score_plot import ScorePlot
from app.workers.annotation_worker import AnnotationStep, AnnotationWorker, Operation
from app.workers.stream_worker import StreamStep
from app.workers.tracking_worker import TrackerInfo, TrackerSpec, TrackingWorker
from core.annotations import BoxRecord, Change, TrackRun
from core.boxes import Box, validate_box
from core.errors import SiamTrackError

PLOTTED_SCORES = 5000


@dataclass
class TrackHistory:
    """The boxes and scores of the frames tracked since the last start (frame index → value)."""

    first_box: Box | None = None
    boxes: dict[int, Box] = field(default_factory=dict)
    scores: dict[int, float] = field(default_factory=dict)

    def clear(self) -> None:
        self.first_box, self.boxes, self.scores = None, {}, {}

    def reset(self, index: int, box: Box) -> None:
        self.first_box = box
        self.boxes = {index: box}
        self.scores = {index: 1.0}

    def add(self, index: int, box: Box, score: float) -> None:
        self.boxes[index] = box
        self.scores[index] = score

    def score_curve(self, last: int = PLOTTED_SCORES) -> tuple[np.ndarray, np.ndarray]:
        """The newest `last` scores (a camera can track for hours): frame indices and values."""
        items = list(self.scores.items())[-last:]
        frames = np.fromiter((index for index, _ in items), dtype=np.float64, count=len(items))
        values = np.fromiter((score for _, score in items), dtype=np.float64, count=len(items))
        return frames, values

    def cumulative_scale(self, box: Box) -> float:
        """The box's size relative to the first box (square root of the area ratio)."""
        if self.first_box is None:
            return 1.0
        return math.sqrt((box[2] * box[3]) / max(self.first_box[2] * self.first_box[3], 1e-12))


@dataclass(frozen=True)
class RunPlan:
    """A tracking run over the project, as a command planned it."""

    operation: Operation  # runs on the worker thread, returns the TrackRun
    track_ids: tuple[int, ...]  # the objects tracked; the first one still going is shown in the readouts
    start: int
    start_box: Box  # the first object's box on the start frame
    description: str  # what the status bar says while it runs
    undo_text: str  # the undo step's name
    prefix: Change = field(default_factory=Change)  # made with the run (e.g. the corrected start box)
    keep_partial: bool = True  # after a failure, keep the boxes received (a gap fill's half is not kept)


@dataclass(frozen=True)
class RunOutcome:
    plan: RunPlan
    run: TrackRun | None  # None when the run failed
    received: dict[tuple[int, int], BoxRecord]  # every box that reached the window, in order
    error: str | None = None


class TrackingController(QObject):
    runningChanged = Signal(bool)
    resultShown = Signal(object)  # the StreamStep (an AnnotationStep for runs over the project) just drawn
    stepRecorded = Signal(object)  # every AnnotationStep received, drawn or not (for the timeline)
    runFinished = Signal(object)  # RunOutcome of a run over the project

    def __init__(
        self,
        playback: PlaybackController,
        models: ModelController,
        view: FrameView,
        readouts: ReadoutsPanel,
        scale_maps: ScaleMapsView,
        plot: ScorePlot,
        notifier: Notifier,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.playback, self.models, self.view = playback, models, view
        self.readouts, self.scale_maps, self.plot, self.notifier = readouts, scale_maps, plot, notifier
        self.history = TrackHistory()
        self.info = TrackerInfo("", "", (1.0,))
        self._rendering = False
        self.runner = StreamRunner(render=self._render, record=self._record, parent=self)
        self.runner.failed.connect(self._on_failed)
        self.runner.finished.connect(self._on_finished)
        playback.frameShown.connect(self._on_frame_shown)
        self.file_tracking: Callable[[int | None], bool] | None = None  # Track on a video file
        self._plan: RunPlan | None = None
        self._worker: AnnotationWorker | None = None
        self._received: dict[tuple[int, int], BoxRecord] = {}
        self._error: str | None = None
        self._last_readout: Readout | None = None

    @property
    def running(self) -> bool:
        return self.runner.running

    @property
    def annotating(self) -> bool:
        """True while a video file or image folder is open and the annotation commands handle tracking."""
        source = self.playback.source
        return self.file_tracking is not None and source is not None and not source.is_live

    def start(self, limit: int | None = None) -> bool:
        """Track from the shown frame: to the end, or `limit` frames. False (with a message) when tracking
        cannot start. On a video file the annotation commands track the selected objects (a drawn box
        becomes a new object)."""
        if self.running:
            return False
        if self.annotating:
            return self.file_tracking(limit)
        try:
            box, spec = self._check_ready()
        except SiamTrackError as error:
            self.notifier.error("Cannot start tracking", str(error))
            return False
        playback = self.playback
        playback.pause()
        source, start = playback.source, playback.index
        first_frame = playback.frame if source.is_live else None
        worker = TrackingWorker(source, spec, box, start=start, limit=limit, first_frame=first_frame)
        worker.ready.connect(self._on_ready)
        self.history.reset(start, box)
        self.plot.clear_scores()
        self.view.set_drawing_enabled(False)
        self.view.tracked_box.set_box(box, "starting…")
        self.runner.start(worker, "tracking")
        self.notifier.info(f"Tracking from frame {start}…")
        self.runningChanged.emit(True)
        return True

    def tracker_spec(self) -> TrackerSpec | None:
        """What a run should build; None (with a message) when no tracker can be built."""
        try:
            return self.models.tracker_spec()
        except SiamTrackError as error:
            self.notifier.error("Cannot start tracking", str(error))
            return None

    def run_plan(self, plan: RunPlan, spec: TrackerSpec) -> bool:
        """Start a run over the project; its outcome comes back by runFinished."""
        if self.running or self.playback.source is None:
            return False
        self.playback.pause()
        worker = AnnotationWorker(plan.operation, self.playback.source, spec, plan.track_ids)
        worker.ready.connect(self._on_ready)
        self._plan, self._worker, self._received, self._error = plan, worker, {}, None
        self._last_readout = None
        self.history.reset(plan.start, plan.start_box)
        self.plot.clear_scores()
        self.view.set_drawing_enabled(False)
        self.runner.start(worker, "tracking")
        self.notifier.info(plan.description)
        self.runningChanged.emit(True)
        return True

    def stop(self) -> None:
        self.runner.stop()

    def clear(self) -> None:
        """Forget the last run (a new source was opened)."""
        self.stop()
        self.history.clear()
        self.plot.clear_scores()
        self.scale_maps.clear_maps()
        self.view.overlay.clear_response()
        self.readouts.show_readout(Readout())

    def _check_ready(self):
        playback = self.playback
        if playback.source is None or playback.frame is None:
            raise SiamTrackError("open a video, an image folder or a camera first")
        box = self.view.box()
        if box is None:
            raise SiamTrackError("draw a box around the object first: drag on the frame")
        validate_box(box, playback.frame.shape)
        if not playback.source.is_live and playback.index >= playback.last_index:
            raise SiamTrackError("this is the last frame: go back to where the object should be tracked from")
        return box, self.models.tracker_spec()

    # --- results ----------------------------------------------------------------------------------------
    @Slot(object)
    def _on_ready(self, info: TrackerInfo) -> None:
        self.info = info
        engine = f" on {info.engine}" if info.engine else ""
        self.notifier.info(f"Tracking with {info.name}{engine}")

    def _record(self, step: StreamStep) -> None:
        if not isinstance(step, AnnotationStep):
            self.history.add(step.index, step.result.box, step.result.score)
            return
        for track_id, record in step.records.items():
            self._received[(track_id, step.index)] = record
        first = step.records.get(self._plan.track_ids[0]) if self._plan is not None else None
        if first is not None:
            self.history.add(step.index, first.box, first.score if first.score is not None else 1.0)
        self.stepRecorded.emit(step)

    def _render(self, step: StreamStep) -> None:
        result = step.result
        self._rendering = True
        try:
            self.playback.show(step.index, step.frame)
        finally:
            self._rendering = False
        if result is not None:
            if not isinstance(step, AnnotationStep):  # runs over the project draw every object's box
                self.view.tracked_box.set_box(result.box, f"{self.info.name or 'track'}  {result.score:.2f}")
            self.view.overlay.set_response(result.response, result.search_box)
            self.scale_maps.set_maps(result.scale_maps, result.scale_index, self.info.scale_factors)
            self._last_readout = self._readout(step)
            self.readouts.show_readout(self._last_readout)
        self.plot.set_scores(*self.history.score_curve())
        self.plot.set_current_frame(step.index)
        self.resultShown.emit(step)

    def _readout(self, step: StreamStep) -> Readout:
        r = step.result
        x, y, w, h = r.box
        dropped = (
            str(step.dropped) if self.playback.source is not None and self.playback.source.is_live else EMPTY
        )
        return Readout(
            frame=str(step.index),
            score=f"{r.score:.3f}",
            scale=f"×{r.scale:.4f}",
            cumulative=f"×{self.history.cumulative_scale(r.box):.3f}",
            box=f"{x:.0f}, {y:.0f}, {w:.0f} × {h:.0f}",
            tracking_fps=f"{step.rate:.1f} fps",
            display_fps=f"{self.runner.display_fps:.1f} fps",
            dropped=dropped,
            engine=self.info.engine or self.info.name or EMPTY,
        )

    def _on_failed(self, message: str) -> None:
        self._error = message
        self.notifier.error("Tracking stopped", message)

    def _on_finished(self) -> None:
        if self._plan is not None:
            self._finish_plan()
            return
        last = self.playback.index
        box = self.history.boxes.get(last)
        if box is not None:
            self.view.set_box(box)
        self.view.tracked_box.set_box(None)
        self.view.set_drawing_enabled(True)
        count = len(self.history.boxes) - 1
        self.notifier.info(f"Tracking stopped at frame {last} ({count} frames tracked)")
        self.runningChanged.emit(False)

    def _finish_plan(self) -> None:
        plan, worker = self._plan, self._worker
        self._plan, self._worker = None, None
        outcome = RunOutcome(plan, worker.result, self._received, self._error)
        self._received, self._error = {}, None
        self.view.set_drawing_enabled(True)
        self.runFinished.emit(outcome)  # the commands apply it (one undo step) and say how it ended
        if self._last_readout is not None:  # the run's speed and scale stay in view until the frame changes
            self.readouts.show_readout(self._last_readout)
        self.runningChanged.emit(False)

    def _on_frame_shown(self, index: int) -> None:
        """Browsing (not tracking): the box follows the tracked boxes, the readouts show that frame."""
        if self.running or self._rendering:
            return
        self.view.overlay.clear_response()
        self.plot.set_current_frame(index)
        if self.annotating:  # the annotation views show the objects' boxes and readouts
            return
        box = self.history.boxes.get(index)
        if box is not None:
            self.view.set_box(box)
        score = self.history.scores.get(index)
        self.readouts.show_readout(
            Readout(
                frame=str(index),
                score=EMPTY if score is None else f"{score:.3f}",
                box=EMPTY if box is None else "{:.0f}, {:.0f}, {:.0f} × {:.0f}".format(*box),
                cumulative=EMPTY if box is None else f"×{self.history.cumulative_scale(box):.3f}",
                engine=self.info.engine or EMPTY,
            )
        )
