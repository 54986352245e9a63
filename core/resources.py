"""Where bundled resources live, in a source checkout and in the packaged application."""
from __future__ import annotations

import sys
from pathlib import Path

DEFAULT_MODEL_NAME = "siamtrack-default.safetensors"


def resources_dir() -> Path:
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def bundled_model_path() -> Path | None:
    path = resources_dir() / "models" / DEFAULT_MODEL_NAME
    return path if path.is_file() else None
