"""WebcamSource with fake cameras: newest frame only, drop counting, a reader thread that stops on close()."""

from __future__ import annotations

import itertools
import threading

import cv2
import pytest
from source_samples import FailingCamera, RunningCamera, SteppedCamera

from core.errors import SourceError
from core.sources import FrameSource, WebcamSource
from core.sources.webcam import camera_target, is_camera_spec


def test_slow_consumer_gets_the_newest_frame_and_drops_are_counted():
    camera = SteppedCamera()
    camera.release_frames(1)
    with WebcamSource(camera, name="fake") as source:
        frames = source.frames()
        camera.release_frames(4)  # frames 1..4 arrive while the consumer is busy
        camera.wait_until_taken()
        number, frame = next(frames)
        assert number == 4 and frame[0, 0].tolist() == [255, 0, 4]  # RGB, newest
        assert source.dropped_frames == 4  # 0..3 were never taken
        camera.release_frames(1)
        camera.wait_until_taken()
        assert next(frames)[0] == 5 and source.dropped_frames == 4
        camera.release_frames(3)
        camera.wait_until_taken()
        assert next(frames)[0] == 8 and source.dropped_frames == 6
        camera.end()
        assert list(frames) == []  # the stream ended: iteration stops
    assert camera.released


def test_first_frame_is_not_lost_when_the_consumer_is_fast():
    camera = SteppedCamera()
    camera.release_frames(1)
    with WebcamSource(camera) as source:
        frames = source.frames()
        assert next(frames)[0] == 0
        camera.release_frames(1)
        assert next(frames)[0] == 1
        assert source.dropped_frames == 0
        camera.end()


def test_reader_thread_stops_and_releases_on_close():
    camera = RunningCamera()
    source = WebcamSource(camera, name="running")
    assert source.running and source.is_live and source.frame_count is None
    assert isinstance(source, FrameSource)
    numbers = [number for (number, _), _ in zip(source.frames(), range(5))]
    assert all(a < b for a, b in itertools.pairwise(numbers))
    source.close()
    assert not source.running and camera.released
    assert not [t for t in threading.enumerate() if t.name == "capture running"]
    assert list(source.frames()) == []


def test_properties_and_description():
    camera = SteppedCamera(fps=30.0)
    camera.release_frames(1)
    with WebcamSource(camera, name="camera 0") as source:
        assert source.frame_size == (8, 6) and source.fps == 30.0
        assert source.description == "camera 0 — 8×6, 30 fps, live"
        with pytest.raises(SourceError, match="live"):
            source.read(0)
        camera.end()


def test_camera_that_delivers_nothing_is_refused():
    camera = SteppedCamera()
    camera.end()
    with pytest.raises(SourceError, match="silent delivered no frame"):
        WebcamSource(camera, name="silent")
    assert camera.released


def test_stalled_camera_raises_instead_of_waiting_forever():
    camera = SteppedCamera()
    camera.release_frames(1)
    with WebcamSource(camera, name="stalled", frame_timeout=0.05) as source:
        frames = source.frames()
        next(frames)
        with pytest.raises(SourceError, match="stalled delivered no frame"):
            next(frames)
        camera.end()


def test_capture_failure_reaches_the_consumer():
    camera = FailingCamera()
    with (
        WebcamSource(camera, name="usb") as source,
        pytest.raises(SourceError, match="USB device disconnected"),
    ):
        list(source.frames())
    assert camera.released


class ClosedCapture:
    def __init__(self, target) -> None:
        self.target = target

    def isOpened(self) -> bool:
        return False

    def release(self) -> None:
        pass


def test_missing_camera_and_unreachable_stream_give_clear_messages(monkeypatch):
    monkeypatch.setattr(cv2, "VideoCapture", ClosedCapture)
    with pytest.raises(SourceError, match="no camera found at index 0"):
        WebcamSource.open("webcam:0")
    with pytest.raises(SourceError, match="cannot open the stream rtsp://camera.local/live"):
        WebcamSource.open("rtsp://camera.local/live")


def test_no_camera_on_a_machine_without_one():
    capture = cv2.VideoCapture(3)
    has_camera = capture.isOpened()
    capture.release()
    if has_camera:
        pytest.skip("this machine has a camera at index 3")
    with pytest.raises(SourceError, match="no camera found at index 3"):
        WebcamSource.open(3)


@pytest.mark.parametrize(
    ("spec", "target"),
    [
        (0, 0),
        ("2", 2),
        ("webcam:1", 1),
        (" WEBCAM:0 ", 0),
        ("rtsp://h/s", "rtsp://h/s"),
        ("http://h:8080/v", "http://h:8080/v"),
    ],
)
def test_camera_specs(spec, target):
    assert is_camera_spec(spec) and camera_target(spec) == target


@pytest.mark.parametrize("spec", ["video.mp4", "webcam:", "-1", -1, True, "ftp://h/x", "camera0", ""])
def test_not_camera_specs(spec):
    assert not is_camera_spec(spec)
