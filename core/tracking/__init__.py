"""Trackers: the interface, SiamFC, OpenCV baselines, and a factory by name."""
from core.tracking.base import IndependentMultiTracker, MultiTracker, Tracker, TrackResult
from core.tracking.factory import TRACKER_NAMES, create_multi_tracker, create_tracker, siamfc_config
from core.tracking.identity import IdentityTracker
from core.tracking.siamfc import SiamFCMultiTracker, SiamFCTracker

__all__ = [
    "TRACKER_NAMES",
    "IdentityTracker",
    "IndependentMultiTracker",
    "MultiTracker",
    "SiamFCMultiTracker",
    "SiamFCTracker",
    "TrackResult",
    "Tracker",
    "create_multi_tracker",
    "create_tracker",
    "siamfc_config",
]
