"""How the annotation window copes with a long video and many boxes, as JSON.

    .venv/bin/python bench/annotation_ui.py [--frames 10000] [--objects 10] [--repeat 5]

Opens a synthetic video of FRAMES frames in the real window (offscreen unless a display is set), gives it
OBJECTS objects with a box on every frame, then times (median of --repeat, in milliseconds): applying a
tracking run's change for 3 objects over every frame as one undo step (the views follow it), undoing it,
drawing the timeline, drawing one frame's boxes and saving the project file: these run on the GUI thread,
so each is a stall of the window. An autosave costs the GUI thread only its snapshot; the file is written
by a background task (autosave_written_after_ms). The machine's other load shows in the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np


class SyntheticSource:
    """A seekable FrameSource of grey frames (the content does not matter here)."""

    is_live = False
    fps = 25.0

    def __init__(self, frame_count: int, size: tuple[int, int] = (640, 360)) -> None:
        self.frame_count, self.frame_size = frame_count, size
        self.description = f"synthetic — {frame_count} frames"

    def read(self, index: int) -> np.ndarray:
        width, height = self.frame_size
        return np.full((height, width, 3), index % 256, np.uint8)

    def frames(self, start: int = 0, stop: int | None = None, step: int = 1):
        for index in range(start, self.frame_count if stop is None else stop, step):
            yield index, self.read(index)

    def close(self) -> None:
        pass


def median_ms(function, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(times), 2)


def wait_for(app, condition, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        app.processEvents()
        if time.monotonic() > deadline:
            raise RuntimeError("timed out")
        time.sleep(0.005)


def measure_autosave(app, projects, repeat: int) -> dict:
    """The GUI thread's part of an autosave (the snapshot) and the whole write, done by a task."""
    from core.annotations import Flag, set_flag

    saver, project = projects.autosave, projects.project
    gui, total = [], []
    for i in range(repeat):
        projects.push(set_flag(project, 1, [i], Flag.OCCLUDED))
        started = time.perf_counter()
        saver.write()
        gui.append((time.perf_counter() - started) * 1000)
        wait_for(app, lambda: not saver.dirty, 60)
        total.append((time.perf_counter() - started) * 1000)
    return {
        "autosave_gui_thread_ms": round(statistics.median(gui), 2),
        "autosave_written_after_ms": round(statistics.median(total), 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=10_000)
    parser.add_argument("--objects", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QSettings

    from app.application import application
    from app.main_window import MainWindow
    from app.settings import AppSettings
    from core.annotations import BoxRecord, Change, Origin, TrackObject, save_project

    folder = Path(tempfile.mkdtemp(prefix="siamtrack-bench-"))
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    app = application()
    source = SyntheticSource(args.frames)
    window = MainWindow(AppSettings(), source_opener=lambda spec: source, remember_layout=False)
    window.notifier.dialogs_enabled = False
    window.annotation.dialogs.interactive = False
    window.show()
    window.sources.open(str(folder / "clip.avi"))
    projects = window.annotation.projects
    wait_for(app, lambda: projects.project is not None and window.playback.index == 0, 60)
    project = projects.project
    rng = np.random.default_rng(0)

    def boxes(tid: int, origin: Origin) -> dict:
        x = 50 + np.cumsum(rng.normal(0, 1, args.frames))
        return {
            (tid, f): BoxRecord((float(x[f] % 500), 40.0, 60.0, 50.0), origin, 0.8 if f % 7 else 0.15)
            for f in range(args.frames)
        }

    objects = {t: TrackObject(t, "car") for t in range(1, args.objects + 1)}
    projects.push(
        Change("load", {k: v for t in objects for k, v in boxes(t, Origin.TRACKED).items()}, objects)
    )
    window.annotation.selection.set([1, 2, 3])
    run = Change("run", {k: v for t in (1, 2, 3) for k, v in boxes(t, Origin.TRACKED).items()})
    stack = projects.undo_stack

    def apply_run():
        projects.push(run)

    def undo_run():
        stack.undo()

    apply_times, undo_times = [], []
    for _ in range(args.repeat):
        apply_times.append(median_ms(apply_run, 1))
        undo_times.append(median_ms(undo_run, 1))
    presenter, timeline = window.annotation.presenter, window.timeline
    report = {
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs",
        "frames": args.frames,
        "objects": args.objects,
        "boxes": project.box_count,
        "apply_run_ms": round(statistics.median(apply_times), 2),
        "undo_run_ms": round(statistics.median(undo_times), 2),
        "run_boxes": len(run.boxes),
        "timeline_paint_ms": median_ms(lambda: timeline.grab(), args.repeat),
        "frame_boxes_draw_ms": median_ms(presenter.redraw, args.repeat),
        "save_project_ms": median_ms(
            lambda: save_project(project, folder / "clip.siamtrack.json"), args.repeat
        ),
        **measure_autosave(app, projects, args.repeat),
    }
    window.annotation.set_unattended()
    window.shutdown()
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
