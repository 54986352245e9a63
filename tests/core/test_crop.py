import numpy as np
import pytest

from core.crop import crop_batch, crop_square, mean_colour


@pytest.fixture
def frame():
    rng = np.random.default_rng(0)
    return rng.integers(0, 256, size=(60, 80, 3), dtype=np.uint8)


def test_unit_scale_crop_copies_pixels_exactly(frame):
    # a 20-px square centred on (30, 25) covers pixels 20..39 x 15..34
    crop = crop_square(frame, (30.0, 25.0), 20, 20, (0, 0, 0))
    np.testing.assert_array_equal(crop, frame[15:35, 20:40])


def test_half_scale_crop_averages_pixel_pairs(frame):
    crop = crop_square(frame.astype(np.float32), (40.0, 30.0), 20, 10, (0, 0, 0))
    expected = frame[20:40, 30:50].astype(np.float32).reshape(10, 2, 10, 2, 3).mean(axis=(1, 3))
    np.testing.assert_allclose(crop, expected, atol=1e-3)


def test_crop_beyond_the_border_is_padded_with_the_fill(frame):
    fill = (10.0, 20.0, 30.0)
    crop = crop_square(frame, (5.0, 5.0), 20, 20, fill)  # covers -5..14: 5 columns/rows outside
    np.testing.assert_array_equal(crop[5:, 5:], frame[0:15, 0:15])
    assert (crop[:5, :] == np.array(fill, np.uint8)).all()
    assert (crop[:, :5] == np.array(fill, np.uint8)).all()


def test_crop_entirely_outside_is_all_fill(frame):
    crop = crop_square(frame, (500.0, 500.0), 30, 16, (1, 2, 3))
    assert (crop == np.array([1, 2, 3], np.uint8)).all()


def test_crop_at_the_far_corner(frame):
    crop = crop_square(frame, (80.0, 60.0), 10, 10, (7, 7, 7))  # covers 75..84 x 55..64
    np.testing.assert_array_equal(crop[:5, :5], frame[55:60, 75:80])
    assert (crop[5:, :] == 7).all() and (crop[:, 5:] == 7).all()


def test_crop_batch_matches_single_crops(frame):
    centers = np.array([[10.0, 10.0], [40.5, 30.25]])
    sides = np.array([15.0, 33.3])
    batch = crop_batch(frame, centers, sides, 16, mean_colour(frame))
    for i in range(2):
        single = crop_square(frame, tuple(centers[i]), sides[i], 16, mean_colour(frame))
        np.testing.assert_array_equal(batch[i], single)


def test_mean_colour(frame):
    assert mean_colour(frame) == pytest.approx(tuple(frame.reshape(-1, 3).mean(axis=0)))
