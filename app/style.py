"""The application's look: Fusion with a dark palette (frames and score maps read best on dark grey)."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

PALETTE = {
    QPalette.ColorRole.Window: "#25282d",
    QPalette.ColorRole.WindowText: "#dfe3e8",
    QPalette.ColorRole.Base: "#1b1d21",
    QPalette.ColorRole.AlternateBase: "#2b2f35",
    QPalette.ColorRole.ToolTipBase: "#30343a",
    QPalette.ColorRole.ToolTipText: "#eef1f4",
    QPalette.ColorRole.PlaceholderText: "#7d858f",
    QPalette.ColorRole.Text: "#dfe3e8",
    QPalette.ColorRole.Button: "#2f333a",
    QPalette.ColorRole.ButtonText: "#dfe3e8",
    QPalette.ColorRole.BrightText: "#ffffff",
    QPalette.ColorRole.Highlight: "#3d7eff",
    QPalette.ColorRole.HighlightedText: "#ffffff",
    QPalette.ColorRole.Link: "#5fb3ff",
    QPalette.ColorRole.Mid: "#3a3f46",
    QPalette.ColorRole.Dark: "#17191c",
    QPalette.ColorRole.Light: "#3c4148",
}
DISABLED = {
    QPalette.ColorRole.WindowText: "#6b727c",
    QPalette.ColorRole.Text: "#6b727c",
    QPalette.ColorRole.ButtonText: "#6b727c",
}
STYLE_SHEET = """
QToolBar { spacing: 3px; padding: 3px; border: none; border-bottom: 1px solid #17191c; }
QToolButton { padding: 3px 5px; border-radius: 4px; }
QToolButton:hover { background: #353a42; }
QToolButton:checked { background: #2d4466; }
QDockWidget::title { background: #2b2f35; padding: 5px 8px; text-align: left; }
QStatusBar { border-top: 1px solid #17191c; }
QStatusBar QLabel { color: #9aa3ad; padding: 0 6px; }
QSlider::groove:horizontal { height: 4px; background: #3a3f46; border-radius: 2px; }
QSlider::sub-page:horizontal { background: #3d7eff; border-radius: 2px; }
QSlider::handle:horizontal { width: 12px; margin: -5px 0; border-radius: 6px; background: #dfe3e8; }
QSlider::handle:horizontal:disabled { background: #6b727c; }
QComboBox { padding: 3px 6px; }
"""


def apply_style(app: QApplication) -> None:
    app.setStyle("Fusion")
    palette = QPalette()
    for role, color in PALETTE.items():
        palette.setColor(role, QColor(color))
    for role, color in DISABLED.items():
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor(color))
    app.setPalette(palette)
    app.setStyleSheet(STYLE_SHEET)
    pg.setConfigOptions(imageAxisOrder="row-major", antialias=False, foreground="#c9ced6")
