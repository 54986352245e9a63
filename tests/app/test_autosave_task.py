"""Autosave off the GUI thread: written when dirty and due, from a snapshot, discarded after a save."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.controllers.autosave import BackgroundAutosave
from app.workers.task import TaskRunner
from core.annotations import (
    Project,
    VideoInfo,
    add_object,
    load_project,
    recovery_path,
    set_box,
)


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def runner(qtbot):
    tasks = TaskRunner()
    yield tasks
    tasks.shutdown()


def new_project(tmp_path: Path) -> tuple[Project, Path, int]:
    project = Project(VideoInfo(tmp_path / "clip.avi", 50, 320, 240, 25.0))
    change, tid = add_object(project, "car")
    project.apply(change)
    return project, tmp_path / "clip.siamtrack.json", tid


def test_a_dirty_project_is_written_once_due_from_a_snapshot(qtbot, runner, tmp_path):
    project, path, tid = new_project(tmp_path)
    clock = Clock()
    saver = BackgroundAutosave(runner, 5.0, clock)
    saver.watch(project, path)
    saver.poll()
    assert not saver.dirty and not recovery_path(path).exists()  # nothing changed yet
    project.apply(set_box(project, tid, 3, (10, 10, 40, 30)))
    clock.now = 4.0
    saver.poll()
    assert saver.dirty and not recovery_path(path).exists()  # not due yet
    clock.now = 5.5
    with qtbot.waitSignal(saver.written, timeout=10_000):
        saver.poll()
        project.apply(set_box(project, tid, 4, (12, 10, 40, 30)))  # after the snapshot
    written = load_project(recovery_path(path))
    assert written.frames(tid) == [3]
    assert saver.dirty  # the later change is not in the copy yet
    with qtbot.waitSignal(saver.written, timeout=10_000):
        saver.write()
    assert load_project(recovery_path(path)).frames(tid) == [3, 4]


def test_saving_discards_the_recovery_copies(qtbot, runner, tmp_path):
    project, path, tid = new_project(tmp_path)
    saver = BackgroundAutosave(runner, 5.0, Clock())
    saver.watch(project, path)
    project.apply(set_box(project, tid, 3, (10, 10, 40, 30)))
    saver.write()
    saver.saved()  # waits for the copy being written, then removes it
    assert not recovery_path(path).exists() and not saver.dirty


def test_a_failed_write_is_reported(qtbot, runner, tmp_path):
    project, _, tid = new_project(tmp_path)
    saver = BackgroundAutosave(runner, 5.0, Clock())
    not_a_folder = tmp_path / "notes.txt"
    not_a_folder.write_text("a file where the project's folder should be")
    saver.watch(project, not_a_folder / "clip.siamtrack.json")
    project.apply(set_box(project, tid, 3, (10, 10, 40, 30)))
    with qtbot.waitSignal(saver.failed, timeout=10_000) as failure:
        saver.write()
    assert "notes.txt" in failure.args[0]
    assert saver.dirty  # tried again at the next poll
