"""Running a worker object on its own QThread, and stopping it with a join that cannot hang forever."""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import QObject, Qt, QThread, SignalInstance

JOIN_TIMEOUT_MS = 10_000


class StoppableWorker(Protocol):
    finished: SignalInstance

    def run(self) -> None: ...

    def request_stop(self) -> None: ...


class WorkerThread:
    """Owns one QThread running `worker.run()`, which must return soon after request_stop()."""

    def __init__(self, worker: QObject, name: str) -> None:
        self.worker = worker
        self.thread = QThread()
        self.thread.setObjectName(name)
        worker.moveToThread(self.thread)
        self.thread.started.connect(worker.run)
        # direct: quit() runs in the worker's thread as run() ends, even while the GUI thread is busy joining
        worker.finished.connect(self.thread.quit, Qt.ConnectionType.DirectConnection)

    def start(self) -> None:
        self.thread.start()

    @property
    def running(self) -> bool:
        return self.thread.isRunning()

    def stop(self, timeout_ms: int = JOIN_TIMEOUT_MS) -> bool:
        """Ask the worker to stop and wait for its thread; False when it did not end in time."""
        self.worker.request_stop()
        self.thread.quit()
        return self.thread.wait(timeout_ms)
