"""The menu bar and the toolbar, declared as lists of action names (None: a separator; "@name": a widget)."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QMenuBar, QToolBar, QWidget

from app.controllers.sources import display_name

NAVIGATION = ("first_frame", "jump_back", "step_back", "play", "step_forward", "jump_forward", "last_frame")
MENUS: tuple[tuple[str, tuple[str | None, ...]], ...] = (
    (
        "&File",
        (
            "open_video",
            "open_folder",
            "open_camera",
            "@recent",
            None,
            "save",
            "save_as",
            None,
            "import_annotations",
            "export_annotations",
            None,
            "import_weights",
            None,
            "quit",
        ),
    ),
    (
        "&Edit",
        (
            "undo",
            "redo",
            None,
            "new_object",
            "delete_object",
            "object_colour",
            "hide_object",
            None,
            "clear_box",
            "delete_to_keyframe",
            "delete_range",
            None,
            "toggle_occluded",
            "toggle_out_of_view",
            "accept_review",
        ),
    ),
    (
        "&Playback",
        (
            "play",
            "step_back",
            "step_forward",
            "jump_back",
            "jump_forward",
            "first_frame",
            "last_frame",
            None,
            "previous_keyframe",
            "next_keyframe",
            "previous_flagged",
            "next_flagged",
        ),
    ),
    (
        "&Track",
        (
            "track",
            "track_backward",
            "retrack",
            None,
            "fill_gap",
            "interpolate",
            None,
            "@run_length",
            "retrack_after_correction",
            None,
            "stop",
        ),
    ),
    ("&Tools", ("train", "evaluate")),
    ("&View", ("toggle_overlay", "fit_view", None, "@docks")),
    ("&Help", ("shortcuts", "about")),
)
TOOLBAR: tuple[str | None, ...] = (
    "open_video",
    "open_folder",
    "open_camera",
    "save",
    None,
    "undo",
    "redo",
    None,
    "track_backward",
    "track",
    "@run_length",
    "retrack",
    "fill_gap",
    "stop",
    None,
    "toggle_overlay",
    "@overlay_controls",
    None,
    "fit_view",
    "import_weights",
)
ICON_ONLY = (
    "open_video",
    "open_folder",
    "open_camera",
    "fit_view",
    "import_weights",
    "save",
    "undo",
    "redo",
    "track_backward",
    "retrack",
    "fill_gap",
)


class RecentMenu(QMenu):
    """File → Open Recent: the recently opened sources, newest first."""

    openRequested = Signal(str)

    def __init__(self, clear_action: QAction, parent: QWidget | None = None) -> None:
        super().__init__("Open &Recent", parent)
        self._clear_action = clear_action

    def set_sources(self, recent: list[str]) -> None:
        self.clear()
        for spec in recent:
            action = QAction(display_name(spec), self)
            action.setToolTip(spec)
            action.setStatusTip(spec)
            action.triggered.connect(lambda _checked=False, spec=spec: self.openRequested.emit(spec))
            self.addAction(action)
        if recent:
            self.addSeparator()
        self.addAction(self._clear_action)
        self.setEnabled(bool(recent))


def build_menus(
    bar: QMenuBar,
    actions: dict[str, QAction],
    recent: QMenu,
    dock_actions: Iterable[QAction],
    submenus: dict[str, QMenu] | None = None,
) -> None:
    extras = {"@recent": [recent.menuAction()], "@docks": list(dock_actions)}
    extras.update({f"@{name}": [menu.menuAction()] for name, menu in (submenus or {}).items()})
    for title, entries in MENUS:
        menu = bar.addMenu(title)
        for entry in entries:
            if entry is None:
                menu.addSeparator()
            elif entry.startswith("@"):
                menu.addActions(extras.get(entry, []))
            else:
                menu.addAction(actions[entry])


def build_toolbar(parent: QWidget, actions: dict[str, QAction], widgets: dict[str, QWidget]) -> QToolBar:
    toolbar = QToolBar("Main", parent)
    toolbar.setObjectName("toolbar_main")
    toolbar.setIconSize(QSize(22, 22))
    toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    toolbar.setMovable(False)
    for entry in TOOLBAR:
        if entry is None:
            toolbar.addSeparator()
        elif entry.startswith("@"):
            if entry[1:] in widgets:
                toolbar.addWidget(widgets[entry[1:]])
        else:
            toolbar.addAction(actions[entry])
    for name in ICON_ONLY:
        toolbar.widgetForAction(actions[name]).setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
    return toolbar
