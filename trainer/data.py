"""From a dataset folder (or a ready crop cache) to the crops and the train/validation split."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from core.errors import SiamTrackError
from trainer.config import TrainConfig
from trainer.curation import INDEX_SUFFIX, CropCache, Progress, ShouldStop, open_or_build_cache
from trainer.datasets import load_trajectories

CACHE_FORMAT = "crops"  # --format crops --data FILE.index.npz: train from a crop cache alone


@dataclass(frozen=True)
class PreparedData:
    cache: CropCache
    train: list[int]  # trajectory indices into cache.trajectories
    val: list[int]
    built_cache: bool

    def summary(self) -> dict:
        def crops(ids: Sequence[int]) -> int:
            return sum(len(self.cache.crop_range(t)) for t in ids)

        return {
            "trajectories": len(self.cache.trajectories),
            "crops": len(self.cache),
            "videos": len({t.video for t in self.cache.trajectories}),
            "train_trajectories": len(self.train),
            "train_crops": crops(self.train),
            "val_trajectories": len(self.val),
            "val_crops": crops(self.val),
            "cache": str(self.cache.index_path),
            "cache_built": self.built_cache,
        }


def prepare_data(
    config: TrainConfig,
    cache_dir: Path,
    workers: int,
    rebuild: bool = False,
    progress: Progress | None = None,
    should_stop: ShouldStop | None = None,
) -> PreparedData:
    if not config.data:
        raise SiamTrackError("no dataset given (--data)")
    if config.format == CACHE_FORMAT:
        cache, built = _open_cache_file(Path(config.data).expanduser()), False
    else:
        root = Path(config.data).expanduser().resolve()
        trajectories = load_trajectories(config.format, root, config.split)
        if not any(t.annotated_count for t in trajectories):
            raise SiamTrackError(f"the dataset at {root} holds no annotated frames")
        source = f"{config.format}-{root.name}-{config.split}"
        cache, built = open_or_build_cache(
            trajectories,
            root,
            cache_dir,
            source,
            config.crop_settings,
            config.box_filter,
            workers,
            rebuild,
            progress,
            should_stop,
        )
    if cache.settings != config.crop_settings:
        raise SiamTrackError(f"{cache.index_path.name} was cut with other crop settings: {cache.settings}")
    usable = [t for t in range(len(cache.trajectories)) if len(cache.crop_range(t)) >= 2]
    if not usable:
        raise SiamTrackError("no object in the dataset has two usable frames to make a training pair from")
    train, val = split_by_video(cache, usable, config.val_fraction)
    return PreparedData(cache, train, val, built)


def split_by_video(
    cache: CropCache, trajectories: Sequence[int], fraction: float
) -> tuple[list[int], list[int]]:
    """Hold out whole videos (all their objects), chosen by a hash of the video name: the same videos
    whatever the seed, the order, or the other videos in the dataset."""
    videos = sorted({cache.trajectories[t].video for t in trajectories}, key=_video_hash)
    if fraction <= 0 or len(videos) < 2:
        return list(trajectories), []
    held = {v for v in videos if _video_hash(v) < fraction} or {videos[0]}
    if len(held) == len(videos):
        held.discard(videos[-1])
    train = [t for t in trajectories if cache.trajectories[t].video not in held]
    val = [t for t in trajectories if cache.trajectories[t].video in held]
    return train, val


def _video_hash(video: str) -> float:
    return int.from_bytes(hashlib.sha256(video.encode()).digest()[:8], "big") / 2**64


def _open_cache_file(path: Path) -> CropCache:
    if path.is_dir():
        found = sorted(path.glob(f"*{INDEX_SUFFIX}"))
        if len(found) != 1:
            raise SiamTrackError(f"{path} holds {len(found)} crop caches; pass the .index.npz file itself")
        path = found[0]
    if not path.is_file():
        raise SiamTrackError(f"crop cache not found: {path}")
    return CropCache(path)
