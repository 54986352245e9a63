"""Fixtures for the application's tests: settings kept out of the user's, the real main window, helpers."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from app.settings import AppSettings


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """QSettings (INI, user scope) under tmp_path: no test reads or writes the user's settings."""
    folder = tmp_path / "settings"
    folder.mkdir()
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(folder))
    yield folder


@pytest.fixture
def bag_video(shared_data: Path, tmp_path: Path) -> Path:
    """A copy of bag.avi in the test's own folder: projects and autosaves land beside the video."""
    path = shared_data / "videos" / "bag.avi"
    if not path.is_file():
        pytest.skip(f"{path} not found")
    folder = tmp_path / "video"
    folder.mkdir()
    return Path(shutil.copy2(path, folder / path.name))


@pytest.fixture
def make_window(qtbot):
    """Builds the real main window (with the application's style) and shuts every one down at the end."""
    from app.application import application
    from app.main_window import MainWindow

    application()
    windows = []

    def make(**kwargs):
        window = MainWindow(AppSettings(), **kwargs)
        qtbot.addWidget(window)
        window.notifier.dialogs_enabled = False
        window.annotation.dialogs.interactive = False  # tests answer the questions they expect
        window.show()
        qtbot.waitExposed(window)
        windows.append(window)
        return window

    yield make
    for window in windows:
        window.shutdown()


@pytest.fixture
def window(make_window):
    return make_window()
