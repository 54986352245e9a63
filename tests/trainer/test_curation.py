"""The crop cache: exact crops around each target, one pack file plus an index, reused and rebuilt by key."""

from __future__ import annotations

import numpy as np
import pytest
from trainer_fixtures import write_moving_objects

from core.crop import crop_square, mean_colour
from core.sources import read_image
from trainer.curation import CropCache, CropSettings, CurationStopped, open_or_build_cache
from trainer.datasets import BoxFilter, load_trajectories, make_trajectory


@pytest.fixture(scope="module")
def moving(tmp_path_factory):
    return write_moving_objects(tmp_path_factory.mktemp("moving"), sequences=3, frames=6)


def _build(trajectories, root, cache_dir, settings=None, **kwargs):
    settings = settings or CropSettings()
    return open_or_build_cache(trajectories, root, cache_dir, "test", settings, BoxFilter(), **kwargs)


def test_crops_match_the_tracker_crop_and_boxes_are_in_crop_coordinates(moving, tmp_path):
    trajectories = load_trajectories("otb", moving)
    cache, built = _build(trajectories, moving, tmp_path)
    assert built and len(cache) == 18
    assert [t.name for t in cache.trajectories] == ["seq00", "seq01", "seq02"]
    for t_index, trajectory in enumerate(trajectories):
        crops = cache.crop_range(t_index)
        assert len(crops) == 6
        for crop_index, frame in zip(crops, trajectory.frames):
            image = read_image(frame.path)
            x, y, w, h = frame.box
            p = 0.5 * (w + h)
            side = np.sqrt((w + p) * (h + p)) * 255 / 127
            expected = crop_square(image, (x + w / 2, y + h / 2), side, 255, mean_colour(image))
            crop = cache.image(crop_index)
            assert crop.shape == (255, 255, 3)
            assert np.abs(crop.astype(int) - expected).mean() < 3  # JPEG q90
            cx, cy, cw, ch = cache.boxes[crop_index]
            assert (cx + cw / 2, cy + ch / 2) == pytest.approx((127.5, 127.5), abs=1e-3)
            context = 0.5 * (cw + ch)
            assert np.sqrt((cw + context) * (ch + context)) == pytest.approx(127, abs=1e-3)
            assert cache.frame_numbers[crop_index] == frame.frame_number
            assert tuple(cache.fills[crop_index]) == pytest.approx(mean_colour(image), abs=1e-3)


def test_cache_is_reused_and_rebuilt_when_its_inputs_change(moving, tmp_path):
    trajectories = load_trajectories("otb", moving)
    first, built = _build(trajectories, moving, tmp_path, workers=2)
    assert built
    again, built_again = _build(trajectories, moving, tmp_path)
    assert not built_again and again.index_path == first.index_path

    _, built_quality = _build(trajectories, moving, tmp_path, settings=CropSettings(jpeg_quality=70))
    assert built_quality

    moved = list(trajectories)
    frames = list(moved[0].frames)
    frames[0] = type(frames[0])(frames[0].path, (1.0, 1.0, 30.0, 30.0), frames[0].frame_number)
    moved[0] = make_trajectory(
        moved[0].name,
        moved[0].video,
        moved[0].class_name,
        [f.path for f in frames],
        [f.box for f in frames],
        [f.frame_number for f in frames],
    )
    changed, built_changed = _build(moved, moving, tmp_path)
    assert built_changed and changed.index_path != first.index_path

    packed = sorted(p.name for p in tmp_path.iterdir())
    assert len(packed) == 6 and all(
        n.endswith((".crops", ".index.npz")) for n in packed
    )  # 3 caches, 2 files each


def test_cache_built_in_parallel_equals_serial(moving, tmp_path):
    trajectories = load_trajectories("otb", moving)
    serial, _ = _build(trajectories, moving, tmp_path / "a", workers=0)
    parallel, _ = _build(trajectories, moving, tmp_path / "b", workers=2)
    for i in range(len(serial)):
        assert serial.encoded(i) == parallel.encoded(i)
    assert np.array_equal(serial.boxes, parallel.boxes)


def test_unusable_frames_are_skipped(moving, tmp_path):
    trajectory = load_trajectories("otb", moving)[0]
    boxes = [f.box for f in trajectory.frames]
    boxes[1] = None  # absent
    boxes[2] = (5.0, 5.0, 2.0, 30.0)  # too thin
    boxes[3] = (5.0, 5.0, 90.0, 8.0)  # extreme aspect ratio
    t = make_trajectory(
        "t", "v", "", [f.path for f in trajectory.frames], boxes, [f.frame_number for f in trajectory.frames]
    )
    cache, _ = _build([t], moving, tmp_path)
    assert len(cache) == 3
    assert cache.frame_numbers.tolist() == [trajectory.frames[i].frame_number for i in (0, 4, 5)]


def test_a_damaged_cache_is_rebuilt(moving, tmp_path):
    trajectories = load_trajectories("otb", moving)
    cache, _ = _build(trajectories, moving, tmp_path)
    cache.pack_path.write_bytes(cache.pack_path.read_bytes()[:-10])
    again, built = _build(trajectories, moving, tmp_path)
    assert built and again.image(len(again) - 1).shape == (255, 255, 3)


def test_stopping_curation_leaves_no_files(moving, tmp_path):
    trajectories = load_trajectories("otb", moving)
    with pytest.raises(CurationStopped):
        _build(trajectories, moving, tmp_path, should_stop=lambda: True)
    assert list(tmp_path.iterdir()) == []


def test_cache_opens_alone_and_travels_to_workers(moving, tmp_path):
    import pickle

    cache, _ = _build(load_trajectories("otb", moving), moving, tmp_path)
    reopened = CropCache(cache.index_path)
    assert reopened.image(0).shape == (255, 255, 3)
    copy = pickle.loads(pickle.dumps(reopened))
    assert copy.encoded(5) == cache.encoded(5)
