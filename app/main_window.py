"""The main window: builds the views, creates one controller per concern and connects them. No logic."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QDockWidget,
    QFileDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QStackedWidget,
    QUndoView,
    QVBoxLayout,
    QWidget,
)

from app.actions import create_actions
from app.annotation_workflow import AnnotationWorkflow
from app.controllers.action_state import ActionState
from app.controllers.models import DEVICES, USER_TRACKERS, WEIGHTS_FILTER, ModelController, preset_names
from app.controllers.overlay import OverlayController
from app.controllers.playback import PlaybackController
from app.controllers.sources import SourceController, SourceOpener, display_name
from app.controllers.tracking import TrackingController
from app.resources import icon
from app.settings import AppSettings
from app.tools import Tools
from app.views.frame_view import FrameView
from app.views.menus import NAVIGATION, RecentMenu, build_menus, build_toolbar
from app.views.model_panel import ModelPanel
from app.views.notifier import Notifier
from app.views.objects_panel import ObjectsPanel
from app.views.overlay_controls import OverlayControls
from app.views.readouts import ReadoutsPanel
from app.views.run_length import RunLengthControls
from app.views.scale_maps import ScaleMapsView
from app.views.score_overlay import ScoreMapOverlay
from app.views.score_plot import ScorePlot
from app.views.timeline import TimelineView
from app.views.transport_bar import TransportBar
from app.views.welcome import WelcomePage
from app.workers.task import TaskRunner
from core.engines import engine_names
from core.sources import FrameSource, open_source
from core.sources.folder import IMAGE_SUFFIXES
from core.sources.video import VIDEO_SUFFIXES

VIDEO_FILTER = "Videos ({});;All files (*)".format(" ".join(f"*{s}" for s in sorted(VIDEO_SUFFIXES)))
SCREEN_SHARE = 0.92  # of the available screen, at most, for a first start


class MainWindow(QMainWindow):
    def __init__(
        self,
        settings: AppSettings | None = None,
        source_opener: SourceOpener = open_source,
        remember_layout: bool = True,
    ) -> None:
        super().__init__()
        self.settings = settings or AppSettings()
        self.remember_layout = remember_layout  # scripted runs neither use nor change the user's layout
        self.setWindowTitle("SiamTrack")
        self.setWindowIcon(icon("siamtrack"))
        self.setAcceptDrops(True)
        self.setDockOptions(QMainWindow.DockOption.AnimatedDocks | QMainWindow.DockOption.AllowTabbedDocks)
        self.actions = create_actions(self)
        self._build_views()
        self._build_controllers(source_opener)
        self.recent_menu = RecentMenu(self.actions["clear_recent"], self)
        self.recent_menu.set_sources(self.sources.recent())
        build_menus(
            self.menuBar(),
            self.actions,
            self.recent_menu,
            [dock.toggleViewAction() for dock in self.docks.values()],
            {"run_length": self.run_length.menu},
        )
        self.addToolBar(
            build_toolbar(
                self, self.actions, {"overlay_controls": self.overlay_controls, "run_length": self.run_length}
            )
        )
        self._connect()
        self.annotation = AnnotationWorkflow(self)
        self.tools = Tools(self)
        self._restore_layout()
        self.action_state.update()

    # --- views ------------------------------------------------------------------------------------------
    def _build_views(self) -> None:
        a = self.actions
        d = self.settings.defaults
        self.overlay = ScoreMapOverlay(d.overlay_colormap, d.overlay_opacity, d.overlay_visible)
        self.frame_view = FrameView(self.overlay)
        self.transport = TransportBar([a[name] for name in NAVIGATION])
        self.timeline = TimelineView()
        frame_page = QWidget()
        layout = QVBoxLayout(frame_page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.frame_view, 1)
        layout.addWidget(self.timeline)
        layout.addWidget(self.transport)
        self.welcome = WelcomePage([a["open_video"], a["open_folder"], a["open_camera"]])
        self.pages = QStackedWidget()
        self.pages.addWidget(self.welcome)
        self.pages.addWidget(frame_page)
        self.setCentralWidget(self.pages)

        self.model_panel = ModelPanel(
            USER_TRACKERS, engine_names(), preset_names(), DEVICES, a["import_weights"]
        )
        self.readouts = ReadoutsPanel()
        self.score_plot = ScorePlot()
        self.scale_maps = ScaleMapsView(d.overlay_colormap)
        self.overlay_controls = OverlayControls()
        self.run_length = RunLengthControls()
        self.objects_panel = ObjectsPanel(
            [a[name] for name in ("new_object", "delete_object", "object_colour", "hide_object")]
        )
        self.docks = {
            "objects": self._dock(
                "objects", "Objects", self.objects_panel, Qt.DockWidgetArea.RightDockWidgetArea
            ),
            "tracker": self._dock(
                "tracker", "Tracker", self.model_panel, Qt.DockWidgetArea.RightDockWidgetArea
            ),
            "readouts": self._dock(
                "readouts", "Readouts", self.readouts, Qt.DockWidgetArea.RightDockWidgetArea
            ),
            "scale_maps": self._dock(
                "scale_maps", "Scale maps", self.scale_maps, Qt.DockWidgetArea.BottomDockWidgetArea
            ),
            "score": self._dock(
                "score", "Peak score", self.score_plot, Qt.DockWidgetArea.BottomDockWidgetArea
            ),
            "history": self._dock("history", "History", QUndoView(), Qt.DockWidgetArea.RightDockWidgetArea),
        }
        self.tabifyDockWidget(self.docks["readouts"], self.docks["history"])
        self.docks["readouts"].raise_()
        self.splitDockWidget(self.docks["scale_maps"], self.docks["score"], Qt.Orientation.Horizontal)
        self.resizeDocks(
            [self.docks["objects"], self.docks["tracker"], self.docks["readouts"]],
            [250, 215, 235],
            Qt.Orientation.Vertical,
        )
        self.resizeDocks([self.docks["tracker"]], [330], Qt.Orientation.Horizontal)
        self.resizeDocks([self.docks["scale_maps"]], [200], Qt.Orientation.Vertical)
        self.resizeDocks(
            [self.docks["scale_maps"], self.docks["score"]], [520, 700], Qt.Orientation.Horizontal
        )

        status = self.statusBar()
        self.notifier = Notifier(self, status)
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setMaximumWidth(90)
        self.busy.setMaximumHeight(12)
        self.busy.hide()
        self.cursor_label = QLabel()
        self.cursor_label.setMinimumWidth(130)
        self.source_label = QLabel("No source")
        status.addPermanentWidget(self.busy)
        status.addPermanentWidget(self.cursor_label)
        status.addPermanentWidget(self.source_label)

    def _dock(self, name: str, title: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(f"dock_{name}")
        dock.setWidget(widget)
        dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetMovable
            | QDockWidget.DockWidgetFeature.DockWidgetClosable
            | QDockWidget.DockWidgetFeature.DockWidgetFloatable
        )
        self.addDockWidget(area, dock)
        return dock

    # --- controllers ------------------------------------------------------------------------------------
    def _build_controllers(self, source_opener: SourceOpener) -> None:
        self.tasks = TaskRunner(self)
        self.sources = SourceController(self.settings, self.tasks, self.notifier, source_opener, self)
        self.playback = PlaybackController(self.frame_view, self.transport, self.notifier, self)
        self.models = ModelController(self.model_panel, self.settings, self.tasks, self)
        self.tracking = TrackingController(
            self.playback,
            self.models,
            self.frame_view,
            self.readouts,
            self.scale_maps,
            self.score_plot,
            self.notifier,
            self,
        )
        self.action_state = ActionState(
            self.actions,
            self.playback,
            self.tracking,
            self.frame_view,
            self.transport,
            self.model_panel,
            self,
        )
        self.overlay_settings = OverlayController(
            self.overlay,
            self.scale_maps,
            self.overlay_controls,
            self.actions["toggle_overlay"],
            self.settings,
            self,
        )

    def _connect(self) -> None:
        a, playback, tracking = self.actions, self.playback, self.tracking
        for name, slot in {
            "open_video": self.choose_video,
            "open_folder": self.choose_folder,
            "open_camera": self.sources.open_camera,
            "import_weights": self.choose_weights,
            "clear_recent": self.sources.clear_recent,
            "quit": self.close,
            "about": self.show_about,
            "play": playback.toggle_play,
            "step_back": playback.step_back,
            "step_forward": playback.step_forward,
            "jump_back": playback.jump_back,
            "jump_forward": playback.jump_forward,
            "first_frame": playback.first,
            "last_frame": playback.last,
            "track": tracking.start,
            "stop": tracking.stop,
            "fit_view": self.frame_view.fit,
            "clear_box": lambda: self.frame_view.set_box(None, notify=True),
        }.items():
            a[name].triggered.connect(lambda _checked=False, slot=slot: slot())
        self.sources.aboutToChange.connect(self._release_source)
        self.sources.opened.connect(self._show_source)
        self.sources.busyChanged.connect(self._update_busy)
        self.sources.recentChanged.connect(self.recent_menu.set_sources)
        self.recent_menu.openRequested.connect(self.sources.open)
        self.frame_view.cursorMoved.connect(self._show_cursor)

    # --- reactions --------------------------------------------------------------------------------------
    def _release_source(self) -> None:
        self.tracking.stop()
        self.playback.set_source(None)

    def _show_source(self, source: FrameSource, spec: str) -> None:
        self.pages.setCurrentIndex(1)
        self.frame_view.set_drawing_enabled(True)
        self.frame_view.set_box(None)
        self.tracking.clear()
        self.playback.set_source(source)
        self.source_label.setText(source.description)
        self.setWindowTitle(f"{display_name(spec)} — SiamTrack")
        self.frame_view.setFocus()
        self.action_state.update()

    def _update_busy(self, busy: bool) -> None:
        self.busy.setVisible(busy)
        self.setCursor(Qt.CursorShape.BusyCursor if busy else Qt.CursorShape.ArrowCursor)

    def _show_cursor(self, x: float, y: float) -> None:
        self.cursor_label.setText(f"x {x:7.1f}  y {y:7.1f}")

    # --- dialogs ----------------------------------------------------------------------------------------
    def choose_video(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open video", self._last_dir(), VIDEO_FILTER)
        if path:
            self.sources.open(path)

    def choose_folder(self) -> None:
        path = QFileDialog.getExistingDirectory(self, "Open image folder", self._last_dir())
        if path:
            self.sources.open(path)

    def choose_weights(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Import weights", self._last_dir(), WEIGHTS_FILTER)
        if path:
            self.models.use_weights(path)

    def show_about(self) -> None:
        QMessageBox.about(
            self,
            "About SiamTrack",
            "<b>SiamTrack</b><br>Track objects in video with a fully-convolutional Siamese "
            "network (SiamFC, Bertinetto et al. 2016).<br><br>"
            "Drag a box around an object, press <b>T</b> to track, <b>Esc</b> to stop.<br>"
            "Space: play/pause · ←/→: ±1 frame · Shift+←/→: ±10 · Home/End: first/last",
        )

    def _last_dir(self) -> str:
        recent = self.sources.recent()
        return str(Path(recent[0]).parent) if recent and Path(recent[0]).exists() else str(Path.home())

    # --- drag and drop, layout, closing -----------------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if _dropped_path(event) is not None:
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        path = _dropped_path(event)
        if path is not None:
            event.acceptProposedAction()
            self.sources.open(path)

    def _restore_layout(self) -> None:
        d = self.settings.defaults
        self.resize(d.window_width, d.window_height)
        if not self.remember_layout:  # scripted runs: the same size everywhere, for comparable screenshots
            return
        self._fit_to_screen()
        geometry, state = self.settings.window_state()
        if geometry is not None:
            self.restoreGeometry(geometry)
        if state is not None:
            self.restoreState(state)

    def _fit_to_screen(self) -> None:
        screen = self.screen().availableGeometry()
        width = min(self.width(), int(screen.width() * SCREEN_SHARE))
        height = min(self.height(), int(screen.height() * SCREEN_SHARE))
        self.resize(width, height)
        self.move(screen.center() - self.rect().center())

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.annotation.confirm_close():  # unsaved annotations: the user cancelled
            event.ignore()
            return
        if not self.tools.confirm_close():  # a training run is active: the user cancelled
            event.ignore()
            return
        if self.remember_layout:
            self.settings.set_window_state(self.saveGeometry(), self.saveState())
        self.shutdown()
        self.settings.sync()
        super().closeEvent(event)

    def shutdown(self) -> None:
        """Stop and join every worker, then close the source. Safe to call more than once."""
        self.tracking.stop()
        self.playback.release()
        self.sources.cancel()
        self.sources.close_source()
        self.annotation.shutdown()
        self.tools.shutdown()
        self.tasks.shutdown()


def _dropped_path(event: QDragEnterEvent | QDropEvent) -> str | None:
    for url in event.mimeData().urls():
        if url.isLocalFile():
            path = Path(url.toLocalFile())
            if (
                path.is_dir()
                or path.suffix.lower() in VIDEO_SUFFIXES
                or path.suffix.lower() not in IMAGE_SUFFIXES
            ):
                return str(path)
    return None
