"""TrainConfig: everything that decides what a training run computes (the paper's values by default)."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from core.config import from_mapping
from core.errors import SiamTrackError
from core.network import ARCHITECTURES
from trainer.curation import CropSettings
from trainer.datasets.base import BoxFilter

PRECISIONS = ("auto", "fp32", "bf16")


@dataclass(frozen=True)
class TrainConfig:
    """SiamFC offline training (Bertinetto et al. 2016).

    Sizes are in pixels of the curated 255x255 search-region crops, in which the target with its context
    spans `exemplar_size` pixels.
    """

    data: str = ""
    format: str = "otb"
    split: str = "train"
    arch: str = "siamfc-alexnet"
    init: str | None = None  # a model file to start from (layers that match in name and shape are copied)

    epochs: int = 50
    batch_size: int = 8
    pairs_per_epoch: int = 53_200
    lr_start: float = 1e-2
    lr_end: float = 1e-5
    momentum: float = 0.9
    weight_decay: float = 5e-4  # not applied to biases or batch-norm parameters
    seed: int = 0
    precision: str = "auto"  # auto: bf16 autocast on CUDA and on CPUs with native bf16, else fp32

    exemplar_size: int = 127
    crop_size: int = 255  # the cached search region
    search_size: int = 239  # the search image trained on: crop_size - 2 * total stride, room for the shift
    context: float = 0.5
    jpeg_quality: int = 90
    max_frame_gap: int = 100  # exemplar and search frames at most this far apart in the source video
    positive_radius: float = 16.0  # response cells within this distance (search pixels) of the target
    stretch: float = 0.05  # search crop rescaled by a factor in [1 - stretch, 1 + stretch]
    shift: float = 4.0  # search crop moved by up to this many pixels in x and y
    colour_jitter: float = 0.1  # brightness and per-channel gain factors within 1 +- this
    grey_probability: float = 0.1  # both images of a pair turned grey
    negative_fraction: float = 0.0  # pairs whose search image shows another object of the same video

    val_fraction: float = 0.1  # share of videos held out for validation
    val_pairs: int = 1_000

    min_box_side: float = 4.0
    min_area_fraction: float = 1e-4
    max_aspect_ratio: float = 8.0

    def __post_init__(self) -> None:
        checks = [
            (self.epochs >= 1, "epochs must be at least 1"),
            (self.batch_size >= 1, "batch_size must be at least 1"),
            (self.pairs_per_epoch >= 1, "pairs_per_epoch must be at least 1"),
            (self.lr_start > 0 and self.lr_end > 0, "learning rates must be positive"),
            (0 <= self.val_fraction < 1, "val_fraction must lie in [0, 1)"),
            (self.val_pairs >= 0, "val_pairs must not be negative"),
            (0 <= self.negative_fraction <= 1, "negative_fraction must lie in [0, 1]"),
            (0 <= self.grey_probability <= 1, "grey_probability must lie in [0, 1]"),
            (0 <= self.stretch < 0.5 and self.shift >= 0, "stretch must lie in [0, 0.5) and shift be >= 0"),
            (
                self.exemplar_size < self.search_size <= self.crop_size,
                "need exemplar_size < search_size <= crop_size",
            ),
            (self.max_frame_gap >= 0, "max_frame_gap must not be negative"),
            (self.precision in PRECISIONS, f"precision must be one of {', '.join(PRECISIONS)}"),
            (
                self.arch in ARCHITECTURES,
                f"unknown architecture {self.arch!r}; known: {', '.join(ARCHITECTURES)}",
            ),
        ]
        for ok, message in checks:
            if not ok:
                raise SiamTrackError(message)

    @classmethod
    def from_dict(cls, values: Mapping[str, Any]) -> TrainConfig:
        return from_mapping(cls, values)

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    def replace(self, **changes: Any) -> TrainConfig:
        return from_mapping(TrainConfig, changes, base=self)

    @property
    def crop_settings(self) -> CropSettings:
        return CropSettings(self.crop_size, self.exemplar_size, self.context, self.jpeg_quality)

    @property
    def box_filter(self) -> BoxFilter:
        return BoxFilter(self.min_box_side, self.min_area_fraction, self.max_aspect_ratio)

    def learning_rate(self, epoch: int) -> float:
        """Log-spaced from lr_start (first epoch) to lr_end (last epoch); epochs count from 0."""
        if self.epochs == 1:
            return self.lr_start
        return self.lr_start * (self.lr_end / self.lr_start) ** (epoch / (self.epochs - 1))
