"""Every execution path computes what the fp32 reference computes, within the rounding of its precision."""
import numpy as np
import pytest
import torch

from core import engines
from core.engines import ENGINE_BUILDERS, auto_engine_name, bf16_verified, create_engine
from core.engines.optimize import fold_batch_norms
from core.errors import SiamTrackError


def reference_and(engine_name, model, frame):
    centers = np.array([[150.0, 120.0], [60.0, 70.0]])
    exemplar_sides = np.array([60.0, 45.0])
    sides = np.array([[115.0, 120.0, 125.0], [88.0, 90.0, 92.0]])
    results = []
    for name in ("fp32", engine_name):
        engine = create_engine(model, "cpu", name)
        features = engine.exemplar_features(frame, centers, exemplar_sides, 127)
        results.append(engine.responses(frame, features, centers, sides, 255))
    return results


@pytest.mark.parametrize(
    "engine_name, tolerance", [("fp32-fast", 1e-4), ("onnxruntime", 1e-4), ("bf16", 3e-2)]
)
def test_engine_responses_match_fp32(alexnet_model, frame, engine_name, tolerance):
    reference, other = reference_and(engine_name, alexnet_model, frame)
    assert other.shape == reference.shape == (2, 3, 17, 17)
    scale = np.abs(reference).max()
    assert np.abs(other - reference).max() <= tolerance * scale


def test_folding_batch_norm_keeps_the_embedding(alexnet_model):
    folded = fold_batch_norms(alexnet_model.net)
    assert not any(isinstance(m, torch.nn.BatchNorm2d) for m in folded.modules())
    x = torch.rand(2, 3, 127, 127) * 255
    with torch.no_grad():
        torch.testing.assert_close(folded.embed(x), alexnet_model.net.embed(x), rtol=1e-4, atol=1e-3)


def test_auto_picks_a_known_engine():
    assert auto_engine_name(torch.device("cpu")) in ENGINE_BUILDERS
    assert auto_engine_name(torch.device("cuda")) == "cuda"


def test_auto_uses_bf16_only_for_models_verified_with_it(monkeypatch):
    monkeypatch.setattr(engines, "cpu_has_fast_bf16", lambda: True)
    cpu = torch.device("cpu")
    assert auto_engine_name(cpu, bf16_ok=True) == "bf16"
    assert auto_engine_name(cpu, bf16_ok=False) != "bf16"
    assert bf16_verified({"verified_engines": ["fp32-fast", "bf16"]})
    assert not bf16_verified({})


def test_cuda_engine_without_a_cuda_device_says_so(alexnet_model):
    with pytest.raises(SiamTrackError, match="needs a CUDA GPU"):
        ENGINE_BUILDERS["cuda"](alexnet_model, torch.device("cpu"))


def test_unknown_engine_is_rejected(alexnet_model):
    with pytest.raises(SiamTrackError, match="unknown engine"):
        create_engine(alexnet_model, "cpu", "warp-drive")
