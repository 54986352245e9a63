"""Training pairs drawn from the crop cache: an exemplar and a search image of the same object.

Every pair is a pure function of (seed, stream, epoch, index): DataLoader workers, any number of them,
and resumed runs produce exactly the same pairs. The dataset is indexed by (epoch, index) keys, which
EpochSampler hands out.

- The exemplar is the centre `exemplar_size` square of a cached crop: the target with its context.
- The search image comes from a frame of the same trajectory at most `max_frame_gap` source frames away,
  resampled (core.crop) from its cached crop with a small random stretch and shift, so the target lies
  near, not exactly at, the centre; its exact offset is returned for the labels.
- A `negative_fraction` of pairs takes the search image from another object of the same video seen at
  the same time (hard negatives): every response cell is then a negative.
- Colour: each image gets its own brightness and per-channel gain; with `grey_probability` both images
  of the pair turn grey.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np
import torch
from torch.utils.data import Dataset, Sampler

from core.crop import crop_square
from trainer.curation import CropCache

TRAIN_STREAM = 0
VAL_STREAM = 1


@dataclass(frozen=True)
class Augmentation:
    stretch: float = 0.0
    shift: float = 0.0
    colour_jitter: float = 0.0
    grey_probability: float = 0.0
    negative_fraction: float = 0.0


NO_AUGMENTATION = Augmentation()


class PairSampler:
    """Chooses the crops of each pair; holds only small arrays, so it travels cheaply to workers."""

    def __init__(self, cache: CropCache, trajectories: Sequence[int], max_frame_gap: int) -> None:
        self.cache = cache
        self.max_frame_gap = max_frame_gap
        self.trajectories = np.array(
            [t for t in trajectories if len(cache.crop_range(t)) >= 2], dtype=np.int64
        )
        self.partners = _co_occurring(cache, self.trajectories)

    def __len__(self) -> int:
        return len(self.trajectories)

    def choose(self, rng: np.random.Generator, negative_fraction: float) -> tuple[int, int, bool]:
        """(exemplar crop, search crop, positive)."""
        trajectory = int(self.trajectories[rng.integers(len(self.trajectories))])
        crops = self.cache.crop_range(trajectory)
        exemplar = crops.start + int(rng.integers(len(crops)))
        partners = self.partners.get(trajectory, ())
        if partners and rng.random() < negative_fraction:
            other = partners[int(rng.integers(len(partners)))]
            candidates = self._near(self.cache.crop_range(other), exemplar, exclude=None)
            if len(candidates):
                return exemplar, int(candidates[rng.integers(len(candidates))]), False
        candidates = self._near(crops, exemplar, exclude=exemplar)
        if not len(candidates):
            return exemplar, exemplar, True
        return exemplar, int(candidates[rng.integers(len(candidates))]), True

    def _near(self, crops: range, exemplar: int, exclude: int | None) -> np.ndarray:
        numbers = self.cache.frame_numbers[crops.start : crops.stop]
        gap = np.abs(numbers - self.cache.frame_numbers[exemplar])
        found = crops.start + np.flatnonzero(gap <= self.max_frame_gap)
        return found[found != exclude] if exclude is not None else found


class PairDataset(Dataset):
    """Pairs keyed by (epoch, index). Items: exemplar (e,e,3) and search (s,s,3) uint8 RGB images, the
    target's offset (dx, dy) from the search image's centre (2,) float32 in pixels, and positive (bool)."""

    def __init__(
        self,
        sampler: PairSampler,
        seed: int,
        exemplar_size: int,
        search_size: int,
        augmentation: Augmentation = NO_AUGMENTATION,
        stream: int = TRAIN_STREAM,
    ) -> None:
        if len(sampler) == 0:
            raise ValueError("no trajectory has two usable frames")
        self.sampler = sampler
        self.seed = seed
        self.exemplar_size = exemplar_size
        self.search_size = search_size
        self.augmentation = augmentation
        self.stream = stream

    def __getitem__(self, key: tuple[int, int]) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, bool]:
        exemplar, search, offset, positive = self.pair(*key)
        return torch.from_numpy(exemplar), torch.from_numpy(search), torch.from_numpy(offset), positive

    def pair(self, epoch: int, index: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, bool]:
        """HxWx3 uint8 exemplar and search images, the target offset (dx, dy), positive."""
        rng = np.random.default_rng([self.seed, self.stream, epoch, index])
        aug = self.augmentation
        z_index, x_index, positive = self.sampler.choose(rng, aug.negative_fraction)
        cache = self.sampler.cache
        exemplar = _centre_square(cache.image(z_index), self.exemplar_size)
        search, offset = self._search_image(cache, x_index, rng)
        if aug.colour_jitter > 0:
            exemplar = _jitter(exemplar, aug.colour_jitter, rng)
            search = _jitter(search, aug.colour_jitter, rng)
        if aug.grey_probability > 0 and rng.random() < aug.grey_probability:
            exemplar, search = _grey(exemplar), _grey(search)
        return exemplar, search, offset, positive

    def _search_image(
        self, cache: CropCache, index: int, rng: np.random.Generator
    ) -> tuple[np.ndarray, np.ndarray]:
        image = cache.image(index)
        aug = self.augmentation
        scale = 1.0 + rng.uniform(-aug.stretch, aug.stretch) if aug.stretch > 0 else 1.0
        shift = rng.uniform(-aug.shift, aug.shift, size=2) if aug.shift > 0 else np.zeros(2)
        half = image.shape[0] / 2.0
        centre = (half + shift[0], half + shift[1])
        side = self.search_size * scale
        fill = tuple(float(v) for v in cache.fills[index])
        search = crop_square(image, centre, side, self.search_size, fill)
        x, y, w, h = (float(v) for v in cache.boxes[index])
        target = np.array([x + w / 2, y + h / 2])
        offset = (target - np.array(centre)) * (self.search_size / side)
        return search, offset.astype(np.float32)


class EpochSampler(Sampler):
    """Keys (epoch, 0..length-1) in order; set `epoch` before iterating. It runs in the main process, so a
    DataLoader with persistent workers serves every epoch without restarting them."""

    def __init__(self, length: int, epoch: int = 0) -> None:
        self.length = length
        self.epoch = epoch

    def __len__(self) -> int:
        return self.length

    def __iter__(self) -> Iterator[tuple[int, int]]:
        epoch = self.epoch
        return ((epoch, i) for i in range(self.length))


def _centre_square(image: np.ndarray, size: int) -> np.ndarray:
    start = (image.shape[0] - size) // 2
    return np.ascontiguousarray(image[start : start + size, start : start + size])


def _jitter(image: np.ndarray, amount: float, rng: np.random.Generator) -> np.ndarray:
    gains = rng.uniform(1 - amount, 1 + amount) * rng.uniform(1 - amount / 2, 1 + amount / 2, size=3)
    return np.clip(image.astype(np.float32) * gains.astype(np.float32), 0, 255).astype(np.uint8)


def _grey(image: np.ndarray) -> np.ndarray:
    grey = image.astype(np.float32) @ np.array([0.299, 0.587, 0.114], dtype=np.float32)
    return np.repeat(np.clip(grey + 0.5, 0, 255).astype(np.uint8)[..., None], 3, axis=2)


def _co_occurring(cache: CropCache, trajectories: np.ndarray) -> dict[int, tuple[int, ...]]:
    """For each trajectory, the other trajectories of its video that share at least one frame with it
    (other objects seen at the same time; not the same object cut into separate time ranges)."""
    by_video: dict[str, list[int]] = {}
    for t in trajectories.tolist():
        by_video.setdefault(cache.trajectories[t].video, []).append(t)
    partners: dict[int, tuple[int, ...]] = {}
    for members in by_video.values():
        if len(members) < 2:
            continue
        frames = {
            t: set(cache.frame_numbers[cache.crop_range(t).start : cache.crop_range(t).stop].tolist())
            for t in members
        }
        for t in members:
            others = tuple(u for u in members if u != t and frames[t] & frames[u])
            if others:
                partners[t] = others
    return partners
