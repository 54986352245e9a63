"""The frame shown and how the user moves through the source: seek, step, play/pause.

Single frames are read by a FrameLoader thread (only the newest request is served), playback streams frames
from a PlaybackWorker; the GUI thread never decodes.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QObject, Signal, Slot

from app.controllers.stream import StreamRunner
from app.views.frame_view import FrameView
from app.views.notifier import Notifier
from app.views.transport_bar import TransportBar
from app.workers.frame_loader import FrameLoader
from app.workers.playback_worker import PlaybackWorker
from app.workers.threads import WorkerThread
from core.sources.base import FrameSource

BIG_STEP = 10


class PlaybackController(QObject):
    frameShown = Signal(int)  # index of the frame now in the view
    playingChanged = Signal(bool)

    def __init__(
        self, view: FrameView, transport: TransportBar, notifier: Notifier, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.view = view
        self.transport = transport
        self.notifier = notifier
        self.source: FrameSource | None = None
        self.index = -1
        self.frame: np.ndarray | None = None
        self._loader: FrameLoader | None = None
        self._loader_thread: WorkerThread | None = None
        self._player = StreamRunner(render=lambda step: self.show(step.index, step.frame), parent=self)
        self._player.failed.connect(lambda message: self.notifier.error("Playback stopped", message))
        self._player.finished.connect(lambda: self.playingChanged.emit(False))
        transport.seekRequested.connect(self.seek)

    # --- the source -------------------------------------------------------------------------------------
    def set_source(self, source: FrameSource | None) -> None:
        """Show a new source (or none); the caller closes the old one after this returns."""
        self.release()
        self.source, self.index, self.frame = source, -1, None
        if source is None:
            self.view.clear()
            self.transport.set_range(0)
            return
        self.transport.set_range(source.frame_count)
        if source.is_live:
            self.play()
        else:
            self._start_loader(source)
            self.seek(0)

    def release(self) -> None:
        """Stop playing and end the loader thread (before the source is closed)."""
        self._player.stop()
        if self._loader_thread is not None:
            self._loader_thread.stop()
            self._loader, self._loader_thread = None, None

    @property
    def seekable(self) -> bool:
        return self.source is not None and not self.source.is_live

    @property
    def playing(self) -> bool:
        return self._player.running

    @property
    def last_index(self) -> int:
        return (self.source.frame_count or 1) - 1 if self.source is not None else -1

    # --- navigation -------------------------------------------------------------------------------------
    def seek(self, index: int) -> None:
        if not self.seekable or self._loader is None:
            return
        self.pause()
        index = int(np.clip(index, 0, self.last_index))
        self._loader.request(index)

    def step(self, delta: int) -> None:
        self.seek(self.index + delta)

    def step_back(self) -> None:
        self.step(-1)

    def step_forward(self) -> None:
        self.step(1)

    def jump_back(self) -> None:
        self.step(-BIG_STEP)

    def jump_forward(self) -> None:
        self.step(BIG_STEP)

    def first(self) -> None:
        self.seek(0)

    def last(self) -> None:
        self.seek(self.last_index)

    def toggle_play(self) -> None:
        if self.playing:
            self.pause()
        else:
            self.play()

    def play(self) -> None:
        if self.source is None or self.playing:
            return
        start = 0 if self.source.is_live or self.index >= self.last_index else max(self.index + 1, 0)
        self._player.start(PlaybackWorker(self.source, start), "playback")
        self.playingChanged.emit(True)

    def pause(self) -> None:
        if self.playing:
            self._player.stop()

    # --- drawing ----------------------------------------------------------------------------------------
    def show(self, index: int, frame: np.ndarray) -> None:
        """Put frame `index` in the view (from the loader, playback, or a tracking run)."""
        self.index, self.frame = index, frame
        self.view.set_frame(frame)
        self.transport.set_position(index, self.source.fps if self.source is not None else None)
        self.frameShown.emit(index)

    def _start_loader(self, source: FrameSource) -> None:
        self._loader = FrameLoader(source)
        self._loader.loaded.connect(self._on_loaded)
        self._loader.failed.connect(self._on_load_failed)
        self._loader_thread = WorkerThread(self._loader, "frame loader")
        self._loader_thread.start()

    @Slot(int, object)
    def _on_loaded(self, index: int, frame: np.ndarray) -> None:
        if self.sender() is self._loader:
            self.show(index, frame)

    @Slot(int, str)
    def _on_load_failed(self, index: int, message: str) -> None:
        if self.sender() is self._loader:
            self.notifier.error(f"Cannot show frame {index}", message)

    @property
    def player(self) -> StreamRunner:
        return self._player
