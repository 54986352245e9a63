"""File → Export / Import Annotations: the project in other tools' formats (core.annotations.formats).

Export writes every object (formats that hold one object take the selected one); import adds the file's
tracks to the project as new objects (ids already taken are renumbered), as one undo step.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject

from app.controllers.project import ProjectController
from app.controllers.selection import Selection
from app.views.notifier import Notifier
from app.views.project_dialogs import ProjectDialogs
from core.annotations import Change, Project, add_tracks
from core.annotations.formats import FORMATS, AnnotationFormat, get_format
from core.errors import SiamTrackError

SUFFIXES = {"mot": ".txt", "coco-vid": ".json", "cvat-video": ".xml", "otb": ".txt"}
FIRST_FORMAT = "mot"


def suggested_path(project: Project, project_path: Path | None, fmt: AnnotationFormat) -> Path:
    """Beside the project: `bag.mot.txt`, or a folder `bag_yolo` for formats that write one."""
    folder = (project_path or project.video.path).parent
    stem = project.video.path.stem if project.video.path.suffix else project.video.path.name
    if fmt.writes_folder:
        return folder / f"{stem}_{fmt.name}"
    return folder / f"{stem}.{fmt.name}{SUFFIXES.get(fmt.name, '.txt')}"


class AnnotationExchange(QObject):
    def __init__(
        self,
        projects: ProjectController,
        selection: Selection,
        dialogs: ProjectDialogs,
        notifier: Notifier,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.projects, self.selection, self.dialogs, self.notifier = projects, selection, dialogs, notifier
        self.last_format = FIRST_FORMAT

    def _suggestions(self) -> dict[str, Path]:
        project = self.projects.project
        return {name: suggested_path(project, self.projects.path, fmt) for name, fmt in FORMATS.items()}

    def export(self) -> bool:
        project = self.projects.project
        if project is None:
            return False
        answer = self.dialogs.export_target(FORMATS, self._suggestions(), self.last_format)
        if answer is None:
            return False
        name, path = answer
        self.last_format = name
        try:
            fmt = get_format(name)
            chosen = self._objects_for(fmt, project)
            fmt.write(chosen, path)
        except (OSError, SiamTrackError) as error:
            self.notifier.error(f"Cannot export to {path.name}", str(error))
            return False
        self.notifier.info(
            f"Exported {len(chosen.objects)} objects, {chosen.box_count} boxes to {path} ({name})"
        )
        return True

    def _objects_for(self, fmt: AnnotationFormat, project: Project) -> Project:
        if not fmt.single_object or len(project.objects) == 1:
            return project
        if len(self.selection.ids) == 1:
            return project.subset(self.selection.ids)
        raise SiamTrackError(f"{fmt.name} holds one object: select the one to export")

    def import_(self) -> bool:
        project = self.projects.project
        if project is None:
            return False
        answer = self.dialogs.import_source(FORMATS, self._suggestions(), self.last_format)
        if answer is None:
            return False
        name, path = answer
        self.last_format = name
        try:
            if not path.exists():
                raise SiamTrackError(f"not found: {path}")
            imported = get_format(name).read(path, project.video)
            added = add_tracks(project, imported)
        except (OSError, SiamTrackError) as error:
            self.notifier.error(f"Cannot import {path.name}", str(error))
            return False
        if not self.projects.push(Change(f"import {path.name}", added.boxes, added.objects)):
            self.notifier.info(f"{path.name} holds no boxes")
            return False
        self.selection.set(sorted(added.objects))
        self.notifier.info(
            f"Imported {len(added.objects)} objects, {len(added.boxes)} boxes from {path.name}"
        )
        return True
