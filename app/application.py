"""Creating the QApplication the same way for the window, scripted runs, tests and benchmarks."""

from __future__ import annotations

import os
import sys

from pyqtgraph.util.garbage_collector import GarbageCollector
from PySide6.QtWidgets import QApplication

from app.resources import icon
from app.settings import APPLICATION, ORGANIZATION
from app.style import apply_style
from core.errors import SiamTrackError

GC_INTERVAL_S = 0.5
GUI_PLATFORMS_NEEDING_NO_DISPLAY = ("offscreen", "minimal", "vnc", "eglfs", "linuxfb", "wayland")


def check_display() -> None:
    """On Linux without a display Qt aborts the process; say it in one line instead."""
    if not sys.platform.startswith("linux"):
        return
    platform = os.environ.get("QT_QPA_PLATFORM", "")
    if platform.startswith(GUI_PLATFORMS_NEEDING_NO_DISPLAY):
        return
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        raise SiamTrackError(
            "no display found: start SiamTrack from a desktop session, run it under xvfb-run, "
            "or set QT_QPA_PLATFORM=offscreen for scripted runs"
        )


def leave_a_core_for_the_window() -> None:
    """Torch's CPU threads spin on every core they get; one core less keeps the event loop responsive
    (measured with bench/gui_latency.py on 2 cores: stalls of 400 ms with 2 threads, under 80 ms with 1)."""
    import torch

    cores = os.cpu_count() or 1
    if torch.get_num_threads() >= cores > 1:
        torch.set_num_threads(cores - 1)


def application() -> QApplication:
    """The running QApplication, created and styled on first use."""
    app = QApplication.instance()
    if app is None:
        check_display()
        app = QApplication([sys.argv[0] if sys.argv else "siamtrack"])
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationDisplayName("SiamTrack")
    app.setWindowIcon(icon("siamtrack"))
    apply_style(app)
    leave_a_core_for_the_window()
    collect_garbage_on_the_gui_thread(app)
    return app


def collect_garbage_on_the_gui_thread(app: QApplication) -> None:
    """Python collects reference cycles on whichever thread happens to allocate, worker threads included.
    A cycle holding Qt objects (a pyqtgraph menu, a worker's connections) destroyed there deadlocks against
    the GUI thread (seen while a tracking worker allocated and the window painted). So automatic collection
    is off and pyqtgraph's GarbageCollector collects on a timer of the GUI thread, by Python's thresholds."""
    if getattr(app, "_garbage_collector", None) is None:
        app._garbage_collector = GarbageCollector(interval=GC_INTERVAL_S)
