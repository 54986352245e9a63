"""Shared by the frame-source tests: generated videos whose frames carry their own index, fake cameras."""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable
from pathlib import Path

import av
import cv2
import numpy as np

WIDTH, HEIGHT = 160, 120
BITS = 8
BAR_HEIGHT = 40


def pattern_frame(index: int, width: int = WIDTH, height: int = HEIGHT) -> np.ndarray:
    """RGB frame: a textured background that changes every few frames (so encoders predict between frames)
    and, along the top, 8 black/white bars spelling `index` in binary."""
    rng = np.random.default_rng(index // 4)
    blocks = rng.integers(30, 225, (height // 8, width // 8, 3), dtype=np.uint8)
    frame = np.ascontiguousarray(blocks.repeat(8, axis=0).repeat(8, axis=1))
    frame[:, :, 0] = np.roll(frame[:, :, 0], index, axis=1)  # motion
    bar = width // BITS
    for bit in range(BITS):
        frame[:BAR_HEIGHT, bit * bar : (bit + 1) * bar] = 255 if (index >> bit) & 1 else 0
    return frame


def frame_number(frame: np.ndarray) -> int:
    """The index a pattern_frame carries, read back after lossy compression."""
    bar = frame.shape[1] // BITS
    bits = [frame[4 : BAR_HEIGHT - 4, b * bar + 3 : (b + 1) * bar - 3].mean() > 127 for b in range(BITS)]
    return sum(1 << b for b, on in enumerate(bits) if on)


def write_with_pyav(
    path: Path,
    codec: str,
    count: int,
    options: dict[str, str] | None = None,
    rotation: int = 0,
    container_format: str | None = None,
) -> Path:
    with av.open(str(path), "w", format=container_format) as container:
        stream = container.add_stream(codec, rate=25)
        stream.width, stream.height, stream.pix_fmt = WIDTH, HEIGHT, "yuv420p"
        stream.options = options or {}
        if rotation:
            stream.set_display_rotation(rotation)
        for index in range(count):
            for packet in stream.encode(av.VideoFrame.from_ndarray(pattern_frame(index), format="rgb24")):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return path


def write_with_opencv(path: Path, fourcc: str, count: int) -> Path:
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*fourcc), 25.0, (WIDTH, HEIGHT))
    assert writer.isOpened(), f"OpenCV cannot write {fourcc} here"
    for index in range(count):
        writer.write(cv2.cvtColor(pattern_frame(index), cv2.COLOR_RGB2BGR))
    writer.release()
    return path


# Open GOPs: B-frames that follow a keyframe in decode order but precede it on screen ("leading pictures").
OPEN_GOP_OPTIONS = {"x264-params": "keyint=8:min-keyint=8:bframes=3:open-gop=1:b-adapt=0:scenecut=0"}

# name → (file name, writer); x264 with a 5-frame GOP and B-frames has presentation order ≠ decode order.
VIDEO_KINDS: dict[str, tuple[str, Callable[[Path, int], Path]]] = {
    "h264-gop5-bframes.mp4": (
        "h264.mp4",
        lambda p, n: write_with_pyav(
            p, "libx264", n, {"g": "5", "keyint_min": "5", "bf": "2", "sc_threshold": "0"}
        ),
    ),
    "h264-open-gop.mkv": (
        "open.mkv",
        lambda p, n: write_with_pyav(p, "libx264", n, OPEN_GOP_OPTIONS),
    ),
    "mpeg4-gop3.avi": ("mpeg4.avi", lambda p, n: write_with_pyav(p, "mpeg4", n, {"g": "3"})),
    "opencv-mp4v.mp4": ("mp4v.mp4", lambda p, n: write_with_opencv(p, "mp4v", n)),
    "opencv-mjpg.avi": ("mjpg.avi", lambda p, n: write_with_opencv(p, "MJPG", n)),
    "raw-h264-no-timestamps.h264": (
        "raw.h264",
        lambda p, n: write_with_pyav(p, "libx264", n, {"g": "6", "bf": "2"}, container_format="h264"),
    ),
}
FRAMES_PER_VIDEO = 40


# Fake cameras: anything with read()/isOpened()/release()/get() can stand in for cv2.VideoCapture.
SAFETY_TIMEOUT_S = 10.0  # only bounds a hang; no assertion depends on timing


def bgr_frame(number: int) -> np.ndarray:
    frame = np.zeros((6, 8, 3), np.uint8)
    frame[..., 0] = number % 256  # blue carries the number
    frame[..., 2] = 255
    return frame


class SteppedCamera:
    """Delivers exactly the frames the test releases, so drops can be counted without timing."""

    def __init__(self, fps: float = 30.0) -> None:
        self._frames: queue.Queue = queue.Queue()
        self._reads = 0
        self._condition = threading.Condition()
        self.fps = fps
        self.released = False
        self.next_number = 0

    def release_frames(self, count: int) -> None:
        for _ in range(count):
            self._frames.put(bgr_frame(self.next_number))
            self.next_number += 1

    def end(self) -> None:
        self._frames.put(None)

    def wait_until_taken(self) -> None:
        """Until the reader has stored every released frame and waits for the next one."""
        with self._condition:
            assert self._condition.wait_for(lambda: self._reads > self.next_number, SAFETY_TIMEOUT_S)

    def read(self):
        with self._condition:
            self._reads += 1
            self._condition.notify_all()
        frame = self._frames.get(timeout=SAFETY_TIMEOUT_S)
        return (frame is not None), frame

    def isOpened(self) -> bool:
        return True

    def release(self) -> None:
        self.released = True

    def get(self, prop_id: int) -> float:
        return self.fps if prop_id == cv2.CAP_PROP_FPS else 0.0


class RunningCamera(SteppedCamera):
    """Produces frames on its own, like a real camera, until released."""

    def read(self):
        time.sleep(0.002)
        self.next_number += 1
        return True, bgr_frame(self.next_number - 1)


class FailingCamera(SteppedCamera):
    def read(self):
        if self.next_number == 0:
            self.next_number = 1
            return True, bgr_frame(0)
        raise RuntimeError("USB device disconnected")
