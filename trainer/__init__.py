"""SiamFC offline training: datasets, curation into a crop cache, pair sampling, loss, the training loop.

Entry points for the application: `trainer.commands` (the `train` command, which the training panel runs
as a child process, reading its JSON lines), and `Trainer`, `TrainConfig`, `RunOptions`, `StopRequest`
for use in-process. Importing the package itself loads nothing heavy (no torch), so that `python -m trainer`
can set up the process environment first.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "TrainConfig": "trainer.config",
    "RunOptions": "trainer.loop",
    "StopRequest": "trainer.loop",
    "Trainer": "trainer.loop",
}

__all__ = ["RunOptions", "StopRequest", "TrainConfig", "Trainer"]


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'trainer' has no attribute {name!r}")
    return getattr(importlib.import_module(_EXPORTS[name]), name)
