"""The score-map overlay's look (on/off, opacity, colormap), remembered between runs."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction

from app.settings import AppSettings
from app.views.overlay_controls import OverlayControls
from app.views.scale_maps import ScaleMapsView
from app.views.score_overlay import ScoreMapOverlay


class OverlayController(QObject):
    def __init__(
        self,
        overlay: ScoreMapOverlay,
        scale_maps: ScaleMapsView,
        controls: OverlayControls,
        toggle: QAction,
        settings: AppSettings,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.overlay, self.scale_maps, self.controls = overlay, scale_maps, controls
        self.toggle, self.settings = toggle, settings
        visible, opacity, colormap = settings.overlay()
        controls.set_values(opacity, colormap)
        toggle.setChecked(visible)
        self._apply()
        toggle.toggled.connect(self._changed)
        controls.changed.connect(self._changed)

    def _changed(self, *_: object) -> None:
        self._apply()
        self.settings.set_overlay(self.toggle.isChecked(), self.controls.opacity(), self.controls.colormap())

    def _apply(self) -> None:
        self.overlay.set_enabled(self.toggle.isChecked())
        self.overlay.setOpacity(self.controls.opacity())
        self.overlay.set_colormap(self.controls.colormap())
        self.scale_maps.set_colormap(self.controls.colormap())
        self.controls.setEnabled(self.toggle.isChecked())
