"""The training run as a child process: started, read line by line, stopped cleanly, never left behind.

Standard output carries one JSON object per line (trainer.events); anything else on it, and all of
standard error, goes to the log. A stop sends SIGTERM (the trainer finishes the step, keeps the last
complete epoch's files and exits with 143) and kills the process if it has not ended after a grace time.
"""

from __future__ import annotations

import json
from collections import deque
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, QProcess, QProcessEnvironment, QTimer, Signal

from app.controllers.training_options import trainer_command

STOP_GRACE_MS = 20_000  # after SIGTERM, before the kill
SHUTDOWN_GRACE_MS = 10_000  # the same when the window closes (the user is waiting)
STOPPED_EXIT_CODES = (143, 130)  # SIGTERM, Ctrl-C: stopped after the last complete epoch
STDERR_TAIL_LINES = 40
ERROR_LINES = 6  # of stderr, shown when a run fails without an error event


class LineBuffer:
    """Bytes in, complete lines out; a partial last line waits for the rest."""

    def __init__(self) -> None:
        self._pending = b""

    def feed(self, data: bytes) -> list[str]:
        *lines, self._pending = (self._pending + data).split(b"\n")
        return [_decode(line) for line in lines]

    def flush(self) -> list[str]:
        rest, self._pending = self._pending, b""
        return [_decode(rest)] if rest.strip() else []


def parse_event(line: str) -> dict[str, Any] | None:
    """The event of one stdout line, or None when the line is not one of the trainer's JSON objects."""
    if not line.startswith("{"):
        return None
    try:
        record = json.loads(line)
    except ValueError:
        return None
    return record if isinstance(record, dict) and isinstance(record.get("event"), str) else None


@dataclass(frozen=True)
class RunEnd:
    outcome: str  # "done", "stopped" or "failed"
    exit_code: int | None  # None: the process did not start, or died from a signal
    message: str = ""  # for "failed": what went wrong, in the trainer's words where it said any


class TrainingProcess(QObject):
    eventReceived = Signal(dict)
    logLine = Signal(str, bool)  # text, is_error (stderr)
    runningChanged = Signal(bool)
    ended = Signal(object)  # RunEnd

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._process: QProcess | None = None
        self._stdout = LineBuffer()
        self._stderr = LineBuffer()
        self.stderr_tail: deque[str] = deque(maxlen=STDERR_TAIL_LINES)
        self.error_event: str | None = None
        self.stop_requested = False
        self._kill_timer = QTimer(self)
        self._kill_timer.setSingleShot(True)
        self._kill_timer.timeout.connect(self._kill)

    @property
    def running(self) -> bool:
        return self._process is not None

    @property
    def pid(self) -> int | None:
        return None if self._process is None else int(self._process.processId())

    def start(self, arguments: list[str]) -> None:
        if self._process is not None:
            raise RuntimeError("a training run is already active")
        program, leading = trainer_command()
        process = QProcess(self)
        environment = QProcessEnvironment.systemEnvironment()
        environment.insert("OMP_WAIT_POLICY", "PASSIVE")  # spinning OpenMP threads stall every step
        environment.insert("PYTHONUNBUFFERED", "1")
        process.setProcessEnvironment(environment)
        process.setProgram(program)
        process.setArguments([*leading, *arguments])
        process.readyReadStandardOutput.connect(self._read_stdout)
        process.readyReadStandardError.connect(self._read_stderr)
        process.finished.connect(self._on_finished)
        process.errorOccurred.connect(self._on_error)
        self._stdout, self._stderr = LineBuffer(), LineBuffer()
        self.stderr_tail.clear()
        self.error_event = None
        self.stop_requested = False
        self._process = process
        self.runningChanged.emit(True)
        process.start()

    def stop(self, grace_ms: int = STOP_GRACE_MS) -> None:
        """Ask the run to stop (SIGTERM); it is killed if it is still there after grace_ms."""
        if self._process is None or self.stop_requested:
            return
        self.stop_requested = True
        self._process.terminate()
        self._kill_timer.start(grace_ms)

    def shutdown(self, grace_ms: int = SHUTDOWN_GRACE_MS) -> None:
        """Stop the run and wait for the process to end (blocking): nothing is left running."""
        process = self._process
        if process is None:
            return
        self.stop_requested = True
        process.terminate()
        if not process.waitForFinished(grace_ms):
            process.kill()
            process.waitForFinished(5_000)
        if self._process is process:  # finished was not delivered while waiting
            self._on_finished(process.exitCode(), process.exitStatus())

    def _kill(self) -> None:
        if self._process is not None:
            self.logLine.emit("The run did not stop in time and was killed.", True)
            self._process.kill()

    # --- output -----------------------------------------------------------------------------------------
    def _read_stdout(self) -> None:
        if self._process is not None:
            self._handle_stdout(self._stdout.feed(self._process.readAllStandardOutput().data()))

    def _read_stderr(self) -> None:
        if self._process is not None:
            self._handle_stderr(self._stderr.feed(self._process.readAllStandardError().data()))

    def _handle_stdout(self, lines: list[str]) -> None:
        for line in lines:
            event = parse_event(line)
            if event is None:
                if line.strip():
                    self.logLine.emit(line, False)
                continue
            if event["event"] == "error":
                self.error_event = str(event.get("message", ""))
            self.eventReceived.emit(event)

    def _handle_stderr(self, lines: list[str]) -> None:
        for line in lines:
            if line.strip():
                self.stderr_tail.append(line)
                self.logLine.emit(line, True)

    # --- the end ----------------------------------------------------------------------------------------
    def _on_error(self, error: QProcess.ProcessError) -> None:
        if error == QProcess.ProcessError.FailedToStart and self._process is not None:
            program = self._process.program()
            self._finish(RunEnd("failed", None, f"cannot start {program}: {self._process.errorString()}"))

    def _on_finished(self, exit_code: int, status: QProcess.ExitStatus) -> None:
        process = self._process
        if process is None:
            return
        self._handle_stdout(self._stdout.feed(process.readAllStandardOutput().data()) + self._stdout.flush())
        self._handle_stderr(self._stderr.feed(process.readAllStandardError().data()) + self._stderr.flush())
        crashed = status == QProcess.ExitStatus.CrashExit
        self._finish(self._outcome(None if crashed else exit_code))

    def _outcome(self, exit_code: int | None) -> RunEnd:
        if exit_code == 0:
            return RunEnd("done", 0)
        if exit_code in STOPPED_EXIT_CODES or (exit_code is None and self.stop_requested):
            return RunEnd("stopped", exit_code)
        return RunEnd("failed", exit_code, self._failure_message(exit_code))

    def _failure_message(self, exit_code: int | None) -> str:
        if self.error_event:
            return self.error_event
        tail = "\n".join(list(self.stderr_tail)[-ERROR_LINES:])
        how = "was killed by a signal" if exit_code is None else f"ended with exit code {exit_code}"
        return f"The training process {how}." + (f"\n{tail}" if tail else "")

    def _finish(self, end: RunEnd) -> None:
        process, self._process = self._process, None
        self._kill_timer.stop()
        if process is not None:
            process.deleteLater()
        self.runningChanged.emit(False)
        self.ended.emit(end)


def _decode(line: bytes) -> str:
    return line.decode("utf-8", errors="replace").rstrip("\r")
