"""Tools → Evaluate… on a worker thread: plan the trackers, load the sequences, run (or fetch from the cache)
every run, write the HTML report. Progress comes back by signal at a bounded rate; a stop request ends
the work at the next tracked frame."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from app.workers.errors import describe_error
from core.evaluation import (
    DEFAULT_ENGINE,
    EvaluationCancelled,
    RunCache,
    TrackerEntry,
    baseline_entry,
    evaluate,
    load_sequences,
    siamfc_entry,
    write_outputs,
)

PROGRESS_INTERVAL_S = 0.1  # at most ten progress signals a second, however fast the trackers are
REPORT_FILE = "report.html"


@dataclass(frozen=True)
class EvaluationRequest:
    sequences: tuple[Path, ...]  # sequence folders, or folders of them
    protocols: tuple[str, ...]
    trackers: tuple[str, ...]  # "siamfc" uses `model` (None: the bundled model), the others need none
    output_dir: Path
    cache_dir: Path | None  # None: nothing cached
    model: Path | None = None
    preset: str = "3s"
    device: str = "auto"
    engine: str = DEFAULT_ENGINE  # the reference path: scores do not depend on the machine

    def tracker_entries(self) -> list[TrackerEntry]:
        entries = []
        for name in self.trackers:
            if name == "siamfc":
                label = "siamfc" if self.model is None else f"siamfc ({self.model.stem})"
                entries.append(siamfc_entry(label, self.model, self.preset, self.device, self.engine))
            else:
                entries.append(baseline_entry(name))
        return entries


class EvaluationWorker(QObject):
    progress = Signal(int, int, str)  # frames done, frames in all, what runs now
    done = Signal(object)  # Path of report.html
    failed = Signal(str)
    cancelled = Signal()
    finished = Signal()

    def __init__(self, request: EvaluationRequest) -> None:
        super().__init__()
        self.request = request
        self._stop = threading.Event()
        self._last_report = 0.0

    def request_stop(self) -> None:
        self._stop.set()

    def run(self) -> None:
        try:
            report = self._evaluate()
        except EvaluationCancelled:
            self.cancelled.emit()
        except Exception as error:  # noqa: BLE001 (reported to the window, which tells the user)
            self.failed.emit(describe_error(error))
        else:
            self.done.emit(report)
        finally:
            self.finished.emit()

    def _evaluate(self) -> Path:
        r = self.request
        self.progress.emit(0, 0, "Loading the sequences…")
        entries = r.tracker_entries()
        sequences = load_sequences(r.sequences)
        self._check_stop()
        cache = RunCache(r.cache_dir) if r.cache_dir is not None else None
        result = evaluate(entries, sequences, r.protocols, cache, self._report, self._stop.is_set)
        self.progress.emit(1, 1, "Writing the report…")
        write_outputs(result, report_dir=r.output_dir)
        return r.output_dir / REPORT_FILE

    def _report(self, done: int, total: int, what: str) -> None:
        now = time.monotonic()
        if done >= total or now - self._last_report >= PROGRESS_INTERVAL_S:
            self._last_report = now
            self.progress.emit(done, total, what)

    def _check_stop(self) -> None:
        if self._stop.is_set():
            raise EvaluationCancelled("evaluation stopped")
