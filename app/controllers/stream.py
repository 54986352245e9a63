"""Running a StreamWorker and drawing only its newest step.

Every step is handed to `record` (cheap bookkeeping, in order) and acknowledged at once, so the worker keeps
going; drawing happens later, from the event loop, and only for the newest step received by then: when
steps arrive faster than the window paints, the ones in between are skipped for display.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from app.workers.stream_worker import RateMeter, StreamStep, StreamWorker
from app.workers.threads import WorkerThread


class _Run(QObject):
    """One worker's connection to the runner, on the GUI thread; stale runs are recognised by identity."""

    def __init__(self, runner: StreamRunner, worker: StreamWorker, name: str) -> None:
        super().__init__()  # owned by Python (the runner's references), never deleted from under a slot
        self.runner, self.worker = runner, worker
        self.thread = WorkerThread(worker, name)
        worker.step.connect(self.on_step)
        worker.failed.connect(self.on_failed)
        worker.finished.connect(self.on_finished)

    @Slot(object)
    def on_step(self, step: StreamStep) -> None:
        self.runner.receive(self, step)

    @Slot(str)
    def on_failed(self, message: str) -> None:
        self.runner.report_failure(self, message)

    @Slot()
    def on_finished(self) -> None:
        self.runner.end(self)


class StreamRunner(QObject):
    started = Signal()
    stepRendered = Signal(object)  # the StreamStep just drawn
    failed = Signal(str)
    finished = Signal()  # the worker has ended (by itself, by stop() or after a failure)

    def __init__(
        self,
        render: Callable[[StreamStep], None],
        record: Callable[[StreamStep], None] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._render = render
        self._record = record
        self._run: _Run | None = None
        self._retired: _Run | None = None  # the last ended run, kept until the next one ends
        self._latest: StreamStep | None = None
        self._draw_timer = QTimer(self)  # owned, so a pending draw dies with the runner
        self._draw_timer.setSingleShot(True)
        self._draw_timer.setInterval(0)
        self._draw_timer.timeout.connect(self._draw_latest)
        self._display_rate = RateMeter()
        self.display_fps = 0.0
        self.steps_received = 0
        self.steps_drawn = 0

    @property
    def running(self) -> bool:
        return self._run is not None

    @property
    def worker(self) -> StreamWorker | None:
        return None if self._run is None else self._run.worker

    def start(self, worker: StreamWorker, name: str) -> None:
        self.stop()
        self._latest, self.steps_received, self.steps_drawn = None, 0, 0
        self._display_rate = RateMeter()
        self._run = _Run(self, worker, name)
        self._run.thread.start()
        self.started.emit()

    def stop(self) -> None:
        """Stop the worker and join its thread; the newest step received is still drawn."""
        if self._run is not None:
            run, self._run = self._run, None
            run.thread.stop()
            self._finish(run)

    # --- from the run (GUI thread) ----------------------------------------------------------------------
    def receive(self, run: _Run, step: StreamStep) -> None:
        run.worker.acknowledge()
        if run is not self._run:
            return
        self.steps_received += 1
        if self._record is not None:
            self._record(step)
        self._latest = step
        if not self._draw_timer.isActive():
            self._draw_timer.start()

    def report_failure(self, run: _Run, message: str) -> None:
        if run is self._run:
            self.failed.emit(message)

    def end(self, run: _Run) -> None:
        if run is self._run:
            self._run = None
            run.thread.stop()
            self._finish(run)

    def _finish(self, run: _Run) -> None:
        self._retired = run  # may be inside one of its slots now: released when the next run ends
        self._draw_latest()
        self.finished.emit()

    def _draw_latest(self) -> None:
        self._draw_timer.stop()
        step, self._latest = self._latest, None
        if step is None:
            return
        self.display_fps = self._display_rate.tick()
        self.steps_drawn += 1
        self._render(step)
        self.stepRendered.emit(step)
