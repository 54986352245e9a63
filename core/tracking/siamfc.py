"""SiamFC online tracking (Bertinetto et al. 2016), for one target or many in one network pass.

Per frame and target: search crops of S scales centred on the last position (padded with the frame's mean
colour) go through the network in one batch; each raw response map is upsampled (bicubic); the maps are
shifted so that their common minimum is zero, then every scale other than 1 is penalised; the best scale's
map is normalised, blended with a cosine window, and its peak moves the target. The size follows the chosen
scale with damping.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import cv2
import numpy as np

from core.boxes import Box, box_from_center, center_of, validate_box
from core.config import TrackerConfig
from core.engines.base import Engine
from core.tracking.base import TrackResult


@dataclass
class _Targets:
    """Per-target state, one row per target."""

    centers: np.ndarray  # (N, 2) continuous frame coordinates
    sizes: np.ndarray  # (N, 2) box width, height
    search_sides: np.ndarray  # (N,) side of the search region in frame pixels at scale 1
    first_search_sides: np.ndarray  # (N,) at initialisation, to bound the scale
    reference_contrast: np.ndarray  # (N,) peak minus mean of the response on the first frame


class SiamFCMultiTracker:
    """SiamFC for N targets of one video: one network pass per frame for all targets and scales."""

    def __init__(self, engine: Engine, config: TrackerConfig) -> None:
        self.engine = engine
        self.config = config
        self.name = "siamfc"
        half = config.scale_count // 2
        self.scale_factors = config.scale_step ** np.arange(-half, half + 1, dtype=np.float64)
        self._features = None
        self._targets: _Targets | None = None
        self._window: np.ndarray | None = None

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
        t = self._targets
        sides = t.search_sides[:, None] * self.scale_factors[None, :]
        raw = self.engine.responses(frame, self._features, t.centers, sides, self.config.search_size)
        return [self._advance(i, raw[i], sides[i]) for i in range(self.target_count)]

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
        targets.reference_contrast[:] = np.maximum(_contrast(maps[:, 0]), 1e-12)
        return features

    def _advance(self, i: int, raw_maps: np.ndarray, sides: np.ndarray) -> TrackResult:
        c = self.config
        maps = _upsample(raw_maps, c.response_upsample)
        scale_index = self._choose_scale(maps)
        chosen = maps[scale_index]
        peak_y, peak_x = self._locate_peak(chosen)
        size = chosen.shape[0]
        # displacement of the peak from the map's centre, in search-crop pixels, then in frame pixels
        crop_pixels_per_cell = self.engine.total_stride / c.response_upsample
        frame_pixels_per_crop_pixel = sides[scale_index] / c.search_size
        step = crop_pixels_per_cell * frame_pixels_per_crop_pixel
        displacement = (np.array([peak_x, peak_y]) - (size - 1) / 2) * step
        t = self._targets
        search_center = t.centers[i].copy()
        t.centers[i] = search_center + displacement

        scale = (1 - c.scale_damping) + c.scale_damping * self.scale_factors[scale_index]
        bounded = np.clip(t.search_sides[i] * scale, c.min_scale * t.first_search_sides[i],
                          c.max_scale * t.first_search_sides[i])
        scale = bounded / t.search_sides[i]
        t.search_sides[i] = bounded
        t.sizes[i] *= scale

        box = box_from_center(t.centers[i, 0], t.centers[i, 1], t.sizes[i, 0], t.sizes[i, 1])
        extent = size * step
        search_box = box_from_center(search_center[0], search_center[1], extent, extent)
        score = float(np.clip(_contrast(raw_maps[scale_index][None])[0] / t.reference_contrast[i], 0.0, 1.0))
        return TrackResult(
            tuple(float(v) for v in box), score, chosen, search_box, float(scale), raw_maps, int(scale_index)
        )

    def _choose_scale(self, maps: np.ndarray) -> int:
        """Pick the scale whose penalised peak is highest; maps are shifted to a common zero minimum first,
        so that the multiplicative penalty means the same whatever the network's output offset."""
        peaks = maps.reshape(len(maps), -1).max(axis=1) - maps.min()
        penalties = np.full(len(maps), self.config.scale_penalty)
        penalties[len(maps) // 2] = 1.0
        return int(np.argmax(peaks * penalties))

    def _locate_peak(self, response: np.ndarray) -> tuple[int, int]:
        r = response - response.min()
        total = r.sum()
        r = r / total if total > 0 else np.full_like(r, 1.0 / r.size)
        wi = self.config.window_influence
        r = (1 - wi) * r + wi * self._cosine_window(r.shape[0])
        return np.unravel_index(int(np.argmax(r)), r.shape)

    def _cosine_window(self, size: int) -> np.ndarray:
        if self._window is None or self._window.shape[0] != size:
            hann = np.hanning(size)
            window = np.outer(hann, hann)
            self._window = (window / window.sum()).astype(np.float32)
        return self._window


class SiamFCTracker:
    """The single-target Tracker: SiamFC with one target."""

    def __init__(self, engine: Engine, config: TrackerConfig) -> None:
        self._multi = SiamFCMultiTracker(engine, config)
        self.name = "siamfc"

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


def _upsample(maps: np.ndarray, factor: int) -> np.ndarray:
    """(S, r, r) -> (S, r*factor, r*factor), bicubic, all scales in one OpenCV call."""
    s, r, _ = maps.shape
    stacked = np.ascontiguousarray(maps.transpose(1, 2, 0))
    up = cv2.resize(stacked, (r * factor, r * factor), interpolation=cv2.INTER_CUBIC)
    return up.reshape(r * factor, r * factor, s).transpose(2, 0, 1)


def _contrast(maps: np.ndarray) -> np.ndarray:
    """Peak minus mean of each (r, r) map: unchanged by the network's output gain and offset up to a factor."""
    flat = maps.reshape(len(maps), -1)
    return flat.max(axis=1) - flat.mean(axis=1)
