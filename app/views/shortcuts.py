"""Help → Keyboard Shortcuts: every command with its keys, menu by menu, and what the mouse does."""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.views.menus import MENUS

MOUSE = (
    ("Drag on the frame", "Draw a box (a keyframe for the selected object when it has none here)"),
    ("Drag a box or its handles", "Move or resize the selected object's box: it becomes a keyframe"),
    ("Click a box / Ctrl+click", "Select its object / add it to the selection"),
    ("Wheel · Ctrl+drag · double-click", "Zoom · pan · fit the frame"),
    ("Click or drag on the timeline", "Go to that frame"),
    ("Wheel / Alt+wheel / Shift+wheel on the timeline", "Zoom / pan / scroll the rows"),
    ("Double-click a name or class", "Edit it; double-click the swatch to change the colour"),
)


def shortcut_rows(actions: dict[str, QAction]) -> list[tuple[str, list[tuple[str, str]]]]:
    """(menu title, [(command, keys)]) for every menu entry that has keys."""
    native = QKeySequence.SequenceFormat.NativeText
    rows = []
    for title, entries in MENUS:
        listed = []
        for name in entries:
            action = actions.get(name) if name and not name.startswith("@") else None
            if action is not None and action.shortcuts():
                keys = ", ".join(k.toString(native) for k in action.shortcuts())
                listed.append((action.text().replace("&", "").rstrip("…"), keys))
        if listed:
            rows.append((title.replace("&", ""), listed))
    return rows


class ShortcutsDialog(QDialog):
    def __init__(self, actions: dict[str, QAction], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        self.resize(620, 680)
        tree = QTreeWidget()
        tree.setHeaderLabels(["Command", "Keys"])
        tree.setRootIsDecorated(False)
        tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        tree.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        for title, listed in [*shortcut_rows(actions), ("Mouse", [(b, a) for a, b in MOUSE])]:
            heading = QTreeWidgetItem([title])
            font = heading.font(0)
            font.setBold(True)
            heading.setFont(0, font)
            heading.setFirstColumnSpanned(False)
            tree.addTopLevelItem(heading)
            for command, keys in listed:
                tree.addTopLevelItem(QTreeWidgetItem([f"    {command}", keys]))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(tree)
        layout.addWidget(buttons)
        self.tree = tree
