"""The user's settings (QSettings, INI format) over the defaults in resources/settings/defaults.json."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QSettings

from app.resources import default_settings_path
from core.config import from_mapping

ORGANIZATION = "SiamTrack"
APPLICATION = "SiamTrack"
BUNDLED_MODEL = ""  # how the bundled default model is stored as the chosen model


@dataclass(frozen=True)
class Defaults:
    window_width: int = 1480
    window_height: int = 940
    tracker: str = "siamfc"
    preset: str = "3s"
    device: str = "auto"
    engine: str = "auto"
    overlay_visible: bool = True
    overlay_opacity: float = 0.45
    overlay_colormap: str = "inferno"
    max_recent_sources: int = 10
    autosave_interval_s: float = 5.0
    run_length: str = "keyframe"  # how far Track goes: one of RUN_LENGTHS
    run_frames: int = 50
    run_min_score: float = 0.3


def load_defaults(path: Path | None = None) -> Defaults:
    path = path or default_settings_path()
    if not path.is_file():
        return Defaults()
    return from_mapping(Defaults, json.loads(path.read_text(encoding="utf-8")))


RUN_LENGTHS = ("keyframe", "frames", "score")


@dataclass(frozen=True)
class RunLength:
    """How far a tracking run goes: to the next keyframe (or the video's end), at most `frames` frames, or
    while the score stays at or above `min_score` (a run always stops at the next manual keyframe)."""

    mode: str = "keyframe"
    frames: int = 50
    min_score: float = 0.3

    def __post_init__(self) -> None:
        if self.mode not in RUN_LENGTHS:
            object.__setattr__(self, "mode", "keyframe")
        object.__setattr__(self, "frames", max(1, int(self.frames)))
        object.__setattr__(self, "min_score", min(max(float(self.min_score), 0.0), 1.0))


@dataclass(frozen=True)
class TrackerChoice:
    """The tracker the user picked in the window; model "" is the bundled model."""

    tracker: str = "siamfc"
    model: str = BUNDLED_MODEL
    preset: str = "3s"
    device: str = "auto"
    engine: str = "auto"

    @property
    def model_path(self) -> Path | None:
        return Path(self.model) if self.model else None


class AppSettings:
    """Typed access to the few things SiamTrack remembers between runs."""

    def __init__(self, store: QSettings | None = None, defaults: Defaults | None = None) -> None:
        self.store = store or QSettings(
            QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANIZATION, APPLICATION
        )
        self.defaults = defaults or load_defaults()

    # --- recent sources ---------------------------------------------------------------------------------
    def recent_sources(self) -> list[str]:
        return self._list("recent/sources")

    def add_recent_source(self, spec: str) -> list[str]:
        recent = [spec, *(s for s in self.recent_sources() if s != spec)][: self.defaults.max_recent_sources]
        self.store.setValue("recent/sources", recent)
        return recent

    def clear_recent_sources(self) -> None:
        self.store.setValue("recent/sources", [])

    # --- tracker and models -----------------------------------------------------------------------------
    def tracker_choice(self) -> TrackerChoice:
        d = self.defaults
        return TrackerChoice(
            tracker=str(self.store.value("tracker/name", d.tracker)),
            model=str(self.store.value("tracker/model", BUNDLED_MODEL)),
            preset=str(self.store.value("tracker/preset", d.preset)),
            device=str(self.store.value("tracker/device", d.device)),
            engine=str(self.store.value("tracker/engine", d.engine)),
        )

    def set_tracker_choice(self, choice: TrackerChoice) -> None:
        for key, value in (
            ("name", choice.tracker),
            ("model", choice.model),
            ("preset", choice.preset),
            ("device", choice.device),
            ("engine", choice.engine),
        ):
            self.store.setValue(f"tracker/{key}", value)

    def imported_models(self) -> list[str]:
        return self._list("models/imported")

    def add_imported_model(self, path: str) -> list[str]:
        models = [path, *(m for m in self.imported_models() if m != path)][:10]
        self.store.setValue("models/imported", models)
        return models

    # --- score-map overlay ------------------------------------------------------------------------------
    def overlay(self) -> tuple[bool, float, str]:
        d = self.defaults
        visible = _as_bool(self.store.value("overlay/visible", d.overlay_visible))
        opacity = float(self.store.value("overlay/opacity", d.overlay_opacity))
        colormap = str(self.store.value("overlay/colormap", d.overlay_colormap))
        return visible, opacity, colormap

    def set_overlay(self, visible: bool, opacity: float, colormap: str) -> None:
        self.store.setValue("overlay/visible", visible)
        self.store.setValue("overlay/opacity", opacity)
        self.store.setValue("overlay/colormap", colormap)

    # --- annotation --------------------------------------------------------------------------------------
    def run_length(self) -> RunLength:
        d = self.defaults
        try:
            return RunLength(
                str(self.store.value("annotation/run_length", d.run_length)),
                int(self.store.value("annotation/run_frames", d.run_frames)),
                float(self.store.value("annotation/run_min_score", d.run_min_score)),
            )
        except (TypeError, ValueError):  # a hand-edited settings file
            return RunLength(d.run_length, d.run_frames, d.run_min_score)

    def set_run_length(self, run: RunLength) -> None:
        self.store.setValue("annotation/run_length", run.mode)
        self.store.setValue("annotation/run_frames", run.frames)
        self.store.setValue("annotation/run_min_score", run.min_score)

    def retrack_after_correction(self) -> bool:
        return _as_bool(self.store.value("annotation/retrack_after_correction", False))

    def set_retrack_after_correction(self, on: bool) -> None:
        self.store.setValue("annotation/retrack_after_correction", on)

    # --- window layout ----------------------------------------------------------------------------------
    def window_state(self) -> tuple[QByteArray | None, QByteArray | None]:
        return self.store.value("window/geometry"), self.store.value("window/state")

    def set_window_state(self, geometry: QByteArray, state: QByteArray) -> None:
        self.store.setValue("window/geometry", geometry)
        self.store.setValue("window/state", state)

    def sync(self) -> None:
        self.store.sync()

    def _list(self, key: str) -> list[str]:
        value: Any = self.store.value(key, [])
        if value is None:
            return []
        if isinstance(value, str):  # QSettings returns a one-element list as a plain string
            return [value] if value else []
        return [str(v) for v in value]


def _as_bool(value: Any) -> bool:
    if isinstance(value, str):
        return value.lower() in ("true", "1", "yes")
    return bool(value)
