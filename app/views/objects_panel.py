"""The objects of the project: id, colour, name, class label, visibility and how many boxes each has.

Names and classes are edited in place (double-click, or F2); the class is an editable list of the classes
the project already uses. The check box shows or hides an object; double-clicking the colour swatch asks
for a new colour. Several objects can be selected (Ctrl/Shift+click) to be tracked together.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, QSize, Qt, Signal
from PySide6.QtGui import QAction, QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

ID_COLUMN, NAME_COLUMN, CLASS_COLUMN, BOXES_COLUMN = range(4)
TRACK_ID_ROLE = Qt.ItemDataRole.UserRole + 1


@dataclass(frozen=True)
class ObjectRow:
    track_id: int
    name: str
    label: str
    colour: str
    hidden: bool
    boxes: int
    keyframes: int


def swatch(colour: str, size: int = 14) -> QIcon:
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setBrush(QColor(colour))
    painter.setPen(QColor(colour).darker(150))
    painter.drawRoundedRect(1, 1, size - 2, size - 2, 3, 3)
    painter.end()
    return QIcon(pixmap)


class ReadOnlyDelegate(QStyledItemDelegate):
    """Columns that are not edited in place (the id, the box count)."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index) -> None:
        return None


class ClassDelegate(QStyledItemDelegate):
    """An editable combo box of the project's classes for the class column."""

    def __init__(self, panel: ObjectsPanel) -> None:
        super().__init__(panel)
        self.panel = panel

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index) -> QWidget:
        combo = QComboBox(parent)
        combo.setEditable(True)
        combo.addItems(self.panel.classes)
        combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        return combo

    def setEditorData(self, editor: QComboBox, index: QModelIndex | QPersistentModelIndex) -> None:
        editor.setCurrentText(str(index.data()))

    def setModelData(self, editor: QComboBox, model: QAbstractItemModel, index) -> None:
        model.setData(index, editor.currentText().strip())


class ObjectsPanel(QWidget):
    selectionChanged = Signal(list, object)  # track ids in order, the current one (or None)
    renamed = Signal(int, str)
    labelChanged = Signal(int, str)
    visibilityChanged = Signal(int, bool)  # track id, visible
    colourRequested = Signal(int)

    def __init__(self, actions: Sequence[QAction], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.classes: list[str] = []
        self._rows: dict[int, ObjectRow] = {}
        self._updating = False
        self.tree = QTreeWidget()
        self.tree.setObjectName("objects_tree")
        self.tree.setColumnCount(4)
        self.tree.setHeaderLabels(["ID", "Name", "Class", "Boxes"])
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.setIconSize(QSize(14, 14))
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.tree.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.tree.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.tree.setItemDelegateForColumn(CLASS_COLUMN, ClassDelegate(self))
        read_only = ReadOnlyDelegate(self)
        self.tree.setItemDelegateForColumn(ID_COLUMN, read_only)
        self.tree.setItemDelegateForColumn(BOXES_COLUMN, read_only)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(ID_COLUMN, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(NAME_COLUMN, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(CLASS_COLUMN, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(BOXES_COLUMN, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.headerItem().setToolTip(ID_COLUMN, "Object id; the check box shows or hides the object")
        self.tree.headerItem().setToolTip(BOXES_COLUMN, "Boxes (keyframes among them)")
        self.tree.itemSelectionChanged.connect(self._on_selection)
        self.tree.itemChanged.connect(self._on_item_changed)
        self.tree.itemDoubleClicked.connect(self._on_double_click)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: #9aa3ad; padding: 2px 4px;")
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.setSpacing(2)
        for action in actions:
            button = QToolButton()
            button.setDefaultAction(action)
            button.setAutoRaise(True)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(4)
        layout.addLayout(buttons)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.hint)
        self.set_hint("")

    # --- content --------------------------------------------------------------------------------------
    def set_objects(self, rows: Sequence[ObjectRow], classes: Sequence[str]) -> None:
        """Show these objects (keeping the selection of those that remain)."""
        self.classes = sorted(set(classes))
        self._rows = {row.track_id: row for row in rows}
        self._updating = True
        try:
            items = {
                self._track_id(self.tree.topLevelItem(i)): i for i in range(self.tree.topLevelItemCount())
            }
            if [row.track_id for row in rows] != list(items):
                self.tree.clear()
                for row in rows:
                    item = QTreeWidgetItem()
                    item.setData(ID_COLUMN, TRACK_ID_ROLE, row.track_id)
                    item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable | Qt.ItemFlag.ItemIsUserCheckable)
                    self.tree.addTopLevelItem(item)
            for i, row in enumerate(rows):
                self._fill(self.tree.topLevelItem(i), row)
        finally:
            self._updating = False

    def _fill(self, item: QTreeWidgetItem, row: ObjectRow) -> None:
        item.setText(ID_COLUMN, str(row.track_id))
        item.setIcon(ID_COLUMN, swatch(row.colour))
        item.setCheckState(ID_COLUMN, Qt.CheckState.Unchecked if row.hidden else Qt.CheckState.Checked)
        item.setText(NAME_COLUMN, row.name)
        item.setText(CLASS_COLUMN, row.label)
        item.setText(BOXES_COLUMN, f"{row.boxes} ({row.keyframes})")
        item.setToolTip(
            ID_COLUMN, "Double-click the swatch to change the colour; the check box shows or hides it"
        )
        item.setToolTip(NAME_COLUMN, "Double-click to rename")
        item.setToolTip(CLASS_COLUMN, "Double-click to choose or type the class")
        item.setToolTip(BOXES_COLUMN, f"{row.boxes} boxes, {row.keyframes} of them keyframes")
        grey = QColor("#7d858f") if row.hidden else QColor("#dfe3e8")
        for column in (NAME_COLUMN, CLASS_COLUMN, BOXES_COLUMN):
            item.setForeground(column, grey)

    def set_selection(self, track_ids: Sequence[int], current: int | None) -> None:
        self._updating = True
        try:
            wanted = set(track_ids)
            for i in range(self.tree.topLevelItemCount()):
                item = self.tree.topLevelItem(i)
                item.setSelected(self._track_id(item) in wanted)
                if self._track_id(item) == current:
                    self.tree.setCurrentItem(
                        item, NAME_COLUMN, self.tree.selectionModel().SelectionFlag.NoUpdate
                    )
                    self.tree.scrollToItem(item)
        finally:
            self._updating = False

    def set_hint(self, text: str) -> None:
        self.hint.setText(text)
        self.hint.setVisible(bool(text))

    def item_for(self, track_id: int) -> QTreeWidgetItem | None:
        for i in range(self.tree.topLevelItemCount()):
            if self._track_id(self.tree.topLevelItem(i)) == track_id:
                return self.tree.topLevelItem(i)
        return None

    # --- reactions ------------------------------------------------------------------------------------
    @staticmethod
    def _track_id(item: QTreeWidgetItem) -> int:
        return int(item.data(ID_COLUMN, TRACK_ID_ROLE))

    def _on_selection(self) -> None:
        if self._updating:
            return
        selected = [self._track_id(item) for item in self.tree.selectedItems()]
        current_item = self.tree.currentItem()
        current = self._track_id(current_item) if current_item is not None else None
        self.selectionChanged.emit(selected, current if current in selected else None)

    def _on_item_changed(self, item: QTreeWidgetItem, column: int) -> None:
        if self._updating:
            return
        track_id = self._track_id(item)
        if column in (NAME_COLUMN, CLASS_COLUMN) and not item.text(column).strip():
            self._updating = True  # a name and a class cannot be empty: show the old one again
            item.setText(
                column, self._rows[track_id].name if column == NAME_COLUMN else self._rows[track_id].label
            )
            self._updating = False
            return
        if column == ID_COLUMN:
            self.visibilityChanged.emit(track_id, item.checkState(ID_COLUMN) == Qt.CheckState.Checked)
        elif column == NAME_COLUMN:
            self.renamed.emit(track_id, item.text(NAME_COLUMN).strip())
        elif column == CLASS_COLUMN:
            self.labelChanged.emit(track_id, item.text(CLASS_COLUMN).strip())

    def _on_double_click(self, item: QTreeWidgetItem, column: int) -> None:
        if column == ID_COLUMN:
            self.colourRequested.emit(self._track_id(item))
