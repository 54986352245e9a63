"""Crash recovery: a recovery copy of the project beside the project file, written while work is unsaved.

`Autosaver` is driven from outside (a GUI timer calls `poll()` every second or so; tests pass a fake clock).
It writes `.NAME.autosave` (atomically, keeping the one before as `.NAME.autosave.previous`) when the project
changed since the last write and `interval_s` have passed, and at once after a tracking run. After a crash
the app asks `find_recovery(project_path)` whether a recovery file newer than the project exists, and offers
to restore it; if the project file itself no longer loads, `last_good_autosave` returns the newest copy that
does.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from core.annotations.model import Project
from core.annotations.project_file import load_project, save_project
from core.errors import FormatError

DEFAULT_INTERVAL_S = 5.0


@dataclass(frozen=True)
class Recovery:
    path: Path
    project: Project
    modified: float  # the recovery file's modification time (seconds since the epoch)


def recovery_path(project_path: str | os.PathLike) -> Path:
    project_path = Path(project_path)
    return project_path.with_name(f".{project_path.name}.autosave")


def previous_recovery_path(project_path: str | os.PathLike) -> Path:
    return recovery_path(project_path).with_name(recovery_path(project_path).name + ".previous")


class Autosaver:
    def __init__(
        self,
        project: Project,
        project_path: str | os.PathLike,
        interval_s: float = DEFAULT_INTERVAL_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.project = project
        self.project_path = Path(project_path)
        self.interval_s = interval_s
        self._clock = clock
        self._written_revision = project.revision
        self._last_write = clock()

    @property
    def dirty(self) -> bool:
        """True when the project changed since it was last saved or autosaved."""
        return self.project.revision != self._written_revision

    def poll(self) -> bool:
        """Write the recovery file if the project is dirty and the interval has passed; True if written."""
        if self.dirty and self._clock() - self._last_write >= self.interval_s:
            return self.write()
        return False

    def tracking_finished(self) -> bool:
        """A tracking run was applied: keep its result safe at once."""
        return self.write() if self.dirty else False

    def write(self) -> bool:
        target = recovery_path(self.project_path)
        if target.exists():
            os.replace(target, previous_recovery_path(self.project_path))
        save_project(self.project, target)
        self._written_revision = self.project.revision
        self._last_write = self._clock()
        return True

    def saved(self) -> None:
        """The project was saved to its file: the recovery copies are no longer needed."""
        self._written_revision = self.project.revision
        self._last_write = self._clock()
        discard_recovery(self.project_path)


def find_recovery(project_path: str | os.PathLike) -> Path | None:
    """The newest recovery file if one exists that is newer than the project file (or the project file is
    gone); None otherwise."""
    project_path = Path(project_path)
    saved_ns = project_path.stat().st_mtime_ns if project_path.is_file() else -1
    for candidate in (recovery_path(project_path), previous_recovery_path(project_path)):
        if candidate.is_file():
            return candidate if candidate.stat().st_mtime_ns > saved_ns else None
    return None


def last_good_autosave(project_path: str | os.PathLike) -> Recovery | None:
    """The newest recovery copy that loads, for when the project file is corrupt; None if there is none."""
    for candidate in (recovery_path(project_path), previous_recovery_path(project_path)):
        if candidate.is_file():
            with contextlib.suppress(FormatError):
                return Recovery(candidate, load_project(candidate), candidate.stat().st_mtime)
    return None


def discard_recovery(project_path: str | os.PathLike) -> None:
    for candidate in (recovery_path(project_path), previous_recovery_path(project_path)):
        with contextlib.suppress(FileNotFoundError):
            candidate.unlink()
