"""SiamFC online tracking (Bertinetto et al. 2016), for one target or many in one network pass.

Per frame and target: search crops of S scales centred on the last position (padded with the frame's mean
colour) go through the network in one batch; each raw response map is upsampled (bicubic); the maps are
shifted so that their common minimum is zero, then every scale other than 1 is penalised; the best scale's
map is normalised, blended with a cosine window, and its peak moves the target. The size follows the chosen
scale with damping.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from core.boxes import Box, box_from_center, center_of, validate_box
from core.config import TrackerConfig
from core.engines.base import Engine, Peaks, PeakSearch
from core.tracking.base import TrackResult
from core.tracking.response import cosine_window, locate_peaks


@dataclass
class _Targets:
    """Per-target state, one row per target."""

    centers: np.ndarray  # (N, 2) continuous frame coordinates
    sizes: np.ndarray  # (N, 2) box width, height
    search_sides: np.ndarray  # (N,) side of the search region in frame pixels at scale 1
    first_search_sides: np.ndarray  # (N,) at initialisation, to bound the scale
    reference_contrast: np.ndarray  # (N,) peak minus mean of the response on the first frame


class SiamFCMultiTracker:
    """SiamFC for N targets of one video: one network pass per frame for all targets and scales.

    The decision is taken by the engine when it offers one (a DecidingEngine, e.g. on a GPU, where the maps
    then stay), otherwise here from the raw maps. With want_maps false the results carry no maps (response
    and scale_maps are None), which spares a GPU engine from sending them back every frame.
    """

    def __init__(self, engine: Engine, config: TrackerConfig, want_maps: bool = True) -> None:
        self.engine = engine
        self.config = config
        self.want_maps = want_maps
        self.name = "siamfc"
        half = config.scale_count // 2
        self.scale_factors = config.scale_step ** np.arange(-half, half + 1, dtype=np.float64)
        self._features = None
        self._targets: _Targets | None = None
        self._cosine: np.ndarray | None = None
        self._map_size = 0  # side of the upsampled response map, known once the first exemplar is embedded

    @property
    def target_count(self) -> int:
        return 0 if self._targets is None else len(self._targets.centers)

    def init(self, frame: np.ndarray, boxes: Sequence[Box]) -> None:
        boxes = [validate_box(box, frame.shape) for box in boxes]
        self._targets = self._new_targets(boxes)
        self._features = self._start(frame, self._targets) if boxes else None

    def add(self, frame: np.ndarray, box: Box) -> int:
        """Start tracking one more target from this frame; returns its index."""
        if self._targets is None or self.target_count == 0:
            self.init(frame, [box])
            return 0
        new = self._new_targets([validate_box(box, frame.shape)])
        features = self._start(frame, new)
        self._features = self.engine.concat([self._features, features])
        t = self._targets
        self._targets = _Targets(*(np.concatenate([a, b]) for a, b in zip(_fields(t), _fields(new))))
        return self.target_count - 1

    def remove(self, index: int) -> None:
        keep = [i for i in range(self.target_count) if i != index]
        self._targets = _Targets(*(a[keep] for a in _fields(self._targets)))
        self._features = self.engine.select(self._features, keep) if keep else None

    def update(self, frame: np.ndarray) -> list[TrackResult]:
        if self._targets is None:
            raise RuntimeError("init() must be called before update()")
        if self.target_count == 0:
            return []
        c, t = self.config, self._targets
        sides = t.search_sides[:, None] * self.scale_factors[None, :]
        raw, peaks = self._decide(frame, sides)
        size = self._map_size
        rows = np.arange(self.target_count)
        chosen_sides = sides[rows, peaks.scale_index]
        # one upsampled-map pixel, in frame pixels
        steps = self.engine.total_stride / c.response_upsample * chosen_sides / c.search_size
        search_centers = t.centers.copy()
        t.centers += (peaks.position - (size - 1) / 2) * steps[:, None]
        scales = self._update_sizes(self.scale_factors[peaks.scale_index])
        scores = np.clip(peaks.contrast / t.reference_contrast, 0.0, 1.0)
        return [
            TrackResult(
                box=tuple(float(v) for v in box_from_center(*t.centers[i], *t.sizes[i])),
                score=float(scores[i]),
                response=None if peaks.chosen is None else peaks.chosen[i],
                search_box=box_from_center(*search_centers[i], size * steps[i], size * steps[i]),
                scale=float(scales[i]),
                scale_maps=None if raw is None else raw[i],
                scale_index=int(peaks.scale_index[i]),
            )
            for i in rows
        ]

    def _decide(self, frame: np.ndarray, sides: np.ndarray) -> tuple[np.ndarray | None, Peaks]:
        """Raw maps (None when not wanted) and the decision, taken by the engine where it can."""
        c, centers = self.config, self._targets.centers
        locate = getattr(self.engine, "locate", None)
        if locate is not None:
            search = PeakSearch(c.response_upsample, c.scale_penalty, c.window_influence)
            return locate(frame, self._features, centers, sides, c.search_size, search, self.want_maps)
        raw = self.engine.responses(frame, self._features, centers, sides, c.search_size)
        peaks = locate_peaks(raw, c.response_upsample, c.scale_penalty, c.window_influence,
                             self._window(self._map_size))
        if not self.want_maps:
            return None, dataclasses.replace(peaks, chosen=None)
        return raw, peaks

    def _update_sizes(self, chosen_factors: np.ndarray) -> np.ndarray:
        """Damped scale update, bounded to [min_scale, max_scale] of the first size; returns the factors applied."""
        c, t = self.config, self._targets
        damped = (1 - c.scale_damping) + c.scale_damping * chosen_factors
        bounded = np.clip(t.search_sides * damped, c.min_scale * t.first_search_sides,
                          c.max_scale * t.first_search_sides)
        applied = bounded / t.search_sides
        t.search_sides = bounded
        t.sizes *= applied[:, None]
        return applied

    def _new_targets(self, boxes: Sequence[Box]) -> _Targets:
        c = self.config
        centers = np.array([center_of(b) for b in boxes], dtype=np.float64).reshape(-1, 2)
        sizes = np.array([b[2:] for b in boxes], dtype=np.float64).reshape(-1, 2)
        context = c.context * sizes.sum(axis=1)
        exemplar_sides = np.sqrt((sizes[:, 0] + context) * (sizes[:, 1] + context))
        search_sides = exemplar_sides * c.search_size / c.exemplar_size
        return _Targets(centers, sizes, search_sides, search_sides.copy(), np.ones(len(boxes)))

    def _start(self, frame: np.ndarray, targets: _Targets):
        """Embed the exemplars once, and measure each one's response on its own first frame: the
        reference that makes scores comparable across models and targets."""
        c = self.config
        exemplar_sides = targets.search_sides * c.exemplar_size / c.search_size
        features = self.engine.exemplar_features(frame, targets.centers, exemplar_sides, c.exemplar_size)
        maps = self.engine.responses(frame, features, targets.centers, targets.search_sides[:, None], c.search_size)
        self._map_size = maps.shape[-1] * c.response_upsample
        flat = maps[:, 0].reshape(len(maps), -1)
        targets.reference_contrast[:] = np.maximum(flat.max(axis=1) - flat.mean(axis=1), 1e-12)
        return features

    def _window(self, size: int) -> np.ndarray:
        if self._cosine is None or self._cosine.shape[0] != size:
            self._cosine = cosine_window(size)
        return self._cosine


class SiamFCTracker:
    """The single-target Tracker: SiamFC with one target."""

    def __init__(self, engine: Engine, config: TrackerConfig, want_maps: bool = True) -> None:
        self._multi = SiamFCMultiTracker(engine, config, want_maps)
        self.name = "siamfc"

    @property
    def want_maps(self) -> bool:
        return self._multi.want_maps

    @want_maps.setter
    def want_maps(self, value: bool) -> None:
        self._multi.want_maps = value

    @property
    def engine(self) -> Engine:
        return self._multi.engine

    @property
    def config(self) -> TrackerConfig:
        return self._multi.config

    def init(self, frame: np.ndarray, box: Box) -> None:
        self._multi.init(frame, [box])

    def update(self, frame: np.ndarray) -> TrackResult:
        return self._multi.update(frame)[0]


def _fields(t: _Targets) -> tuple[np.ndarray, ...]:
    return (t.centers, t.sizes, t.search_sides, t.first_search_sides, t.reference_contrast)
