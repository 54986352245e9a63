"""From dataset to crops and a train/validation split by video; a crop cache alone is a dataset too."""

from __future__ import annotations

import pytest
from trainer_fixtures import short_config, write_otb_fixture

from core.errors import SiamTrackError
from trainer.data import prepare_data, split_by_video


def test_split_holds_out_whole_videos_whatever_the_seed(moving_data, crop_cache_dir):
    data = prepare_data(short_config(moving_data, val_fraction=0.3), crop_cache_dir, workers=0)
    assert sorted(data.train + data.val) == list(range(6)) and data.train and data.val
    again = prepare_data(short_config(moving_data, val_fraction=0.3, seed=99), crop_cache_dir, workers=0)
    assert (again.train, again.val) == (data.train, data.val)
    none = prepare_data(short_config(moving_data, val_fraction=0.0), crop_cache_dir, workers=0)
    assert none.val == [] and len(none.train) == 6


def test_objects_of_one_video_stay_on_one_side(tmp_path):
    write_otb_fixture(tmp_path / "otb")
    config = short_config(tmp_path / "otb", val_fraction=0.5, min_area_fraction=0.0)
    data = prepare_data(config, tmp_path / "cache", workers=0)
    names = {t: data.cache.trajectories[t].name for t in data.train + data.val}
    pair_sides = {("train" if t in data.train else "val") for t, n in names.items() if n.startswith("Pair")}
    assert len(pair_sides) == 1
    assert split_by_video(data.cache, data.train + data.val, 0.99)[0]  # something is always left to train on


def test_a_crop_cache_alone_is_a_dataset(moving_data, crop_cache_dir):
    built = prepare_data(short_config(moving_data), crop_cache_dir, workers=0)
    alone = prepare_data(short_config(built.cache.index_path, format="crops"), crop_cache_dir, workers=0)
    assert (alone.train, alone.val) == (built.train, built.val)
    assert alone.cache.encoded(3) == built.cache.encoded(3)
    with pytest.raises(SiamTrackError, match="other crop settings"):
        prepare_data(
            short_config(built.cache.index_path, format="crops", context=0.4), crop_cache_dir, workers=0
        )
