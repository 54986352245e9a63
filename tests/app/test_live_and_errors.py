"""Cameras (a fake capture, and no camera at all) and every way things go wrong: each reaches the user."""

from __future__ import annotations

import cv2
import pytest
from gui_helpers import FakeCapture, SlowTracker, drag_box, open_and_wait

from core.sources import WebcamSource, open_source

BOX = (291.0, 124.0, 150.0, 140.0)


def use_tracker(window, monkeypatch, tracker_factory) -> None:
    from app.workers import tracking_worker

    window.models.update_choice(remember=False, tracker="identity")
    monkeypatch.setattr(tracking_worker.TrackerSpec, "build", lambda spec: tracker_factory())


def fake_camera_opener(capture: FakeCapture):
    return lambda spec: (
        WebcamSource(capture, name="test camera") if spec == "test-camera" else open_source(spec)
    )


def test_live_tracking_drops_frames_when_the_tracker_is_slower_than_the_camera(
    qtbot, make_window, monkeypatch
):
    capture = FakeCapture(size=(320, 240), fps=200.0)
    window = make_window(source_opener=fake_camera_opener(capture))
    with qtbot.waitSignal(window.playback.frameShown, timeout=20_000):
        window.sources.open("test-camera")
    assert window.playback.playing  # a camera starts live
    assert not window.transport.slider.isEnabled()
    drag_box(qtbot, window, (40, 100, 40, 40))
    use_tracker(window, monkeypatch, lambda: SlowTracker(delay=0.05))
    shown = []
    window.tracking.resultShown.connect(shown.append)
    assert window.tracking.start()
    qtbot.waitUntil(lambda: len(shown) >= 6, timeout=20_000)
    with qtbot.waitSignal(window.tracking.runningChanged):
        window.tracking.stop()
    last = shown[-1]
    assert last.dropped > 0
    assert last.dropped <= capture.delivered
    assert window.readouts.text("dropped") == str(last.dropped)
    assert [s.index for s in shown] == sorted(s.index for s in shown)
    window.close()
    assert not capture.isOpened()  # closing the window released the camera


def test_a_missing_camera_is_reported(qtbot, window):
    probe = cv2.VideoCapture(0)
    present = probe.isOpened()
    probe.release()
    if present:
        pytest.skip("a camera is connected to this machine")
    with qtbot.waitSignal(window.notifier.reported, timeout=20_000) as report:
        window.actions["open_camera"].trigger()
    title, message = report.args
    assert "Camera 0" in title and "no camera" in message.lower()
    assert window.playback.source is None
    assert window.pages.currentIndex() == 0  # still the welcome page, nothing half-open


def test_a_corrupt_video_is_reported_and_the_window_keeps_working(qtbot, window, bag_video, tmp_path):
    broken = tmp_path / "broken.avi"
    broken.write_bytes(b"RIFF\x00\x00\x00\x00AVI LIST" + bytes(range(256)) * 40)
    with qtbot.waitSignal(window.notifier.reported, timeout=20_000) as report:
        window.sources.open(broken)
    assert "broken.avi" in report.args[0]
    assert window.sources.source is None and not window.sources.busy
    open_and_wait(qtbot, window, bag_video)
    assert window.playback.index == 0


def test_a_corrupt_video_does_not_replace_the_open_one(qtbot, window, bag_video, tmp_path):
    open_and_wait(qtbot, window, bag_video)
    broken = tmp_path / "broken.mp4"
    broken.write_bytes(b"\x00" * 5000)
    with qtbot.waitSignal(window.notifier.reported, timeout=20_000):
        window.sources.open(broken)
    assert "bag.avi" in window.sources.source.description
    window.playback.step_forward()
    qtbot.waitUntil(lambda: window.playback.index == 1, timeout=10_000)


def test_an_error_in_the_tracking_worker_reaches_the_user(qtbot, window, bag_video, monkeypatch):
    open_and_wait(qtbot, window, bag_video)
    drag_box(qtbot, window, BOX)
    use_tracker(window, monkeypatch, lambda: SlowTracker(delay=0.0, fail_on=3))
    with qtbot.waitSignal(window.notifier.reported, timeout=20_000) as report:
        window.tracking.start()
    assert report.args[0] == "Tracking stopped"
    assert "the tracker broke on purpose" in report.args[1]
    qtbot.waitUntil(lambda: not window.tracking.running, timeout=10_000)
    assert window.actions["track"].isEnabled()
    window.playback.first()
    qtbot.waitUntil(lambda: window.playback.index == 0, timeout=10_000)


def test_corrupt_weights_are_reported_when_chosen_and_when_tracking(qtbot, window, bag_video, tmp_path):
    weights = tmp_path / "garbage.mat"
    weights.write_bytes(b"MATLAB 5.0 MAT-file" + b"\x01" * 300)
    open_and_wait(qtbot, window, bag_video)
    with qtbot.waitSignal(window.models.modelFailed, timeout=20_000):
        window.models.use_weights(weights)
    assert "Cannot load the model" in window.model_panel.status.text()
    drag_box(qtbot, window, BOX)
    with qtbot.waitSignal(window.notifier.reported, timeout=20_000) as report:
        window.tracking.start()
    assert report.args[0] == "Tracking stopped" and "garbage.mat" in report.args[1]
    qtbot.waitUntil(lambda: not window.tracking.running, timeout=10_000)


def test_without_a_model_the_window_says_how_to_get_one(qtbot, make_window, bag_video, monkeypatch):
    from app.controllers import models

    monkeypatch.setattr(models, "bundled_model_path", lambda: None)
    window = make_window()
    window.models.update_choice(remember=False, tracker="siamfc", model="")
    assert "No trained model is loaded" in window.model_panel.status.text()
    open_and_wait(qtbot, window, bag_video)
    drag_box(qtbot, window, BOX)
    with qtbot.waitSignal(window.notifier.reported) as report:
        assert window.tracking.start() is False
    assert "No trained model is loaded" in report.args[1]
    assert "Import weights" in report.args[1] and "siamtrack import-weights" in report.args[1]
    assert not window.tracking.running


def test_opencv_trackers_need_no_model(qtbot, window, bag_video):
    open_and_wait(qtbot, window, bag_video)
    window.models.update_choice(remember=False, tracker="kcf")
    assert not window.model_panel.model.isEnabled()
    drag_box(qtbot, window, BOX)
    shown = []
    window.tracking.resultShown.connect(shown.append)
    with qtbot.waitSignal(
        window.tracking.runningChanged, check_params_cb=lambda running: not running, timeout=60_000
    ):
        assert window.tracking.start(limit=5)
    assert shown and shown[-1].index == 5
    assert not window.overlay.isVisible()  # KCF has no score map
