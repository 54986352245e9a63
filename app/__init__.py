"""The SiamTrack desktop application (PySide6 + pyqtgraph) and the `siamtrack` command line."""
