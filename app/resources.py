"""Icons and default settings shipped in resources/ (found alike from a checkout and a frozen build)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from PySide6.QtGui import QIcon

from core.resources import resources_dir


def icons_dir() -> Path:
    return resources_dir() / "icons"


def default_settings_path() -> Path:
    return resources_dir() / "settings" / "defaults.json"


@cache
def icon(name: str) -> QIcon:
    """The icon resources/icons/NAME.svg (an empty icon when the file is missing, never an error)."""
    path = icons_dir() / f"{name}.svg"
    return QIcon(str(path)) if path.is_file() else QIcon()
