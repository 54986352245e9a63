"""Cameras and network streams (through cv2.VideoCapture) as live frame sources.

A background thread reads the capture as fast as it delivers and keeps only the newest frame, so a slow
consumer (tracking) never builds up a backlog: it gets the newest frame each time it asks, and the frames it
never saw are counted in `dropped_frames`.
"""

from __future__ import annotations

import re
import threading
from typing import Protocol

import cv2
import numpy as np

from core.errors import SourceError
from core.sources.base import Frame, IndexedFrames, SourceBase, format_fps, format_size, read_only
from core.sources.color import opencv_to_rgb

URL_SCHEMES = ("rtsp", "rtsps", "rtmp", "http", "https", "udp", "tcp", "srt")
_CAMERA_SPEC = re.compile(r"^(?:webcam:)?(\d+)$", re.IGNORECASE)
_URL_SPEC = re.compile(rf"^(?:{'|'.join(URL_SCHEMES)})://", re.IGNORECASE)
FIRST_FRAME_TIMEOUT_S = 10.0
FRAME_TIMEOUT_S = 5.0  # frames() gives up when the capture delivers nothing for this long
JOIN_TIMEOUT_S = 2.0


class Capture(Protocol):
    """What WebcamSource needs from a capture; cv2.VideoCapture is one. read() returns (ok, BGR image)."""

    def read(self) -> tuple[bool, np.ndarray | None]: ...

    def isOpened(self) -> bool: ...

    def release(self) -> None: ...

    def get(self, prop_id: int) -> float: ...


def is_camera_spec(spec: object) -> bool:
    if isinstance(spec, int) and not isinstance(spec, bool):
        return spec >= 0
    return isinstance(spec, str) and bool(_CAMERA_SPEC.match(spec.strip()) or _URL_SPEC.match(spec.strip()))


def camera_target(spec: int | str) -> int | str:
    """0, "0" and "webcam:0" → 0; a URL stays a string."""
    if isinstance(spec, int):
        return spec
    match = _CAMERA_SPEC.match(spec.strip())
    return int(match.group(1)) if match else spec.strip()


class _NewestFrame:
    """The slot the reader thread writes and the consumer takes from: newest frame only, drops counted."""

    def __init__(self) -> None:
        self.condition = threading.Condition()
        self.frame: np.ndarray | None = None
        self.counter = -1  # capture number of `frame`
        self.taken = -1  # capture number of the last frame handed out
        self.dropped = 0
        self.ended = False
        self.error: str | None = None

    def put(self, frame: np.ndarray) -> None:
        with self.condition:
            if self.frame is not None and self.counter != self.taken:
                self.dropped += 1
            self.frame, self.counter = frame, self.counter + 1
            self.condition.notify_all()

    def end(self, error: str | None = None) -> None:
        with self.condition:
            self.ended, self.error = True, error
            self.condition.notify_all()

    def first(self, timeout: float) -> np.ndarray | None:
        """The first frame, without handing it out (it stays the newest until a newer one comes)."""
        with self.condition:
            self.condition.wait_for(lambda: self.frame is not None or self.ended, timeout)
            return self.frame

    def take_newer(self, timeout: float) -> tuple[int, np.ndarray] | None:
        """The newest frame not handed out yet; None when the capture has ended (or nothing came in time)."""
        with self.condition:
            self.condition.wait_for(lambda: self.counter > self.taken or self.ended, timeout)
            if self.counter <= self.taken:
                return None
            self.taken = self.counter
            return self.counter, self.frame


class WebcamSource(SourceBase):
    """A live source over any Capture. Use WebcamSource.open(0 | "webcam:0" | "rtsp://…") for real devices."""

    is_live = True
    frame_count = None

    def __init__(
        self,
        capture: Capture,
        name: str = "camera",
        first_frame_timeout: float = FIRST_FRAME_TIMEOUT_S,
        frame_timeout: float = FRAME_TIMEOUT_S,
    ) -> None:
        self.name = name
        self._capture = capture
        self._frame_timeout = frame_timeout
        self._slot = _NewestFrame()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._read_loop, name=f"capture {name}", daemon=True)
        fps = capture.get(cv2.CAP_PROP_FPS)
        self.fps = float(fps) if fps and fps > 0 else None
        self._thread.start()
        first = self._slot.first(first_frame_timeout)
        if first is None:
            reason = self._slot.error or (
                "the stream ended" if self._slot.ended else f"waited {first_frame_timeout:g} s"
            )
            self.close()
            raise SourceError(f"{name} delivered no frame ({reason})")
        height, width = first.shape[:2]
        self.frame_size = (width, height)
        self.description = f"{name} — {format_size(self.frame_size)}, {format_fps(self.fps)}, live"

    @classmethod
    def open(cls, spec: int | str, **kwargs: float) -> WebcamSource:
        target = camera_target(spec)
        name = f"camera {target}" if isinstance(target, int) else str(target)
        capture = cv2.VideoCapture(target)
        if not capture.isOpened():
            capture.release()
            if isinstance(target, int):
                raise SourceError(f"no camera found at index {target} (is one connected and free?)")
            raise SourceError(f"cannot open the stream {target}")
        return cls(capture, name=name, **kwargs)

    @property
    def dropped_frames(self) -> int:
        """Frames the capture delivered that no consumer took before a newer one arrived."""
        with self._slot.condition:
            return self._slot.dropped

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    def read(self, index: int) -> Frame:
        raise SourceError(f"{self.name} is live: frames cannot be read by index")

    def frames(self, start: int = 0, stop: int | None = None, step: int = 1) -> IndexedFrames:
        """(capture number, newest frame) each time it is asked, until the capture ends or close()."""
        while not self._stop.is_set():
            item = self._slot.take_newer(self._frame_timeout)
            if item is None:
                self._raise_if_stalled()
                return
            counter, frame = item
            yield counter, read_only(opencv_to_rgb(frame))

    def close(self) -> None:
        self._stop.set()
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join(JOIN_TIMEOUT_S)
        self._slot.end(self._slot.error)

    def _raise_if_stalled(self) -> None:
        if self._stop.is_set():
            return
        if self._slot.error:
            raise SourceError(f"{self.name}: {self._slot.error}")
        if not self._slot.ended:
            raise SourceError(f"{self.name} delivered no frame for {self._frame_timeout:g} s")

    def _read_loop(self) -> None:
        """Owns the capture: it is released here, never while a read() may be running."""
        try:
            while not self._stop.is_set():
                ok, frame = self._capture.read()
                if not ok or frame is None:
                    break
                self._slot.put(frame)
            self._slot.end()
        except Exception as error:  # noqa: BLE001 (a failing driver ends the stream with its message)
            self._slot.end(f"capture failed: {error}")
        finally:
            self._capture.release()
