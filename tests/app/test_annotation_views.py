"""The annotation views: the objects panel (rename, class, colour, visibility), selecting by clicking boxes
and timeline rows, seeking on the timeline, the timeline over a long video, and a scripted run."""

from __future__ import annotations

import numpy as np
from app_annotation_helpers import (
    BAG_BOX,
    SECOND_BOX,
    add_drawn_object,
    finish_run,
    press,
    project_of,
    seek,
    set_run_frames,
    use_counting_tracker,
)
from gui_helpers import open_and_wait, view_point
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor

from app.views.objects_panel import CLASS_COLUMN, ID_COLUMN, NAME_COLUMN
from app.views.timeline import (
    BAR_H,
    BAR_TOP,
    GUTTER,
    ROW_H,
    RULER_H,
    SCORE_TOP,
    TimelineRow,
    TimelineView,
    TrackStrip,
)
from core.annotations import BoxRecord, Origin


def click_frame_point(qtbot, window, x: float, y: float, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.mouseClick(
        window.frame_view.viewport(), Qt.MouseButton.LeftButton, modifier, view_point(window, x, y)
    )


def test_the_objects_panel_renames_reclasses_recolours_and_hides(qtbot, window, bag_video):
    open_and_wait(qtbot, window, bag_video)
    first = add_drawn_object(qtbot, window, BAG_BOX)
    add_drawn_object(qtbot, window, SECOND_BOX)
    project, panel = project_of(window), window.objects_panel
    item = panel.item_for(first)
    item.setText(NAME_COLUMN, "red bag")
    item.setText(CLASS_COLUMN, "bag")
    assert project.objects[first].name == "red bag" and project.objects[first].label == "bag"
    assert "bag" in panel.classes
    item.setText(NAME_COLUMN, "")  # refused: the old name comes back
    assert project.objects[first].name == "red bag" and panel.item_for(first).text(NAME_COLUMN) == "red bag"

    window.annotation.dialogs.colour = lambda initial: "#00ff88"
    panel.tree.itemDoubleClicked.emit(panel.item_for(first), ID_COLUMN)
    assert project.objects[first].colour == "#00ff88"
    window.annotation.selection.set([first])
    assert window.frame_view._roi.pen.color() == QColor("#00ff88")

    panel.item_for(first).setCheckState(ID_COLUMN, Qt.CheckState.Unchecked)
    assert project.objects[first].hidden
    assert first not in {d.track_id for d in window.frame_view.annotations.shown}
    assert window.frame_view.box() is None  # a hidden object's box is not editable either
    for _ in range(4):  # visibility, colour, class, name: one undo step each
        window.actions["undo"].trigger()
    assert project.objects[first].name != "red bag" and not project.objects[first].hidden


def test_clicking_boxes_and_timeline_rows_selects_objects(qtbot, window, bag_video):
    open_and_wait(qtbot, window, bag_video)
    first = add_drawn_object(qtbot, window, BAG_BOX)
    second = add_drawn_object(qtbot, window, SECOND_BOX)
    selection = window.annotation.selection
    assert selection.ids == (second,)
    click_frame_point(qtbot, window, 360, 190)
    assert selection.ids == (first,) and selection.current == first
    click_frame_point(qtbot, window, 100, 110, Qt.KeyboardModifier.ControlModifier)
    assert set(selection.ids) == {first, second}
    assert {i.text(ID_COLUMN) for i in window.objects_panel.tree.selectedItems()} == {str(first), str(second)}
    click_frame_point(qtbot, window, 20, 340)  # empty space
    assert selection.ids == ()
    timeline = window.timeline
    qtbot.mouseClick(timeline, Qt.MouseButton.LeftButton, pos=QPoint(40, RULER_H + ROW_H + ROW_H // 2))
    assert selection.ids == (second,)


def test_clicking_and_dragging_on_the_timeline_seeks(qtbot, window, bag_video, monkeypatch):
    open_and_wait(qtbot, window, bag_video)
    use_counting_tracker(window, monkeypatch)
    add_drawn_object(qtbot, window, BAG_BOX)
    set_run_frames(window, 30)
    finish_run(qtbot, window, lambda: press(qtbot, window, Qt.Key.Key_T))
    timeline = window.timeline
    x = round(timeline.x_of(100.5))
    qtbot.mouseClick(timeline, Qt.MouseButton.LeftButton, pos=QPoint(x, RULER_H + BAR_TOP))
    qtbot.waitUntil(lambda: window.playback.index == 100, timeout=10_000)
    assert timeline.current == 100
    seek(qtbot, window, 20)
    assert window.frame_view.box() is not None  # frame 20 was tracked: the box is there, editable
    assert window.readouts.text("frame") == "20" and window.readouts.text("score") != "—"


def test_the_timeline_draws_a_long_video_a_column_at_a_time(qtbot):
    frames = 10_000
    strip = TrackStrip(frames)
    for frame in range(2_000, 6_000):
        strip.set(frame, BoxRecord((1, 1, 5, 5), Origin.TRACKED, 0.9))
    strip.set(2_000, BoxRecord((1, 1, 5, 5), Origin.MANUAL))
    strip.set(4_000, BoxRecord((1, 1, 5, 5), Origin.TRACKED, 0.1, {"review"}))
    timeline = TimelineView()
    qtbot.addWidget(timeline)
    timeline.resize(GUTTER + 1010, 100)
    timeline.set_frame_count(frames)
    timeline.set_rows([TimelineRow(1, "car 1", "#3cb44b", False, strip)])
    timeline.set_current(5_000)
    starts, kind, score, review, _ = timeline._columns(strip)
    assert len(starts) <= 1000 and kind.max() == 4 and review.sum() >= 1
    assert np.nanmin(score) < 0.2  # the low score on frame 4000 survives the reduction
    image = timeline.grab().toImage()
    bar_y = RULER_H + BAR_TOP + BAR_H // 2
    inside = image.pixelColor(round(timeline.x_of(3_000)), bar_y)
    outside = image.pixelColor(round(timeline.x_of(8_000)), bar_y)
    assert inside.green() > inside.red() + 60  # the object's green
    assert abs(outside.green() - outside.red()) < 20  # the grey background
    score_y = RULER_H + SCORE_TOP + 2
    low = image.pixelColor(round(timeline.x_of(4_000) + 0.5), score_y)
    high = image.pixelColor(round(timeline.x_of(3_000)), score_y)
    assert low.red() > low.green() and high.green() > high.red()


def test_a_scripted_run_makes_one_object_and_tracks_it(qtbot, window, bag_video):
    from app.scripted import Script, ScriptedRun

    window.models.update_choice(remember=False, tracker="identity")
    scripted = ScriptedRun(window, Script(str(bag_video), BAG_BOX, 3))
    scripted.start()
    qtbot.waitUntil(lambda: scripted.done, timeout=30_000)
    assert scripted.failure is None
    project = project_of(window)
    (tid,) = project.objects
    assert project.frames(tid) == [0, 1, 2, 3]
    assert np.allclose(project.record(tid, 3).box, BAG_BOX)


def test_every_shortcut_belongs_to_one_command_and_is_listed(window):
    from PySide6.QtGui import QKeySequence

    from app.views.shortcuts import ShortcutsDialog, shortcut_rows

    owners: dict[str, str] = {}
    for name, action in window.actions.items():
        for key in action.shortcuts():
            text = key.toString(QKeySequence.SequenceFormat.PortableText)
            assert text not in owners, f"{text} is used by {owners[text]} and {name}"
            owners[text] = name
    listed = {keys for _, rows in shortcut_rows(window.actions) for _, keys in rows}
    native = QKeySequence.SequenceFormat.NativeText
    for name in ("track_backward", "retrack", "fill_gap", "new_object", "undo", "next_flagged", "save"):
        assert ", ".join(k.toString(native) for k in window.actions[name].shortcuts()) in listed
        assert window.actions[name].shortcuts()[0].toString(native) in window.actions[name].toolTip()
    dialog = ShortcutsDialog(window.actions, window)
    assert dialog.tree.topLevelItemCount() > 40
