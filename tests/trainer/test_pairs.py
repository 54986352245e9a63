"""Pair sampling: deterministic per (seed, epoch, index), the ±N-frame rule, hard negatives, exact offsets."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from torch.utils.data import DataLoader
from trainer_fixtures import write_jpeg, write_moving_objects

from trainer.curation import CropSettings, open_or_build_cache
from trainer.datasets import BoxFilter, load_trajectories, make_trajectory
from trainer.pairs import Augmentation, EpochSampler, PairDataset, PairSampler

AUGMENTED = Augmentation(stretch=0.05, shift=4.0, colour_jitter=0.1, grey_probability=0.2)


def _cache(trajectories, root, cache_dir):
    cache, _ = open_or_build_cache(trajectories, root, cache_dir, "test", CropSettings(), BoxFilter())
    return cache


@pytest.fixture(scope="module")
def moving_cache(tmp_path_factory):
    root = write_moving_objects(tmp_path_factory.mktemp("moving"), sequences=3, frames=8)
    return _cache(load_trajectories("otb", root), root, tmp_path_factory.mktemp("cache"))


def _dataset(cache, trajectories=None, gap=100, augmentation=AUGMENTED, seed=3):
    trajectories = range(len(cache.trajectories)) if trajectories is None else trajectories
    return PairDataset(PairSampler(cache, trajectories, gap), seed, 127, 239, augmentation)


def _same_pair(a, b):
    return all(np.array_equal(x, y) for x, y in zip(a[:3], b[:3])) and a[3] == b[3]


def test_pairs_are_a_function_of_seed_epoch_and_index(moving_cache):
    first, second = _dataset(moving_cache), _dataset(moving_cache)
    for key in [(0, 0), (0, 5), (2, 5)]:
        assert _same_pair(first.pair(*key), second.pair(*key))
    assert not _same_pair(first.pair(0, 5), first.pair(1, 5))
    assert not _same_pair(first.pair(0, 5), _dataset(moving_cache, seed=4).pair(0, 5))
    exemplar, search, offset, positive = first.pair(0, 1)
    assert exemplar.shape == (127, 127, 3) and search.shape == (239, 239, 3) and exemplar.dtype == np.uint8
    assert offset.shape == (2,) and positive is True


def test_worker_processes_produce_the_same_batches(moving_cache):
    dataset = _dataset(moving_cache)

    def batches(workers):
        sampler = EpochSampler(12, epoch=1)
        extra = {"multiprocessing_context": "spawn", "persistent_workers": True} if workers else {}
        loader = DataLoader(dataset, batch_size=4, sampler=sampler, num_workers=workers, **extra)
        out = [b for b in loader]
        sampler.epoch = 2
        return out + [b for b in loader]

    serial, parallel = batches(0), batches(2)
    assert len(serial) == len(parallel) == 6
    for a, b in zip(serial, parallel):
        assert all(torch.equal(x, y) for x, y in zip(a, b))
    assert not torch.equal(serial[0][1], serial[3][1])  # epochs 1 and 2 differ


def test_search_frames_lie_within_the_frame_gap(moving_cache):
    sampler = PairSampler(moving_cache, range(3), max_frame_gap=4)  # frame numbers step by 3
    rng = np.random.default_rng(0)
    seen_gaps = set()
    for _ in range(300):
        z, x, positive = sampler.choose(rng, 0.0)
        assert positive and z != x
        assert (
            moving_cache.trajectories[_trajectory_of(moving_cache, z)]
            == moving_cache.trajectories[_trajectory_of(moving_cache, x)]
        )
        gap = abs(int(moving_cache.frame_numbers[z]) - int(moving_cache.frame_numbers[x]))
        assert gap <= 4
        seen_gaps.add(gap)
    assert seen_gaps == {3}


def _trajectory_of(cache, crop):
    return int(np.searchsorted(cache.starts, crop, side="right") - 1)


def test_hard_negatives_come_from_other_objects_seen_at_the_same_time(tmp_path):
    root = write_moving_objects(tmp_path / "data", sequences=2, frames=6)
    source = {t.name: t for t in load_trajectories("otb", root)}

    def copy(name, video, frames_from, numbers):
        t = source[frames_from]
        return make_trajectory(
            name, video, "", [f.path for f in t.frames], [f.box for f in t.frames], numbers
        )

    trajectories = [
        copy("a", "v", "seq00", range(1, 7)),
        copy("b", "v", "seq01", range(1, 7)),  # same video, same time: a and b are each other's negatives
        copy("c", "v", "seq00", range(1001, 1007)),  # same video, another time range (same object cut apart)
        copy("d", "w", "seq01", range(1, 7)),  # another video
    ]
    cache = _cache(trajectories, root, tmp_path / "cache")
    sampler = PairSampler(cache, range(4), max_frame_gap=100)
    assert sampler.partners == {0: (1,), 1: (0,)}
    rng = np.random.default_rng(1)
    for _ in range(200):
        z, x, positive = sampler.choose(rng, negative_fraction=1.0)
        tz, tx = _trajectory_of(cache, z), _trajectory_of(cache, x)
        if tz in (0, 1):
            assert not positive and tx == 1 - tz
        else:
            assert positive and tx == tz


def test_offsets_point_at_the_target_in_the_augmented_search_image(tmp_path):
    """A white square on black: the centroid of white in each search image is where the offset says."""
    paths, boxes = [], []
    for i in range(4):
        frame = np.zeros((200, 260, 3), dtype=np.uint8)
        x, y = 60 + 20 * i, 50 + 10 * i
        frame[y : y + 40, x : x + 40] = 255
        paths.append(tmp_path / "img" / f"{i:04d}.png")
        write_jpeg(paths[-1], frame)  # written as JPEG data whatever the name
        boxes.append((float(x), float(y), 40.0, 40.0))
    trajectory = make_trajectory("square", "square", "", paths, boxes, range(4))
    cache = _cache([trajectory], tmp_path, tmp_path / "cache")
    dataset = _dataset(cache, augmentation=Augmentation(stretch=0.05, shift=4.0))
    for index in range(20):
        _, search, offset, _ = dataset.pair(0, index)
        ys, xs = np.nonzero(search[..., 0] > 128)
        centroid = np.array([xs.mean() + 0.5, ys.mean() + 0.5]) - 239 / 2
        assert centroid == pytest.approx(offset, abs=0.6)


def test_grey_pairs_are_grey_in_both_images(moving_cache):
    dataset = _dataset(moving_cache, augmentation=Augmentation(grey_probability=1.0))
    exemplar, search, _, _ = dataset.pair(0, 0)
    for image in (exemplar, search):
        assert np.array_equal(image[..., 0], image[..., 1]) and np.array_equal(image[..., 1], image[..., 2])
