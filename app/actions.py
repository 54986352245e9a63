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


ANNOTATION_ACTIONS: dict[str, ActionSpec] = {
    "save": ActionSpec("&Save Project", "Save the annotations to the project file", ("Ctrl+S",), "save"),
    "save_as": ActionSpec("Save Project &As…", "Save the annotations to another file", ("Ctrl+Shift+S",)),
    "import_annotations": ActionSpec(
        "Import &Annotations…", "Add the tracks of another tool's annotation file", ("Ctrl+Shift+I",)
    ),
    "export_annotations": ActionSpec(
        "&Export Annotations…", "Write the annotations in another tool's format", ("Ctrl+E",)
    ),
    "undo": ActionSpec("&Undo", "Undo the last edit or tracking run", ("Ctrl+Z",), "undo"),
    "redo": ActionSpec("&Redo", "Redo what was undone", ("Ctrl+Shift+Z", "Ctrl+Y"), "redo"),
    "new_object": ActionSpec(
        "&New Object",
        "Make the box just drawn a new object (or add an object without a box)",
        ("N",),
        "new-object",
    ),
    "delete_object": ActionSpec(
        "Delete &Object",
        "Delete the selected objects with all their boxes",
        ("Ctrl+Delete",),
        "delete-object",
    ),
    "object_colour": ActionSpec("Object &Colour…", "Choose the colour of the selected objects", (), "colour"),
    "hide_object": ActionSpec("&Hide Objects", "Hide or show the selected objects", ("H",), "hide"),
    "track_backward": ActionSpec(
        "Track &Backward",
        "Track the selected objects backward from this frame",
        ("Shift+T",),
        "track-backward",
    ),
    "retrack": ActionSpec(
        "&Re-track to Next Keyframe",
        "Make the selected objects' boxes on this frame keyframes and track them again up to their next "
        "keyframe (after correcting a box)",
        ("R",),
        "retrack",
    ),
    "fill_gap": ActionSpec(
        "&Fill Gap by Tracking",
        "Track both ways between the keyframes around this frame and blend the two passes",
        ("G",),
        "fill-gap",
    ),
    "interpolate": ActionSpec(
        "&Interpolate Gap",
        "Fill the frames between the keyframes around this frame linearly",
        ("I",),
        "interpolate",
    ),
    "retrack_after_correction": ActionSpec(
        "Re-track After &Correction",
        "Moving or resizing a tracked box tracks the object again up to its next keyframe",
        checkable=True,
    ),
    "delete_to_keyframe": ActionSpec(
        "Delete to Next &Keyframe",
        "Delete the selected objects' boxes from this frame up to (not including) their next keyframe",
        ("Shift+Delete",),
    ),
    "delete_range": ActionSpec(
        "Delete &Range…", "Delete the selected objects' boxes on a range of frames", ("Ctrl+Shift+Delete",)
    ),
    "next_keyframe": ActionSpec(
        "Next Keyframe", "Go to the selected objects' next keyframe", ("Ctrl+Right",), "next-keyframe"
    ),
    "previous_keyframe": ActionSpec(
        "Previous Keyframe",
        "Go to the selected objects' previous keyframe",
        ("Ctrl+Left",),
        "previous-keyframe",
    ),
    "next_flagged": ActionSpec("Next Frame to Review", "Go to the next frame marked for review", ("]",)),
    "previous_flagged": ActionSpec(
        "Previous Frame to Review", "Go to the previous frame marked for review", ("[",)
    ),
    "toggle_occluded": ActionSpec(
        "&Occluded", "Mark the selected objects occluded on this frame, or clear the mark", ("O",)
    ),
    "toggle_out_of_view": ActionSpec(
        "Out of &View", "Mark the selected objects out of view on this frame, or clear the mark", ("V",)
    ),
    "accept_review": ActionSpec(
        "&Accept (Clear Review Mark)",
        "Clear the review mark of the selected objects (all objects when none is selected) on this frame",
        ("A",),
    ),
}

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
    "track": ActionSpec(
        "&Track Forward",
        "Track the selected objects forward from this frame (a box just drawn becomes a new object)",
        ("T", "Ctrl+Return"),
        "track",
    ),
    "stop": ActionSpec("&Stop", "Stop tracking", ("Esc",), "stop"),
    "clear_box": ActionSpec(
        "Delete &Box", "Delete the selected object's box on this frame, or the box just drawn", ("Delete",)
    ),
    **ANNOTATION_ACTIONS,
    "toggle_overlay": ActionSpec(
        "Score &Map Overlay",
        "Show the tracker's score map over the frame",
        ("M",),
        "score-map",
        checkable=True,
    ),
    "fit_view": ActionSpec("&Fit Frame", "Fit the whole frame in the view", ("F",), "fit-view"),
    "train": ActionSpec("&Train…", "Train a SiamFC network and follow the run live", ("Ctrl+Shift+T",)),
    "evaluate": ActionSpec(
        "&Evaluate…", "Score trackers on annotated sequences (OTB / VOT protocols) and open the report"
    ),
    "shortcuts": ActionSpec("&Keyboard Shortcuts", "Every command and its keys", ("F1",)),
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
