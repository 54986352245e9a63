"""The device decision is the numpy decision: same upsampling, same scale, same peak."""
import cv2
import numpy as np
import pytest
import torch
import torch.nn.functional as F

from core.boxes import center_of
from core.config import PRESETS
from core.engines import create_engine
from core.engines.device_peaks import cosine_window_on, locate_peaks_on_device, scale_penalties_on
from core.tracking.response import cosine_window, locate_peaks, upsample

CPU = torch.device("cpu")


def both_decisions(raw: np.ndarray, preset: str = "3s", upsample_factor: int = 16):
    c = PRESETS[preset]
    size = raw.shape[-1] * upsample_factor
    host = locate_peaks(raw, upsample_factor, c.scale_penalty, c.window_influence, cosine_window(size))
    device = locate_peaks_on_device(
        torch.from_numpy(raw), upsample_factor, scale_penalties_on(raw.shape[1], c.scale_penalty, CPU),
        c.window_influence, cosine_window_on(size, CPU),
    )
    return host, device


def assert_same_decision(host, device):
    np.testing.assert_array_equal(device.scale_index.numpy(), host.scale_index)
    np.testing.assert_array_equal(device.position.numpy(), host.position)
    np.testing.assert_allclose(device.contrast.numpy(), host.contrast, rtol=1e-5, atol=1e-6)
    scale = np.abs(host.chosen).max()
    assert np.abs(device.chosen.numpy() - host.chosen).max() <= 1e-5 * scale


@pytest.mark.parametrize("r", [17, 33])
def test_torch_bicubic_is_opencv_inter_cubic(r):
    maps = np.random.default_rng(r).normal(size=(2, 3, r, r)).astype(np.float32) * 5
    expected = upsample(maps, 16)
    got = F.interpolate(torch.from_numpy(maps).reshape(6, 1, r, r), size=(16 * r, 16 * r), mode="bicubic",
                        align_corners=False).reshape(expected.shape).numpy()
    assert np.abs(got - expected).max() <= 1e-5 * np.abs(expected).max()


@pytest.mark.parametrize("size", [272, 528])
def test_device_window_is_the_cosine_window(size):
    window = cosine_window_on(size, CPU).numpy()
    np.testing.assert_allclose(window, cosine_window(size), rtol=1e-6, atol=1e-12)


def test_only_the_middle_scale_goes_unpenalised():
    assert scale_penalties_on(5, 0.9, CPU).tolist() == pytest.approx([0.9, 0.9, 1.0, 0.9, 0.9])


@pytest.mark.parametrize("preset", ["3s", "5s"])
@pytest.mark.parametrize("r", [17, 33])
def test_same_decision_on_random_maps(preset, r):
    rng = np.random.default_rng(r + len(preset))
    scales = PRESETS[preset].scale_count
    for _ in range(4):
        # smooth random maps with an offset and a random gain, like a network's raw output
        noise = rng.normal(size=(4, scales, r, r)).astype(np.float32)
        smooth = np.stack([[cv2.GaussianBlur(m, (0, 0), 1.5) for m in target] for target in noise])
        raw = (smooth * rng.uniform(0.1, 20) + rng.uniform(-10, 10)).astype(np.float32)
        assert_same_decision(*both_decisions(raw, preset))


def test_same_decision_on_flat_maps():
    raw = np.full((2, 3, 17, 17), 0.25, dtype=np.float32)
    host, device = both_decisions(raw)
    assert_same_decision(host, device)
    assert host.position.tolist() == [[135.0, 135.0]] * 2  # the window alone decides: its centre


@pytest.mark.parametrize("preset", ["3s", "5s"])
def test_same_decision_on_real_maps(cfnet_model, bag, preset):
    seq, frames = bag
    c = PRESETS[preset]
    engine = create_engine(cfnet_model, "cpu", "fp32-fast")
    box = seq.boxes[0]
    context = c.context * (box[2] + box[3])
    exemplar_side = np.sqrt((box[2] + context) * (box[3] + context))
    centers = np.array([center_of(tuple(b)) for b in seq.boxes[1:len(frames)]])
    first_center = np.array([center_of(tuple(box))])
    features = engine.exemplar_features(frames[0], first_center, np.array([exemplar_side]), 127)
    half = c.scale_count // 2
    sides = exemplar_side * 255 / 127 * c.scale_step ** np.arange(-half, half + 1)
    # each later frame searched around a shifted ground-truth centre, so peaks fall off the map centre
    shifts = np.random.default_rng(0).uniform(-15, 15, size=centers.shape)
    raw = np.concatenate([
        engine.responses(f, features, (centre + shift)[None], sides[None], 255)
        for f, centre, shift in zip(frames[1:], centers, shifts)
    ])
    host, device = both_decisions(raw, preset)
    assert_same_decision(host, device)
    assert len(set(host.position[:, 0].tolist())) > 3  # the peaks really move


def test_same_decision_for_more_maps_than_opencv_takes_at_once():
    # 32 targets x 5 scales: more channels than one OpenCV image may have (128 in OpenCV 5)
    raw = np.random.default_rng(5).normal(size=(32, 5, 17, 17)).astype(np.float32)
    host, device = both_decisions(raw, "5s")
    assert host.chosen.shape == (32, 272, 272)
    assert_same_decision(host, device)
