"""Fixtures for the evaluation tests: synthetic sequences on disk and scripted tracker entries."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from eval_synthetic import ScriptedTracker, write_sequence

from core.evaluation.trackers import TrackerEntry
from core.sequences import Sequence


@pytest.fixture
def make_sequence(tmp_path: Path) -> Callable[..., Sequence]:
    counter = iter(range(1000))

    def make(boxes: np.ndarray, name: str | None = None) -> Sequence:
        return write_sequence(tmp_path / (name or f"seq{next(counter)}"), boxes)

    return make


@pytest.fixture
def scripted_entry() -> Callable[..., TrackerEntry]:
    """A TrackerEntry for a ScriptedTracker; `created` counts the trackers made (0 when all runs are cached)."""

    def entry(truth: np.ndarray, label: str = "scripted", wrong=(), half=(), created: list | None = None) -> TrackerEntry:
        def make() -> ScriptedTracker:
            tracker = ScriptedTracker(truth, set(wrong), set(half))
            if created is not None:
                created.append(tracker)
            return tracker

        identity = {"tracker": "scripted", "wrong": sorted(wrong), "half": sorted(half)}
        return TrackerEntry(label, identity, make, "scripted")

    return entry
