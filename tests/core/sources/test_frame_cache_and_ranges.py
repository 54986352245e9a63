"""FrameCache (LRU bounded in bytes) and frame_range (what frames(start, stop, step) visits)."""

from __future__ import annotations

import numpy as np
import pytest

from core.sources import FrameCache, frame_range


def frame(value: int, nbytes: int = 100) -> np.ndarray:
    return np.full(nbytes, value, np.uint8)


def test_cache_evicts_least_recently_used_within_its_byte_budget():
    cache = FrameCache(max_bytes=300)
    for index in range(3):
        cache.put(index, frame(index))
    assert cache.get(0) is not None  # 0 is now the most recent
    cache.put(3, frame(3))
    assert 1 not in cache and {0, 2, 3} <= {i for i in range(4) if i in cache}
    assert cache.nbytes == 300 and len(cache) == 3


def test_cache_replaces_and_skips_frames_larger_than_the_budget():
    cache = FrameCache(max_bytes=250)
    cache.put(0, frame(0))
    cache.put(0, frame(9))
    assert cache.get(0)[0] == 9 and cache.nbytes == 100
    cache.put(1, frame(1, nbytes=400))
    assert 1 not in cache and 0 in cache
    cache.clear()
    assert len(cache) == 0 and cache.nbytes == 0
    assert len(FrameCache(0)) == 0
    with pytest.raises(ValueError):
        FrameCache(-1)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((10, 0, None, 1), list(range(10))),
        ((10, 9, None, -1), list(range(9, -1, -1))),
        ((10, 4, 2, -1), [4, 3]),
        ((10, 2, 50, 3), [2, 5, 8]),
        ((10, 5, -20, -2), [5, 3, 1]),
        ((10, 0, None, -1), [0]),
    ],
)
def test_frame_range(args, expected):
    assert list(frame_range(*args)) == expected


def test_frame_range_rejects_bad_starts_and_zero_step():
    for start in (-1, 10):
        with pytest.raises(IndexError):
            frame_range(10, start, None, 1)
    with pytest.raises(ValueError):
        frame_range(10, 0, None, 0)
