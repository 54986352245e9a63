"""The tracker the user chose (kind, model, preset, device, engine): remembered, checked, preloaded.

Models load on a worker thread as soon as they are chosen, so problems show before tracking starts and the
first tracking run does not wait for them.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import torch
from PySide6.QtCore import QObject, Signal

from app.settings import AppSettings, TrackerChoice
from app.views.model_panel import ModelPanel
from app.workers.task import TaskRunner
from app.workers.tracking_worker import TrackerSpec
from core.config import PRESETS
from core.engines.onnx_engine import onnxruntime_available
from core.errors import WeightsError
from core.models import LOADERS, Model, load_model
from core.resources import bundled_model_path
from core.tracking import TRACKER_NAMES

NO_MODEL_MESSAGE = (
    "No trained model is loaded. Import one with File → Import weights… (a .mat, .pth or .safetensors file) "
    "or on the command line with `siamtrack import-weights FILE --out MODEL.safetensors`; "
    "the OpenCV trackers (CSRT, KCF, MIL) need no model."
)
NETWORK_TRACKERS = ("siamfc",)
USER_TRACKERS = tuple(name for name in TRACKER_NAMES if name != "identity")
DEVICES = ("auto", "cpu", "cuda")
WEIGHTS_FILTER = "Weights ({})".format(" ".join(f"*{suffix}" for suffix in LOADERS))


class ModelController(QObject):
    modelReady = Signal(object)  # Model, after a successful preload
    modelFailed = Signal(str)

    def __init__(
        self, panel: ModelPanel, settings: AppSettings, tasks: TaskRunner, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.panel = panel
        self.settings = settings
        self.tasks = tasks
        self._model: Model | None = None
        self._model_key: str | None = None
        self._loading: str | None = None
        self._error: str | None = None
        self.choice = settings.tracker_choice()
        panel.set_models(settings.imported_models(), bundled_model_path() is not None)
        panel.set_device_available("cuda", torch.cuda.is_available(), "No CUDA device on this machine")
        panel.set_engine_available("cuda", torch.cuda.is_available(), "No CUDA device on this machine")
        panel.set_engine_available("onnxruntime", onnxruntime_available(), "ONNX Runtime is not installed")
        panel.set_choice(self.choice)
        self.choice = panel.choice()  # whatever the panel could represent (unknown values fall back)
        panel.choiceChanged.connect(self.set_choice)
        self._preload()

    @property
    def needs_model(self) -> bool:
        return self.choice.tracker in NETWORK_TRACKERS

    @property
    def loading(self) -> bool:
        return self._loading is not None

    def set_choice(self, choice: TrackerChoice, remember: bool = True) -> None:
        self.choice = choice
        if remember:
            self.settings.set_tracker_choice(choice)
        self.panel.set_choice(choice)
        self._preload()

    def update_choice(self, remember: bool = True, **changes: str) -> None:
        """Change some fields: `update_choice(tracker="csrt")`; command-line choices are not remembered."""
        self.set_choice(replace(self.choice, **changes), remember)

    def use_weights(self, path: str | Path) -> None:
        """Add a weights file to the model list and choose it (File → Import weights…)."""
        path = str(Path(path).resolve())
        self.panel.set_models(self.settings.add_imported_model(path), bundled_model_path() is not None)
        self.update_choice(model=path)

    def tracker_spec(self) -> TrackerSpec:
        """What a tracking run should build; raises WeightsError when SiamFC has no model to use."""
        c = self.choice
        if not self.needs_model:
            return TrackerSpec(c.tracker, None, c.preset, c.device, c.engine)
        if c.model_path is None and bundled_model_path() is None:
            raise WeightsError(NO_MODEL_MESSAGE)
        model = self._model if self._model_key == c.model else c.model_path
        return TrackerSpec(c.tracker, model, c.preset, c.device, c.engine)

    def _preload(self) -> None:
        if not self.needs_model:
            self.panel.set_status(
                f"{self.choice.tracker.upper()} runs on the CPU and needs no model.", "info"
            )
            return
        key = self.choice.model
        if key == self._model_key and self._model is not None:
            self._show_ready(self._model)
            return
        if key == self._loading:
            return
        if not key and bundled_model_path() is None:
            self._error = NO_MODEL_MESSAGE
            self.panel.set_status(NO_MODEL_MESSAGE, "error")
            return
        self._loading = key
        self.panel.set_status(f"Loading {Path(key).name if key else 'the bundled model'}…", "busy")
        path = Path(key) if key else None
        self.tasks.submit(
            "model loader",
            lambda: load_model(path),
            lambda model: self._on_loaded(key, model),
            lambda message: self._on_failed(key, message),
        )

    def _on_loaded(self, key: str, model: Model) -> None:
        self._loading = None if self._loading == key else self._loading
        self._model, self._model_key, self._error = model, key, None
        if key == self.choice.model:
            self._show_ready(model)
        self.modelReady.emit(model)

    def _on_failed(self, key: str, message: str) -> None:
        self._loading = None if self._loading == key else self._loading
        if key == self.choice.model:
            self._error = message
            self.panel.set_status(f"Cannot load the model: {message}", "error")
        self.modelFailed.emit(message)

    def _show_ready(self, model: Model) -> None:
        self.panel.set_status(f"Model ready: {model.display_name}\n{model.architecture}", "ok")
        if model.path is not None:
            self.panel.status.setToolTip(str(model.path))


def preset_names() -> tuple[str, ...]:
    return tuple(PRESETS)
