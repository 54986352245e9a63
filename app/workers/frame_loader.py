"""Reading single frames for navigation off the GUI thread; only the newest request is served."""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject, Signal

from app.workers.errors import describe_error
from core.sources.base import FrameSource


class FrameLoader(QObject):
    loaded = Signal(int, object)  # index, RGB frame
    failed = Signal(int, str)  # index, one line for the user
    finished = Signal()

    def __init__(self, source: FrameSource) -> None:
        super().__init__()
        self.source = source
        self._condition = threading.Condition()
        self._wanted: int | None = None
        self._stopping = False

    def request(self, index: int) -> None:
        """Ask for frame `index`; replaces a request that has not been served yet. Any thread."""
        with self._condition:
            self._wanted = index
            self._condition.notify()

    def request_stop(self) -> None:
        with self._condition:
            self._stopping = True
            self._condition.notify()

    def run(self) -> None:
        while (index := self._next_request()) is not None:
            try:
                frame = self.source.read(index)
            except Exception as error:  # noqa: BLE001 (reported; the loader goes on)
                self.failed.emit(index, describe_error(error))
            else:
                self.loaded.emit(index, frame)
        self.finished.emit()

    def _next_request(self) -> int | None:
        with self._condition:
            self._condition.wait_for(lambda: self._stopping or self._wanted is not None)
            if self._stopping:
                return None
            index, self._wanted = self._wanted, None
            return index
