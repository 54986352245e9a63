"""Trackers to evaluate: a label for reports, an identity for the cache, and a factory of fresh trackers."""
from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import cv2
import torch

from core.config import preset as preset_config
from core.device import resolve_device
from core.engines import auto_engine_name, bf16_verified, engine_names
from core.errors import SiamTrackError, WeightsError
from core.models import Model, load_model
from core.models.checkpoint import read_header
from core.resources import bundled_model_path
from core.tracking import TRACKER_NAMES, Tracker, create_tracker
from core.tracking.opencv_trackers import OPENCV_FACTORIES

EVALUATED_TRACKERS = ("siamfc", "csrt", "kcf", "mil")
# fp32 is the reference execution path: scores then do not depend on which CPU or GPU made them
DEFAULT_ENGINE = "fp32"


@dataclass(frozen=True)
class TrackerEntry:
    label: str  # unique among the trackers of one evaluation
    identity: Mapping[str, Any]  # everything its results depend on: changing it re-runs the tracker
    make: Callable[[], Tracker] = field(compare=False)
    description: str = ""


class _SiamFCFactory:
    """Loads the model on first use (not at all when every run comes from the cache)."""

    def __init__(self, path: Path, preset: str, device: str, engine: str) -> None:
        self.path, self.preset, self.device, self.engine = path, preset, device, engine
        self._model: Model | None = None

    def __call__(self) -> Tracker:
        if self._model is None:
            self._model = load_model(self.path)
        return create_tracker("siamfc", model=self._model, preset=self.preset, device=self.device, engine=self.engine,
                              want_maps=False)


def siamfc_entry(
    label: str, model: str | Path | None = None, preset: str = "3s", device: str = "auto",
    engine: str = DEFAULT_ENGINE,
) -> TrackerEntry:
    """SiamFC with a model file (None: the bundled default model), run by the named execution path."""
    preset_config(preset)  # an unknown preset fails here, before anything runs
    path = Path(model) if model is not None else bundled_model_path()
    if path is None:
        raise WeightsError("no model is bundled with this installation; pass --model FILE")
    if not path.is_file():
        raise WeightsError(f"model file not found: {path}")
    torch_device = resolve_device(device)
    engine = resolve_engine(engine, torch_device, bf16_verified(_header_info(path)))
    # the execution path changes the numbers a little, and tracking can amplify that: it is part of the identity
    identity = {"tracker": "siamfc", "model_sha256": file_sha256(path), "preset": preset, "engine": engine,
                "device": torch_device.type}
    description = f"SiamFC-{preset}, model {path.name}, {engine} engine on {torch_device.type}"
    return TrackerEntry(label, identity, _SiamFCFactory(path, preset, str(torch_device), engine), description)


def _header_info(path: Path) -> dict:
    """The info of a SiamTrack model file's header; other weights files (.mat, .pth) carry none."""
    return read_header(path).get("info", {}) if path.suffix.lower() == ".safetensors" else {}


def resolve_engine(name: str, device: torch.device, bf16_ok: bool) -> str:
    if name not in engine_names():
        raise SiamTrackError(f"unknown engine {name!r}; choose one of {', '.join(engine_names())}")
    return auto_engine_name(device, bf16_ok) if name == "auto" else name


def baseline_entry(name: str, label: str | None = None) -> TrackerEntry:
    """An OpenCV baseline (csrt, kcf, mil) or another model-free tracker of core.tracking."""
    if name == "siamfc" or name not in TRACKER_NAMES:
        choices = ", ".join(n for n in TRACKER_NAMES if n != "siamfc")
        raise SiamTrackError(f"unknown tracker {name!r}; choose from siamfc, {choices}")
    identity = {"tracker": name, "opencv": cv2.__version__}
    description = f"OpenCV {name.upper()}" if name in OPENCV_FACTORIES else name
    return TrackerEntry(label or name, identity, lambda: create_tracker(name), description)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def plan_trackers(
    names: list[str] | None, models: list[str], preset: str = "3s", device: str = "auto",
    engine: str = DEFAULT_ENGINE,
) -> tuple[list[TrackerEntry], list[str]]:
    """Tracker entries for the names asked for (default: siamfc, csrt, kcf, mil), one SiamFC per model
    ("path" or "label=path"; none: the bundled model). Returns the entries and notes on what was skipped."""
    explicit = names is not None
    names = list(dict.fromkeys(names or EVALUATED_TRACKERS))
    if models and "siamfc" not in names:
        if explicit:
            raise SiamTrackError("--model is for siamfc: add siamfc to --tracker")
        names.insert(0, "siamfc")
    entries: list[TrackerEntry] = []
    notes: list[str] = []
    for name in names:
        if name != "siamfc":
            entries.append(baseline_entry(name))
        elif models:
            entries += _siamfc_entries(models, preset, device, engine)
        elif bundled_model_path() is None:
            notes.append("siamfc skipped: no model is bundled with this installation (pass --model FILE)")
        else:
            entries.append(siamfc_entry("siamfc", None, preset, device, engine))
    if not entries:
        raise SiamTrackError("no tracker left to evaluate")
    return entries, notes


def _siamfc_entries(models: list[str], preset: str, device: str, engine: str) -> list[TrackerEntry]:
    named = [_split_model(text) for text in models]
    entries = []
    for label, path in named:
        if label is None:
            label = "siamfc" if len(named) == 1 else f"siamfc-{Path(path).stem}"
        entries.append(siamfc_entry(label, path, preset, device, engine))
    return entries


def _split_model(text: str) -> tuple[str | None, str]:
    """'label=path' or 'path' (a path may itself contain '=' after a folder separator)."""
    label, sep, path = text.partition("=")
    if sep and label and not any(c in label for c in "/\\") and path:
        return label, path
    return None, text
