"""The Qt binding must not drop references to None: on Python 3.11 that ends the process after a few minutes
of drawing (PySide6 6.12.0 drops one on every call that returns nothing; pyproject.toml excludes it)."""
from __future__ import annotations

import sys

import pytest
from PySide6.QtCore import QObject
from PySide6.QtWidgets import QLabel

CALLS = 300


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="None is immortal from Python 3.12 on")
def test_qt_calls_keep_none_alive(qapp):
    label, thing = QLabel(), QObject()
    before = sys.getrefcount(None)
    for _ in range(CALLS):
        thing.setObjectName("x")
        label.setText("y")
        qapp.processEvents()
    assert sys.getrefcount(None) > before - CALLS // 2
