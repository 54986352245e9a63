"""The questions the annotation workflow asks: restore unsaved work, save before closing, where to keep a
project, which format to export or import, a colour, a range of frames.

One object holds them all, so tests replace its methods with canned answers and scripted runs (nobody at
the screen) get the cautious answer without a dialog: restore nothing, save nothing, write nowhere.
"""

from __future__ import annotations

import time
import weakref
from collections.abc import Mapping
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QColorDialog,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QWidget,
)

from core.annotations.formats import AnnotationFormat
from core.annotations.project_file import SUFFIX

PROJECT_FILTER = f"SiamTrack projects (*{SUFFIX});;All files (*)"
SAVE, DISCARD, CANCEL = "save", "discard", "cancel"


def describe_time(seconds_since_epoch: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(seconds_since_epoch))


class ProjectDialogs:
    def __init__(self, parent: QWidget) -> None:
        self._parent = weakref.ref(parent)  # the window holds these dialogs: no reference cycle back
        self.interactive = True  # False for scripted runs: nobody is there to answer

    @property
    def parent(self) -> QWidget:
        return self._parent()

    # --- recovery -------------------------------------------------------------------------------------
    def restore_recovery(self, project_name: str, saved_at: float) -> bool:
        if not self.interactive:
            return False
        answer = QMessageBox.question(
            self.parent,
            "Restore unsaved work?",
            f"SiamTrack did not close normally last time. Unsaved annotations of {project_name} were kept "
            f"(autosaved {describe_time(saved_at)}), newer than the project file.\n\n"
            "Restore them? (No discards them and opens the saved project.)",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.Yes,
        )
        return answer == QMessageBox.StandardButton.Yes

    def restore_after_corrupt(self, project_name: str, problem: str, saved_at: float) -> bool:
        if not self.interactive:
            return False
        answer = QMessageBox.question(
            self.parent,
            "The project file cannot be read",
            f"{problem}\n\nThe last good autosave of {project_name} is from {describe_time(saved_at)}. "
            "Open it? (No starts an empty project; the damaged file is left as it is.)",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.Yes,
        )
        return answer == QMessageBox.StandardButton.Yes

    # --- saving ---------------------------------------------------------------------------------------
    def save_changes(self, project_name: str) -> str:
        """Before closing a project with unsaved changes: SAVE, DISCARD or CANCEL."""
        if not self.interactive:
            return DISCARD
        buttons = QMessageBox.StandardButton
        answer = QMessageBox.question(
            self.parent,
            "Save changes?",
            f"The annotations of {project_name} have unsaved changes.",
            buttons.Save | buttons.Discard | buttons.Cancel,
            buttons.Save,
        )
        return {buttons.Save: SAVE, buttons.Discard: DISCARD}.get(answer, CANCEL)

    def project_location(self, suggested: Path) -> Path | None:
        """Where to keep the project of a video whose folder cannot be written to."""
        if not self.interactive:
            return None
        QMessageBox.information(
            self.parent,
            "Choose where to keep the annotations",
            f"The folder of the video ({suggested.parent}) cannot be written to. "
            "Choose where SiamTrack keeps the project file and its autosaves.",
        )
        return self.save_as(Path.home() / suggested.name)

    def save_as(self, suggested: Path) -> Path | None:
        if not self.interactive:
            return None
        path, _ = QFileDialog.getSaveFileName(self.parent, "Save project as", str(suggested), PROJECT_FILTER)
        if not path:
            return None
        path = Path(path)
        return path if path.name.endswith(SUFFIX) else path.with_name(path.name.split(".")[0] + SUFFIX)

    # --- objects and ranges ---------------------------------------------------------------------------
    def colour(self, initial: str) -> str | None:
        if not self.interactive:
            return None
        colour = QColorDialog.getColor(QColor(initial), self.parent, "Object colour")
        return colour.name() if colour.isValid() else None

    def frame_range(self, first: int, last: int, frame_count: int) -> tuple[int, int] | None:
        if not self.interactive:
            return None
        dialog = RangeDialog(first, last, frame_count, self.parent)
        return dialog.values() if dialog.exec() == QDialog.DialogCode.Accepted else None

    # --- other tools' formats -------------------------------------------------------------------------
    def export_target(
        self, formats: Mapping[str, AnnotationFormat], suggest: Mapping[str, Path], chosen: str
    ) -> tuple[str, Path] | None:
        if not self.interactive:
            return None
        dialog = FormatDialog("Export annotations", "Export", formats, suggest, chosen, True, self.parent)
        return dialog.values() if dialog.exec() == QDialog.DialogCode.Accepted else None

    def import_source(
        self, formats: Mapping[str, AnnotationFormat], suggest: Mapping[str, Path], chosen: str
    ) -> tuple[str, Path] | None:
        if not self.interactive:
            return None
        dialog = FormatDialog("Import annotations", "Import", formats, suggest, chosen, False, self.parent)
        return dialog.values() if dialog.exec() == QDialog.DialogCode.Accepted else None


class RangeDialog(QDialog):
    def __init__(self, first: int, last: int, frame_count: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Delete boxes on frames")
        self.first, self.last = QSpinBox(), QSpinBox()
        for spin, value in ((self.first, first), (self.last, last)):
            spin.setRange(0, frame_count - 1)
            spin.setValue(value)
        form = QFormLayout(self)
        form.addRow("From frame", self.first)
        form.addRow("To frame (included)", self.last)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def values(self) -> tuple[int, int]:
        return self.first.value(), self.last.value()


class FormatDialog(QDialog):
    """A format and a file or folder (which, the format says) to write to or read from."""

    def __init__(
        self,
        title: str,
        verb: str,
        formats: Mapping[str, AnnotationFormat],
        suggest: Mapping[str, Path],
        chosen: str,
        writing: bool,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(560)
        self.formats, self.suggest, self.writing = formats, suggest, writing
        self.combo = QComboBox()
        for name, fmt in formats.items():
            self.combo.addItem(name, name)
            self.combo.setItemData(self.combo.count() - 1, fmt.description, Qt.ItemDataRole.ToolTipRole)
        self.combo.setCurrentIndex(max(self.combo.findData(chosen), 0))
        self.description = QLabel()
        self.description.setWordWrap(True)
        self.description.setStyleSheet("color: #9aa3ad;")
        self.path = QLineEdit()
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        form = QFormLayout(self)
        form.addRow("Format", self.combo)
        form.addRow("", self.description)
        form.addRow("File or folder", row)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(verb)
        buttons.accepted.connect(self._accept_if_complete)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.combo.currentIndexChanged.connect(self._on_format)
        self._on_format()

    def values(self) -> tuple[str, Path]:
        return self.combo.currentData(), Path(self.path.text().strip())

    def _format(self) -> AnnotationFormat:
        return self.formats[self.combo.currentData()]

    def _on_format(self) -> None:
        fmt = self._format()
        kind = "a folder of per-frame files" if fmt.writes_folder else "one file"
        self.description.setText(f"{fmt.description} — {kind}")
        suggestion = self.suggest.get(fmt.name)
        if suggestion is not None:
            self.path.setText(str(suggestion))

    def _browse(self) -> None:
        fmt, start = self._format(), self.path.text() or str(Path.home())
        if fmt.writes_folder:
            path = QFileDialog.getExistingDirectory(self, "Choose a folder", start)
        elif self.writing:
            path, _ = QFileDialog.getSaveFileName(self, "Export to", start)
        else:
            path, _ = QFileDialog.getOpenFileName(self, "Import from", start)
        if path:
            self.path.setText(path)

    def _accept_if_complete(self) -> None:
        if self.path.text().strip():
            self.accept()
