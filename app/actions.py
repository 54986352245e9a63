"""Every command of the window as a QAction, declared once: text, icon, shortcuts, tooltip."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QAction, QIcon, QKeySequence
from PySide6.QtWidgets import QWidget

from app.resources import icon


@dataclass(frozen=True)
class ActionSpec:
    text: str
    tip: str
    shortcuts: tuple[str, ...] = ()
    icon: str = ""
    checkable: bool = False


ACTIONS: dict[str, ActionSpec] = {
    "open_video": ActionSpec("Open &Video…", "Open a video file", ("Ctrl+O",), "open-video"),
    "open_folder": ActionSpec(
        "Open Image &Folder…", "Open a folder of images as frames", ("Ctrl+Shift+O",), "open-folder"
    ),
    "open_camera": ActionSpec("Open &Camera", "Open camera 0 and show it live", ("Ctrl+K",), "camera"),
    "import_weights": ActionSpec(
        "&Import Weights…", "Load a model: .mat, .pth or .safetensors weights", ("Ctrl+I",), "import-weights"
    ),
    "clear_recent": ActionSpec("Clear Recent", "Forget the recently opened sources"),
    "quit": ActionSpec("&Quit", "Close SiamTrack", ("Ctrl+Q",)),
    "play": ActionSpec("Play", "Play or pause", ("Space",), "play"),
    "step_back": ActionSpec("Previous Frame", "One frame back", ("Left",), "step-back"),
    "step_forward": ActionSpec("Next Frame", "One frame forward", ("Right",), "step-forward"),
    "jump_back": ActionSpec("Back 10 Frames", "Ten frames back", ("Shift+Left",), "jump-back"),
    "jump_forward": ActionSpec("Forward 10 Frames", "Ten frames forward", ("Shift+Right",), "jump-forward"),
    "first_frame": ActionSpec("First Frame", "Go to the first frame", ("Home",), "first-frame"),
    "last_frame": ActionSpec("Last Frame", "Go to the last frame", ("End",), "last-frame"),
    "track": ActionSpec("&Track", "Track the box from this frame on", ("T", "Ctrl+Return"), "track"),
    "stop": ActionSpec("&Stop", "Stop tracking", ("Esc",), "stop"),
    "clear_box": ActionSpec("Clear Box", "Remove the box", ("Delete",)),
    "toggle_overlay": ActionSpec(
        "Score &Map Overlay",
        "Show the tracker's score map over the frame",
        ("M",),
        "score-map",
        checkable=True,
    ),
    "fit_view": ActionSpec("&Fit Frame", "Fit the whole frame in the view", ("F",), "fit-view"),
    "about": ActionSpec("&About SiamTrack", "About SiamTrack"),
}


def create_actions(parent: QWidget) -> dict[str, QAction]:
    actions = {}
    for name, spec in ACTIONS.items():
        action = QAction(icon(spec.icon) if spec.icon else QIcon(), spec.text, parent)
        action.setObjectName(name)
        action.setShortcuts([QKeySequence(s) for s in spec.shortcuts])
        action.setCheckable(spec.checkable)
        action.setToolTip(with_shortcut(spec.tip, spec.shortcuts))
        action.setStatusTip(spec.tip)
        parent.addAction(action)  # shortcuts work wherever the focus is in the window
        actions[name] = action
    return actions


def with_shortcut(tip: str, shortcuts: tuple[str, ...]) -> str:
    if not shortcuts:
        return tip
    keys = ", ".join(QKeySequence(s).toString(QKeySequence.SequenceFormat.NativeText) for s in shortcuts)
    return f"{tip} ({keys})"
