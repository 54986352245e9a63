"""How responsive the window stays while it plays and tracks a video, as JSON.

    .venv/bin/python bench/gui_latency.py [--video PATH] [--box x,y,w,h] [--model M | --tracker T]
                                          [--frames N] [--device auto] [--play-frames N]

A QTimer asks to fire every 5 ms on the GUI thread; the gaps between its ticks show how long the event loop
was stalled (target: longest gap <= 50 ms). "display_fps" is how many results the window drew per second,
"tracking_fps" how many the tracker produced: display below tracking means results were coalesced (only the
newest one is drawn). Runs offscreen unless a display is set. Defaults: ../shared/data/videos/bag.avi, the
bag's first box, and the CFNet baseline-conv3 weights from ../shared/data when present (else the KCF tracker).
The machine's other load shows in these figures: compare runs taken on the same, otherwise idle, machine.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import tempfile
import time
from pathlib import Path

SHARED_DATA = Path(
    os.environ.get("SIAMTRACK_SHARED_DATA", Path(__file__).resolve().parent.parent.parent / "shared" / "data")
)
TICK_MS = 5


class StallMeter:
    """Gaps between the ticks of a 5 ms timer on the GUI thread."""

    def __init__(self) -> None:
        from PySide6.QtCore import QTimer

        self.gaps: list[float] = []
        self._last = time.perf_counter()
        self._timer = QTimer()
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self._tick)

    def start(self) -> None:
        self.gaps.clear()
        self._last = time.perf_counter()
        self._timer.start()

    def stop(self) -> dict:
        self._timer.stop()
        gaps = sorted(self.gaps) or [0.0]
        return {
            "ticks": len(self.gaps),
            "max_gap_ms": round(gaps[-1] * 1000, 1),
            "p99_gap_ms": round(gaps[int(0.99 * (len(gaps) - 1))] * 1000, 1),
            "median_gap_ms": round(gaps[len(gaps) // 2] * 1000, 1),
        }

    def _tick(self) -> None:
        now = time.perf_counter()
        self.gaps.append(now - self._last)
        self._last = now


def wait_for(app, condition, timeout_s: float) -> None:
    deadline = time.perf_counter() + timeout_s
    while not condition():
        if time.perf_counter() > deadline:
            raise TimeoutError("the window did not get there in time")
        app.processEvents()
        time.sleep(0.001)


def measure_playback(app, window, meter: StallMeter, frames: int) -> dict:
    window.playback.first()
    wait_for(app, lambda: window.playback.index == 0, 30)
    meter.start()
    started = time.perf_counter()
    window.playback.play()
    wait_for(app, lambda: window.playback.index >= frames or not window.playback.playing, 120)
    window.playback.pause()
    elapsed = time.perf_counter() - started
    result = meter.stop()
    result.update(
        frames=window.playback.index,
        displayed_fps=round(window.playback.index / elapsed, 1),
        source_fps=window.playback.source.fps,
    )
    return result


def measure_tracking(app, window, meter: StallMeter, box, frames: int | None) -> dict:
    window.playback.first()
    wait_for(app, lambda: window.playback.index == 0, 30)
    window.frame_view.set_box(box, notify=True)
    done = []
    window.tracking.runningChanged.connect(lambda running: done.append(True) if not running else None)
    meter.start()
    started = time.perf_counter()
    if not window.tracking.start(limit=frames):
        raise RuntimeError(window.notifier.last_message)
    wait_for(app, lambda: bool(done), 3600)
    elapsed = time.perf_counter() - started
    result = meter.stop()
    runner = window.tracking.runner
    if window.notifier.last_message:
        result["error"] = " ".join(window.notifier.last_message)
    result.update(
        frames=runner.steps_received,
        frames_drawn=runner.steps_drawn,
        seconds=round(elapsed, 2),
        tracking_fps=round(runner.steps_received / elapsed, 2),
        display_fps=round(runner.steps_drawn / elapsed, 2),
        engine=window.tracking.info.engine or window.tracking.info.name,
    )
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--video", type=Path, default=SHARED_DATA / "videos" / "bag.avi")
    parser.add_argument("--box", default="291,124,150,140")
    parser.add_argument("--model", type=Path, default=None, help="SiamFC model (default: the bundled one)")
    parser.add_argument("--tracker", default="siamfc", help="siamfc, csrt, kcf, mil; identity for the GUI alone")
    parser.add_argument("--frames", type=int, default=None, help="frames to track (default: to the end)")
    parser.add_argument("--play-frames", type=int, default=100)
    parser.add_argument("--device", default="auto")
    args = parser.parse_args()
    if not (os.environ.get("DISPLAY") or os.environ.get("QT_QPA_PLATFORM")):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"

    from PySide6.QtCore import QSettings

    from app.application import application
    from app.main_window import MainWindow
    from app.settings import AppSettings
    from core.boxes import parse_box

    settings_dir = tempfile.mkdtemp(prefix="siamtrack-bench-")
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, settings_dir)
    app = application()
    window = MainWindow(AppSettings(), remember_layout=False)
    window.notifier.dialogs_enabled = False
    window.annotation.set_unattended()  # no project or autosave files beside the video
    tracker = args.tracker
    changes = {"tracker": tracker, "device": args.device, "engine": "auto"}
    if args.model:
        changes["model"] = str(args.model.resolve())
    window.models.update_choice(remember=False, **changes)
    window.show()
    meter = StallMeter()
    window.sources.open(args.video)
    wait_for(app, lambda: window.playback.frame is not None, 60)
    wait_for(app, lambda: not window.models.loading, 120)
    report = {
        "video": args.video.name,
        "platform": os.environ.get("QT_QPA_PLATFORM", "xcb"),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs",
        "tracker": tracker,
        "playback": measure_playback(app, window, meter, args.play_frames),
        "tracking": measure_tracking(app, window, meter, parse_box(args.box), args.frames),
    }
    window.close()
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
