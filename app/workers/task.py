"""One-off background calls (opening a source, loading a model) whose result or error comes back by signal."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot

from app.workers.errors import describe_error
from app.workers.threads import WorkerThread


class Task(QObject):
    done = Signal(object)
    failed = Signal(str)
    finished = Signal()

    def __init__(self, function: Callable[[], Any]) -> None:
        super().__init__()
        self._function = function

    def request_stop(self) -> None:
        """A call cannot be interrupted; the join waits for it to return."""

    def run(self) -> None:
        try:
            result = self._function()
        except Exception as error:  # noqa: BLE001 (reported to the caller, who tells the user)
            self.failed.emit(describe_error(error))
        else:
            self.done.emit(result)
        finally:
            self.finished.emit()


class _Relay(QObject):
    """Lives on the GUI thread, so the caller's callbacks run there (queued from the task's thread).
    Owned by the runner's lists, never deleted while one of its slots runs."""

    def __init__(
        self,
        runner: TaskRunner,
        thread: WorkerThread,
        on_done: Callable[[Any], None],
        on_failed: Callable[[str], None],
    ) -> None:
        super().__init__()
        self.runner, self.thread = runner, thread
        self._on_done, self._on_failed = on_done, on_failed

    @Slot(object)
    def done(self, result: Any) -> None:
        if not self.runner.closed:
            self._on_done(result)

    @Slot(str)
    def failed(self, message: str) -> None:
        if not self.runner.closed:
            self._on_failed(message)

    @Slot()
    def finished(self) -> None:
        self.thread.thread.wait()  # run() has returned: only the thread's exit remains
        self.runner.retire(self)


class TaskRunner(QObject):
    """Starts tasks and keeps them until they end, so that shutdown() can join every one of them."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._active: list[_Relay] = []
        self._ended: list[_Relay] = []
        self.closed = False

    def submit(
        self,
        name: str,
        function: Callable[[], Any],
        on_done: Callable[[Any], None],
        on_failed: Callable[[str], None],
    ) -> None:
        self._ended.clear()  # their slots have all returned by now
        task = Task(function)
        relay = _Relay(self, WorkerThread(task, name), on_done, on_failed)
        task.done.connect(relay.done)
        task.failed.connect(relay.failed)
        task.finished.connect(relay.finished)
        self._active.append(relay)
        relay.thread.start()

    @property
    def busy(self) -> bool:
        return bool(self._active)

    def shutdown(self) -> None:
        """Join every task; results that arrive afterwards are dropped."""
        self.closed = True
        for relay in self._active:
            relay.thread.stop()

    def retire(self, relay: _Relay) -> None:
        if relay in self._active:
            self._active.remove(relay)
            self._ended.append(relay)
