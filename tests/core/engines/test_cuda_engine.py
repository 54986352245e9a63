"""The device engine on a real CUDA GPU: pinned uploads, CUDA graphs, fp16 tensor cores.

Run with --run-gpu on a machine with CUDA; the same class is checked on the CPU in test_device_engine.py.
"""
import numpy as np
import pytest
import torch

from core.boxes import center_distance
from core.config import PRESETS
from core.crop import crop_batch, mean_colour
from core.engines import DeviceEngine, auto_engine_name, create_engine
from core.engines.base import PeakSearch
from core.engines.device_crops import crop_on_device, frame_image
from core.engines.host_link import HostLink
from core.tracking import SiamFCMultiTracker, siamfc_config

pytestmark = pytest.mark.gpu


@pytest.fixture(scope="module")
def cuda() -> torch.device:
    if not torch.cuda.is_available():
        pytest.skip("no CUDA device")
    return torch.device("cuda")


def test_auto_picks_the_cuda_engine(alexnet_model, cuda):
    assert auto_engine_name(cuda) == "cuda"
    assert isinstance(create_engine(alexnet_model, "cuda", "auto"), DeviceEngine)


def test_crops_on_the_gpu_match_crop_batch(frame, cuda):
    rng = np.random.default_rng(2)
    centers, sides = rng.uniform(-60, 380, size=(32, 2)), rng.uniform(20, 500, size=32)
    crops = crop_on_device(
        frame_image(torch.from_numpy(frame).to(cuda)),
        torch.tensor(centers, dtype=torch.float32, device=cuda),
        torch.tensor(sides, dtype=torch.float32, device=cuda), 255,
    )
    reference = crop_batch(frame, centers, sides, 255, mean_colour(frame)).astype(np.float32)
    assert np.abs(crops.permute(0, 2, 3, 1).cpu().numpy() - reference).max() <= 1.0


def test_graph_replays_equal_eager_steps(alexnet_model, frame, cuda):
    search = PeakSearch(16, PRESETS["3s"].scale_penalty, PRESETS["3s"].window_influence)
    centers = np.array([[150.0, 120.0], [60.0, 70.0]])
    graphs = DeviceEngine(alexnet_model.net, cuda, torch.float16, use_graphs=True)
    eager = DeviceEngine(alexnet_model.net, cuda, torch.float16, use_graphs=False)
    features = graphs.exemplar_features(frame, centers, np.array([60.0, 45.0]), 127)
    rng = np.random.default_rng(0)
    for _ in range(6):  # several frames, so that later ones replay the graph with new inputs
        shifted = centers + rng.uniform(-10, 10, size=centers.shape)
        sides = rng.uniform(100, 140, size=(2, 1)) * np.array([[1 / 1.0375, 1.0, 1.0375]])
        new_frame = np.roll(frame, rng.integers(0, 50), axis=1)
        ours = graphs.locate(new_frame, features, shifted, sides, 255, search, True)
        theirs = eager.locate(new_frame, features, shifted, sides, 255, search, True)
        np.testing.assert_array_equal(ours[1].scale_index, theirs[1].scale_index)
        np.testing.assert_array_equal(ours[1].position, theirs[1].position)
        np.testing.assert_allclose(ours[0], theirs[0], rtol=1e-5, atol=1e-5)
    assert graphs.captured_shapes() == 1
    assert eager.captured_shapes() == 0


def test_cuda_engine_tracks_like_the_reference(cfnet_model, bag, cuda):
    seq, frames = bag
    boxes = [tuple(seq.boxes[0]), (30.0, 40.0, 60.0, 50.0)]
    tracks = {}
    for name, engine in (("reference", create_engine(cfnet_model, "cpu", "fp32")),
                         ("cuda", create_engine(cfnet_model, "cuda", "cuda"))):
        tracker = SiamFCMultiTracker(engine, siamfc_config(cfnet_model), want_maps=False)
        tracker.init(frames[0], boxes)
        tracks[name] = np.array([[r.box for r in tracker.update(f)] for f in frames[1:]])
    assert center_distance(tracks["cuda"].reshape(-1, 4), tracks["reference"].reshape(-1, 4)).max() <= 1.0


def test_pinned_staging_is_not_overwritten_while_in_flight(cuda):
    link = HostLink(cuda)
    targets = [torch.empty((720, 1280, 3), dtype=torch.uint8, device=cuda) for _ in range(8)]
    frames = [np.full((720, 1280, 3), value, dtype=np.uint8) for value in range(8)]
    for array, target in zip(frames, targets):
        link.upload([(array, target)])
    for value, target in enumerate(targets):
        assert link.download([target])[0][::97, ::89].tolist() == frames[value][::97, ::89].tolist()
