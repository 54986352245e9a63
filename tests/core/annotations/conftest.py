"""Fixtures for the annotation tests."""

from __future__ import annotations

import pytest
from annotation_helpers import FakeSource


@pytest.fixture
def fake_source():
    return FakeSource(50)
