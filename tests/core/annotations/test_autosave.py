import os

import pytest
from annotation_helpers import make_project, manual

from core.annotations import Autosaver, find_recovery, last_good_autosave, load_project, save_project, set_box
from core.annotations.autosave import discard_recovery, previous_recovery_path, recovery_path


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def setup(tmp_path):
    project = make_project(path=tmp_path / "clip.avi", tracks={1: {0: manual((10, 10, 20, 20))}})
    path = tmp_path / "clip.siamtrack.json"
    save_project(project, path)
    clock = Clock()
    return project, path, clock, Autosaver(project, path, interval_s=5.0, clock=clock)


def edit(project, frame):
    project.apply(set_box(project, 1, frame, (10 + frame, 10, 20, 20)))


def test_nothing_is_written_while_clean(setup):
    _, path, clock, saver = setup
    clock.now += 60
    assert not saver.poll()
    assert not recovery_path(path).exists()


def test_dirty_project_is_written_once_the_interval_has_passed(setup):
    project, path, clock, saver = setup
    edit(project, 3)
    clock.now += 4.9
    assert not saver.poll()
    clock.now += 0.2
    assert saver.poll()
    assert load_project(recovery_path(path)) == project
    assert recovery_path(path).name == ".clip.siamtrack.json.autosave"
    clock.now += 10
    assert not saver.poll()  # nothing new since


def test_tracking_run_is_saved_at_once(setup):
    project, path, _, saver = setup
    assert not saver.tracking_finished()
    edit(project, 4)
    assert saver.tracking_finished()
    assert load_project(recovery_path(path)).record(1, 4) is not None


def test_explicit_save_discards_the_recovery_files(setup):
    project, path, _, saver = setup
    edit(project, 3)
    saver.write()
    edit(project, 4)
    saver.write()
    assert previous_recovery_path(path).exists()
    save_project(project, path)
    saver.saved()
    assert not recovery_path(path).exists() and not previous_recovery_path(path).exists()
    assert not saver.dirty


def test_find_recovery_only_offers_a_newer_copy(setup):
    project, path, _, saver = setup
    assert find_recovery(path) is None
    edit(project, 3)
    saver.write()
    os.utime(path, ns=(1_000_000_000, 1_000_000_000))  # the project file is older
    assert find_recovery(path) == recovery_path(path)
    save_project(project, path)  # saved after the autosave (without telling the autosaver)
    assert find_recovery(path) is None
    path.unlink()
    assert find_recovery(path) == recovery_path(path)


def test_corrupt_project_falls_back_to_the_last_good_autosave(setup):
    project, path, _, saver = setup
    edit(project, 3)
    saver.write()
    good = load_project(recovery_path(path))
    edit(project, 4)
    saver.write()
    recovery_path(path).write_text('{"format": "siamtrack-project", "vers')  # damaged newest copy
    path.write_text("")
    recovered = last_good_autosave(path)
    assert recovered.path == previous_recovery_path(path)
    assert recovered.project == good


def test_no_autosave_to_fall_back_on(setup):
    _, path, _, _ = setup
    assert last_good_autosave(path) is None
    discard_recovery(path)  # nothing to remove is fine
