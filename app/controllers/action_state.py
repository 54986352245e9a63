"""Which commands are available now: navigation while no tracking runs, Track once there is a box, …"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction

from app.controllers.playback import PlaybackController
from app.controllers.tracking import TrackingController
from app.resources import icon
from app.views.frame_view import FrameView
from app.views.menus import NAVIGATION
from app.views.model_panel import ModelPanel
from app.views.transport_bar import TransportBar

OPENING = ("open_video", "open_folder", "open_camera", "import_weights")


class ActionState(QObject):
    updated = Signal()  # after every update: others' commands follow the same moments

    def __init__(
        self,
        actions: dict[str, QAction],
        playback: PlaybackController,
        tracking: TrackingController,
        view: FrameView,
        transport: TransportBar,
        panel: ModelPanel,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.actions, self.playback, self.tracking = actions, playback, tracking
        self.view, self.transport, self.panel = view, transport, panel
        self.track_ready: Callable[[], bool] | None = None  # replaces "a box is drawn" when set
        playback.frameShown.connect(self.update)
        playback.playingChanged.connect(self._show_playing)
        tracking.runningChanged.connect(self._on_tracking_changed)
        view.boxChanged.connect(self.update)

    def update(self, *_: object) -> None:
        a, playback = self.actions, self.playback
        tracking = self.tracking.running
        has_box = self.view.box() is not None
        seekable = playback.seekable and not tracking
        for name in NAVIGATION:
            a[name].setEnabled(seekable)
        a["play"].setEnabled(playback.source is not None and not tracking)
        ready = self.track_ready() if self.track_ready is not None else has_box
        a["track"].setEnabled(playback.frame is not None and not tracking and ready)
        a["stop"].setEnabled(tracking)
        a["clear_box"].setEnabled(not tracking and has_box)
        self.transport.set_seek_enabled(seekable)
        for name in OPENING:
            a[name].setEnabled(not tracking)
        self.updated.emit()

    def _on_tracking_changed(self, running: bool) -> None:
        self.panel.set_locked(running)
        self.update()

    def _show_playing(self, playing: bool) -> None:
        play = self.actions["play"]
        play.setIcon(icon("pause" if playing else "play"))
        play.setText("Pause" if playing else "Play")
        self.update()
