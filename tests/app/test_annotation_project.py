"""The project's life in the real window: save and reopen, the dirty mark, autosave and the restore offer
after a crash, a corrupt project file, the question before closing, export and import of other formats."""

from __future__ import annotations

import numpy as np
from app_annotation_helpers import (
    BAG_BOX,
    SECOND_BOX,
    add_drawn_object,
    finish_run,
    press,
    project_of,
    set_run_frames,
    use_counting_tracker,
)
from gui_helpers import open_and_wait
from PySide6.QtCore import Qt

from app.views.project_dialogs import CANCEL, DISCARD, SAVE
from core.annotations import Project, default_project_path, load_project, recovery_path


def annotate(qtbot, window, monkeypatch, frames: int = 6) -> Project:
    """Two objects tracked together for `frames` frames."""
    use_counting_tracker(window, monkeypatch, dx=1.5)
    add_drawn_object(qtbot, window, BAG_BOX)
    add_drawn_object(qtbot, window, SECOND_BOX)
    window.objects_panel.tree.selectAll()
    set_run_frames(window, frames)
    finish_run(qtbot, window, lambda: press(qtbot, window, Qt.Key.Key_T))
    return project_of(window)


def assert_same_boxes(a: Project, b: Project, atol: float = 1e-3) -> None:
    assert sorted(a.objects) == sorted(b.objects)
    for tid in a.objects:
        assert a.frames(tid) == b.frames(tid)
        for frame in a.frames(tid):
            ra, rb = a.record(tid, frame), b.record(tid, frame)
            assert np.allclose(ra.box, rb.box, atol=atol)
            assert ra.origin == rb.origin and ra.flags == rb.flags


def test_save_and_reopen_gives_the_same_boxes(qtbot, make_window, bag_video, monkeypatch):
    window = make_window()
    open_and_wait(qtbot, window, bag_video)
    project = annotate(qtbot, window, monkeypatch)
    assert window.isWindowModified() and "[*]" in window.windowTitle()
    press(qtbot, window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    path = default_project_path(bag_video)
    assert path.is_file() and not window.isWindowModified()
    assert not recovery_path(path).exists()  # saved: the autosave is no longer needed
    window.close()

    again = make_window()
    open_and_wait(qtbot, again, bag_video)
    reopened = project_of(again)
    assert reopened == load_project(path)
    assert_same_boxes(reopened, project)
    assert not again.isWindowModified()
    assert [row.track_id for row in again.timeline.rows] == sorted(project.objects)


def test_after_a_crash_the_newer_autosave_is_offered_and_restored(qtbot, make_window, bag_video, monkeypatch):
    window = make_window()
    open_and_wait(qtbot, window, bag_video)
    annotate(qtbot, window, monkeypatch, frames=3)
    window.actions["save"].trigger()
    set_run_frames(window, 5)
    window.annotation.selection.set(sorted(project_of(window).objects))
    finish_run(qtbot, window, lambda: press(qtbot, window, Qt.Key.Key_T))  # more work, autosaved at once
    crashed = project_of(window)
    path = default_project_path(bag_video)
    qtbot.waitUntil(lambda: not window.annotation.projects.autosave.dirty, timeout=10_000)  # written
    assert recovery_path(path).stat().st_mtime_ns > path.stat().st_mtime_ns
    window.annotation.projects.autosave_enabled = False
    window.annotation.projects.close_project()  # nothing more is written: as if the process died here

    asked = []
    again = make_window()
    again.annotation.dialogs.restore_recovery = lambda name, when: asked.append(name) or True
    open_and_wait(qtbot, again, bag_video)
    assert asked == [path.name]
    assert_same_boxes(project_of(again), crashed)
    assert again.isWindowModified()  # restored work is unsaved until saved
    assert len(project_of(again).frames(1)) > len(load_project(path).frames(1))


def test_a_corrupt_project_is_reported_and_the_last_good_autosave_offered(
    qtbot, make_window, bag_video, monkeypatch
):
    window = make_window()
    open_and_wait(qtbot, window, bag_video)
    project = annotate(qtbot, window, monkeypatch, frames=4)  # the run is autosaved
    path = default_project_path(bag_video)
    qtbot.waitUntil(recovery_path(path).is_file, timeout=10_000)
    window.annotation.projects.close_project()
    path.write_text('{"format": "siamtrack-project", "version": 1, "video": {"pa')  # cut short

    offers = []
    again = make_window()
    again.annotation.dialogs.restore_recovery = lambda name, when: False
    again.annotation.dialogs.restore_after_corrupt = lambda name, problem, when: (
        offers.append(problem) or True
    )
    open_and_wait(qtbot, again, bag_video)
    assert len(offers) == 1 and "not valid JSON" in offers[0]
    assert_same_boxes(project_of(again), project)

    third = make_window()  # declining: a clear message and an empty project; the damaged file stays
    third.annotation.dialogs.restore_recovery = lambda name, when: False
    third.annotation.dialogs.restore_after_corrupt = lambda name, problem, when: False
    with qtbot.waitSignal(third.notifier.reported, timeout=20_000) as report:
        third.sources.open(bag_video)
    assert report.args[0] == "Cannot open the project" and "not valid JSON" in report.args[1]
    qtbot.waitUntil(lambda: project_of(third) is not None, timeout=10_000)
    assert not project_of(third).objects and third.annotation.projects.path is None
    assert path.read_text().endswith('"pa')


def test_closing_with_unsaved_changes_asks_first(qtbot, make_window, bag_video, monkeypatch):
    window = make_window()
    open_and_wait(qtbot, window, bag_video)
    add_drawn_object(qtbot, window, BAG_BOX)
    answers = [CANCEL, SAVE]
    window.annotation.dialogs.save_changes = lambda name: answers.pop(0)
    window.close()
    assert window.isVisible() and window.sources.source is not None  # cancelled: nothing closed
    window.close()
    assert not window.isVisible()
    assert len(load_project(default_project_path(bag_video)).objects) == 1

    other = make_window()
    open_and_wait(qtbot, other, bag_video)
    add_drawn_object(qtbot, other, SECOND_BOX)
    other.annotation.dialogs.save_changes = lambda name: DISCARD
    other.close()
    assert not other.isVisible()
    assert len(load_project(default_project_path(bag_video)).objects) == 1


def test_export_to_two_formats_and_import_back(qtbot, window, bag_video, monkeypatch, tmp_path):
    open_and_wait(qtbot, window, bag_video)
    project = annotate(qtbot, window, monkeypatch, frames=5)
    original = project.copy()
    dialogs = window.annotation.dialogs
    targets = [("mot", tmp_path / "out" / "bag.mot.txt"), ("cvat-video", tmp_path / "bag.cvat.xml")]
    (tmp_path / "out").mkdir()
    for name, path in targets:
        dialogs.export_target = lambda formats, suggest, chosen, answer=(name, path): answer
        window.actions["export_annotations"].trigger()
        assert path.is_file() and path.stat().st_size > 0

    window.objects_panel.tree.selectAll()
    window.actions["delete_object"].trigger()
    assert not project.objects
    dialogs.import_source = lambda formats, suggest, chosen: ("cvat-video", tmp_path / "bag.cvat.xml")
    window.actions["import_annotations"].trigger()
    assert len(project.objects) == 2
    imported = sorted(project.objects)
    for old, new in zip(sorted(original.objects), imported, strict=True):
        shown = [f for f in project.frames(new) if not project.record(new, f).out_of_view]  # CVAT's "outside"
        assert shown == original.frames(old)
        for frame in original.frames(old):
            assert np.allclose(project.record(new, frame).box, original.record(old, frame).box, atol=0.01)
    assert set(window.annotation.selection.ids) == set(imported)
    window.actions["undo"].trigger()  # the import is one step
    assert not project.objects


def test_a_single_object_format_exports_the_selected_object(qtbot, window, bag_video, monkeypatch, tmp_path):
    open_and_wait(qtbot, window, bag_video)
    project = annotate(qtbot, window, monkeypatch, frames=3)
    target = tmp_path / "groundtruth_rect.txt"
    window.annotation.dialogs.export_target = lambda formats, suggest, chosen: ("otb", target)
    with qtbot.waitSignal(window.notifier.reported) as report:
        window.actions["export_annotations"].trigger()  # two objects selected: which one?
    assert "select the one to export" in report.args[1] and not target.exists()
    window.annotation.selection.set([min(project.objects)])
    window.actions["export_annotations"].trigger()
    lines = target.read_text().strip().splitlines()
    assert len(lines) >= 4 and lines[0].split(",")[0].strip() != "nan"


def test_a_video_in_a_read_only_folder_asks_where_to_keep_the_project(
    qtbot, window, bag_video, monkeypatch, tmp_path
):
    from app.controllers import project as project_module

    monkeypatch.setattr(project_module, "_writable", lambda folder: folder != bag_video.parent)
    chosen = tmp_path / "elsewhere" / "bag.siamtrack.json"
    chosen.parent.mkdir()
    asked = []
    window.annotation.dialogs.project_location = lambda suggested: asked.append(suggested) or chosen
    open_and_wait(qtbot, window, bag_video)
    assert asked == [default_project_path(bag_video)]
    assert window.annotation.projects.path == chosen
    add_drawn_object(qtbot, window, BAG_BOX)
    window.actions["save"].trigger()
    assert len(load_project(chosen).objects) == 1
    assert not default_project_path(bag_video).exists()
