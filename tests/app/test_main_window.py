"""The real main window driven like a user: open bag.avi, navigate, draw a box, track, stop, close."""

from __future__ import annotations

import numpy as np
import pytest
from gui_helpers import SlowTracker, drag_box, open_and_wait
from PySide6.QtCore import Qt

from core.boxes import iou
from core.sequences import load_sequence
from core.sources import open_source

BAG_BOX = (291.0, 124.0, 150.0, 140.0)  # the bag on frame 0 (vot15_bag ground truth, rounded)


def shown_frame(window) -> np.ndarray:
    return window.frame_view.image.image


def use_tracker(window, monkeypatch, tracker_factory) -> None:
    """Track with a test tracker (the identity tracker's entry in the factory, replaced)."""
    from app.workers import tracking_worker

    window.models.update_choice(remember=False, tracker="identity")
    monkeypatch.setattr(tracking_worker.TrackerSpec, "build", lambda spec: tracker_factory())


def test_opening_a_video_shows_its_first_frame(qtbot, window, bag_video):
    open_and_wait(qtbot, window, bag_video)
    assert window.playback.index == 0
    assert window.pages.currentIndex() == 1
    assert shown_frame(window).shape == (360, 480, 3)
    assert window.transport.slider.maximum() == 195
    assert "bag.avi" in window.source_label.text()
    assert window.settings.recent_sources()[0] == str(bag_video.resolve())
    assert window.actions["track"].isEnabled() is False  # no box yet


def test_keys_move_exactly_through_the_frames(qtbot, window, bag_video):
    open_and_wait(qtbot, window, bag_video)
    window.activateWindow()
    window.frame_view.setFocus()
    reference = open_source(bag_video)
    try:
        for key, modifier, expected in [
            (Qt.Key.Key_Right, Qt.KeyboardModifier.NoModifier, 1),
            (Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier, 11),
            (Qt.Key.Key_Left, Qt.KeyboardModifier.NoModifier, 10),
            (Qt.Key.Key_Left, Qt.KeyboardModifier.ShiftModifier, 0),
            (Qt.Key.Key_End, Qt.KeyboardModifier.NoModifier, 195),
            (Qt.Key.Key_Home, Qt.KeyboardModifier.NoModifier, 0),
        ]:
            qtbot.keyClick(window.frame_view, key, modifier)
            qtbot.waitUntil(lambda expected=expected: window.playback.index == expected, timeout=10_000)
            np.testing.assert_array_equal(shown_frame(window), reference.read(expected))
            assert window.transport.spin.value() == expected
    finally:
        reference.close()


def test_slider_and_frame_number_seek(qtbot, window, bag_video):
    open_and_wait(qtbot, window, bag_video)
    window.transport.slider.setValue(120)
    qtbot.waitUntil(lambda: window.playback.index == 120, timeout=10_000)
    window.transport.spin.setValue(42)
    qtbot.waitUntil(lambda: window.playback.index == 42, timeout=10_000)


def test_space_plays_and_pauses(qtbot, window, bag_video):
    open_and_wait(qtbot, window, bag_video)
    window.activateWindow()
    window.frame_view.setFocus()
    qtbot.keyClick(window.frame_view, Qt.Key.Key_Space)
    assert window.playback.playing
    qtbot.waitUntil(lambda: window.playback.index >= 3, timeout=10_000)
    qtbot.keyClick(window.frame_view, Qt.Key.Key_Space)
    assert not window.playback.playing
    stopped_at = window.playback.index
    qtbot.wait(200)
    assert window.playback.index == stopped_at


def test_dragging_on_the_frame_draws_the_box(qtbot, window, bag_video):
    open_and_wait(qtbot, window, bag_video)
    with qtbot.waitSignal(window.frame_view.boxChanged):
        drag_box(qtbot, window, BAG_BOX)
    box = window.frame_view.box()
    assert box is not None
    assert np.allclose(box, BAG_BOX, atol=3.0)  # within the size of a screen pixel at this zoom
    assert window.actions["track"].isEnabled()


def test_tracking_draws_each_newest_result_with_the_overlay_on_the_search_region(
    qtbot, window, bag_video, monkeypatch
):
    open_and_wait(qtbot, window, bag_video)
    drag_box(qtbot, window, BAG_BOX)
    use_tracker(window, monkeypatch, lambda: SlowTracker(delay=0.01))
    shown = []
    window.tracking.resultShown.connect(shown.append)
    with qtbot.waitSignal(window.tracking.runningChanged):
        window.actions["track"].trigger()
    assert window.tracking.running
    assert not window.actions["track"].isEnabled() and window.actions["stop"].isEnabled()
    qtbot.waitUntil(lambda: len(shown) >= 5, timeout=20_000)
    step = shown[-1]
    rect = window.overlay.placed_rect()
    assert np.allclose([rect.x(), rect.y(), rect.width(), rect.height()], step.result.search_box, atol=1e-6)
    assert window.overlay.isVisible()
    with qtbot.waitSignal(window.tracking.runningChanged):
        window.actions["stop"].trigger()
    assert not window.tracking.running
    indices = [s.index for s in shown]
    assert indices == sorted(indices) and indices[0] >= 1
    assert window.playback.index == shown[-1].index  # the newest result was drawn last
    assert window.tracking.history.boxes.keys() >= set(indices)
    assert window.frame_view.box() is not None and window.actions["track"].isEnabled()


def test_stepping_back_after_tracking_shows_the_tracked_box(qtbot, window, bag_video, monkeypatch):
    open_and_wait(qtbot, window, bag_video)
    drag_box(qtbot, window, BAG_BOX)
    use_tracker(window, monkeypatch, SlowTracker)
    with qtbot.waitSignal(
        window.tracking.runningChanged, check_params_cb=lambda running: not running, timeout=30_000
    ):
        window.tracking.start(limit=4)
    assert window.playback.index == 4
    window.playback.step_back()
    qtbot.waitUntil(lambda: window.playback.index == 3, timeout=10_000)
    assert np.allclose(window.frame_view.box(), window.tracking.history.boxes[3])
    assert window.readouts.text("frame") == "3"


def test_closing_the_window_mid_run_stops_and_joins_the_worker(qtbot, make_window, bag_video, monkeypatch):
    window = make_window()
    open_and_wait(qtbot, window, bag_video)
    drag_box(qtbot, window, BAG_BOX)
    use_tracker(window, monkeypatch, lambda: SlowTracker(delay=0.2))
    shown = []
    window.tracking.resultShown.connect(shown.append)
    window.tracking.start()
    qtbot.waitUntil(lambda: len(shown) >= 2, timeout=20_000)
    thread = window.tracking.runner._run.thread.thread
    window.close()
    assert thread.isFinished()
    assert not window.tracking.running
    assert len(shown) < 20  # it did stop, long before the end of the video


@pytest.mark.parametrize("preset", ["3s", "5s"])
def test_siamfc_with_imported_weights_follows_the_bag(
    qtbot, window, bag_video, cfnet_weights, shared_data, preset
):
    bag_sequence = shared_data / "sequences" / "vot15_bag"
    open_and_wait(qtbot, window, bag_video)
    window.models.use_weights(cfnet_weights)
    window.models.update_choice(preset=preset)
    drag_box(qtbot, window, BAG_BOX)
    shown = []
    window.tracking.resultShown.connect(shown.append)
    with qtbot.waitSignal(
        window.tracking.runningChanged, check_params_cb=lambda running: not running, timeout=120_000
    ):
        assert window.tracking.start(limit=6)
    assert window.tracking.history.boxes.keys() == set(range(7))
    last = shown[-1]
    assert last.index == 6
    assert last.result.scale_maps.shape[0] == int(preset[0])
    assert window.scale_maps.chosen_index == last.result.scale_index
    rect = window.overlay.placed_rect()
    assert np.allclose([rect.x(), rect.y(), rect.width(), rect.height()], last.result.search_box, atol=1e-6)
    truth = load_sequence(bag_sequence).boxes[6]
    assert iou(np.array(last.result.box), truth) > 0.5
    assert float(window.readouts.text("score")) == pytest.approx(last.result.score, abs=1e-3)


def test_dropping_a_video_on_the_window_opens_it(qtbot, window, bag_video):
    from PySide6.QtCore import QMimeData, QPointF, QUrl
    from PySide6.QtGui import QDropEvent

    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(bag_video))])
    event = QDropEvent(
        QPointF(200, 200),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    with qtbot.waitSignal(window.playback.frameShown, timeout=20_000):
        window.dropEvent(event)
    assert event.isAccepted()
    assert window.sources.spec == str(bag_video.resolve())


def test_double_click_fits_the_frame_after_zooming(qtbot, window, bag_video):
    open_and_wait(qtbot, window, bag_video)
    box = window.frame_view.view_box
    fitted = box.viewRect()
    box.scaleBy((0.25, 0.25))
    assert box.viewRect().width() < fitted.width() / 2
    viewport = window.frame_view.viewport()
    center = viewport.rect().center()
    # what a double-click delivers: press, release, double-click, release
    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=center)
    qtbot.mouseDClick(viewport, Qt.MouseButton.LeftButton, pos=center)
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=center)
    qtbot.waitUntil(lambda: box.viewRect().width() >= 480, timeout=5_000)


def test_t_starts_tracking_and_escape_stops_it(qtbot, window, bag_video, monkeypatch):
    open_and_wait(qtbot, window, bag_video)
    drag_box(qtbot, window, BAG_BOX)
    use_tracker(window, monkeypatch, lambda: SlowTracker(delay=0.1))
    window.activateWindow()
    window.frame_view.setFocus()
    with qtbot.waitSignal(window.tracking.runningChanged):
        qtbot.keyClick(window.frame_view, Qt.Key.Key_T)
    assert window.tracking.running
    qtbot.waitUntil(lambda: window.playback.index >= 2, timeout=20_000)
    with qtbot.waitSignal(window.tracking.runningChanged):
        qtbot.keyClick(window.frame_view, Qt.Key.Key_Escape)
    assert not window.tracking.running
