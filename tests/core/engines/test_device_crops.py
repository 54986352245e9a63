"""Crops cut on the device sample the frame exactly where core.crop.crop_square does."""
import numpy as np
import pytest
import torch

from core.crop import crop_batch, mean_colour
from core.engines.device_crops import crop_on_device, frame_image


def device_crops(frame, centers, sides, out_size) -> np.ndarray:
    crops = crop_on_device(
        frame_image(torch.from_numpy(frame)),
        torch.tensor(centers, dtype=torch.float32), torch.tensor(sides, dtype=torch.float32), out_size,
    )
    return crops.permute(0, 2, 3, 1).numpy()


def reference_crops(frame, centers, sides, out_size) -> np.ndarray:
    crops = crop_batch(frame, np.asarray(centers), np.asarray(sides), out_size, mean_colour(frame))
    return crops.astype(np.float32)


# (centre, side) in a 320x240 frame
PLACES = {
    "inside": ([(160.3, 120.7), (80.0, 60.0), (250.55, 180.25)], [90.2, 31.0, 120.0]),
    "across the border": ([(5.0, 120.0), (310.4, 7.9), (160.0, 235.0)], [100.0, 60.3, 200.7]),
    "beyond the border": ([(-200.0, 50.0), (600.0, 600.0)], [80.0, 150.0]),
    "larger than the frame": ([(160.0, 120.0)], [700.0]),
}


@pytest.mark.parametrize("place", PLACES)
@pytest.mark.parametrize("out_size", [127, 255])
def test_device_crops_match_crop_batch_within_a_grey_level(frame, place, out_size):
    centers, sides = PLACES[place]
    device = device_crops(frame, centers, sides, out_size)
    reference = reference_crops(frame, centers, sides, out_size)
    assert device.shape == reference.shape == (len(sides), out_size, out_size, 3)
    assert np.abs(device - reference).max() <= 1.0
    assert np.all(device == np.round(device))


def test_random_crops_match_crop_batch_within_a_grey_level(frame):
    rng = np.random.default_rng(1)
    centers = rng.uniform(-60, 380, size=(24, 2))
    sides = rng.uniform(20, 500, size=24)
    device = device_crops(frame, centers, sides, 127)
    difference = np.abs(device - reference_crops(frame, centers, sides, 127))
    assert difference.max() <= 1.0
    assert difference.mean() < 0.05  # rounding disagreements are rare


def test_crop_beyond_the_frame_is_the_mean_colour(frame):
    crop = device_crops(frame, [(-500.0, -500.0)], [100.0], 31)[0]
    expected = np.round(np.array(mean_colour(frame), dtype=np.float32))
    assert np.array_equal(crop, np.broadcast_to(expected, crop.shape))


def test_pixel_aligned_crop_at_scale_one_is_the_frame_itself(frame):
    # side == out_size and cx - side/2 a whole number: output pixel u samples the centre of frame pixel x0 + u
    crop = device_crops(frame, [(100.0 + 32.5, 50.0 + 32.5)], [65.0], 65)[0]
    assert np.array_equal(crop, frame[50:115, 100:165].astype(np.float32))
