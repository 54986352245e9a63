"""Creating trackers by name: SiamFC (with a model), OpenCV baselines, and the identity tracker."""
from __future__ import annotations

from collections.abc import Callable

from core.config import TrackerConfig, from_mapping
from core.config import preset as preset_config
from core.engines import create_engine
from core.errors import SiamTrackError
from core.models import Model, load_model
from core.tracking.base import IndependentMultiTracker, MultiTracker, Tracker
from core.tracking.identity import IdentityTracker
from core.tracking.opencv_trackers import OPENCV_FACTORIES, OpenCVTracker
from core.tracking.siamfc import SiamFCMultiTracker, SiamFCTracker

TRACKER_NAMES = ("siamfc", *OPENCV_FACTORIES, "identity")


def siamfc_config(model: Model, preset: str = "3s") -> TrackerConfig:
    """The preset's settings with the model's own preferences (e.g. its response upsampling) on top."""
    return from_mapping(TrackerConfig, model.tracker_overrides, base=preset_config(preset))


def create_tracker(
    name: str = "siamfc",
    model: Model | str | None = None,
    preset: str = "3s",
    device: str = "auto",
    engine: str = "auto",
    want_maps: bool = True,
) -> Tracker:
    """want_maps=False: SiamFC results carry no response maps (batch runs need none, and skip copying them)."""
    if name == "siamfc":
        model = model if isinstance(model, Model) else load_model(model)
        return SiamFCTracker(create_engine(model, device, engine), siamfc_config(model, preset), want_maps)
    return _simple_factory(name)()


def create_multi_tracker(
    name: str = "siamfc",
    model: Model | str | None = None,
    preset: str = "3s",
    device: str = "auto",
    engine: str = "auto",
) -> MultiTracker:
    if name == "siamfc":
        model = model if isinstance(model, Model) else load_model(model)
        return SiamFCMultiTracker(create_engine(model, device, engine), siamfc_config(model, preset))
    return IndependentMultiTracker(_simple_factory(name))


def _simple_factory(name: str) -> Callable[[], Tracker]:
    if name in OPENCV_FACTORIES:
        return lambda: OpenCVTracker(name)
    if name == "identity":
        return IdentityTracker
    raise SiamTrackError(f"unknown tracker {name!r}; choose one of {', '.join(TRACKER_NAMES)}")
