import json
import pickle

import numpy as np
import pytest
import scipy.io
import torch
import torch.nn.functional as F

from core.errors import WeightsError
from core.models import load_model, save_model
from core.models.checkpoint import Model
from core.network import build_network

# ---- MatConvNet (CFNet release) -------------------------------------------------------------------------

def test_matconvnet_import_reproduces_layer_shapes(cfnet_weights):
    layers = json.loads((cfnet_weights.parent / "LAYERS.json").read_text())[cfnet_weights.name]["params"]
    model = load_model(cfnet_weights)
    state = model.net.state_dict()
    for k in (1, 2, 3):
        h, w, c_in, c_out = layers[f"br_conv{k}f"]
        assert tuple(state[f"backbone.conv{k}.0.weight"].shape) == (c_out, c_in, h, w)
        assert state[f"backbone.conv{k}.1.running_var"].shape[0] == layers[f"br_bn{k}x"][0]
    assert model.architecture == "cfnet-baseline-conv3"


def test_matconvnet_import_reproduces_a_known_conv1_output(cfnet_weights):
    params = {p.name: np.asarray(p.value, np.float64) for p in
              scipy.io.loadmat(str(cfnet_weights), squeeze_me=True, struct_as_record=False)["net"].params}
    rng = np.random.default_rng(1)
    patch = rng.uniform(0, 255, size=(11, 11, 3))
    conv = np.einsum("hwc,hwck->k", patch, params["br_conv1f"]) + params["br_conv1b"]
    mean, sigma = params["br_bn1x"][:, 0], params["br_bn1x"][:, 1]
    expected = np.maximum((conv - mean) / np.sqrt(sigma**2 + 1e-5) * params["br_bn1m"] + params["br_bn1b"], 0)

    net = load_model(cfnet_weights).net
    image = torch.from_numpy(patch.transpose(2, 0, 1)[None]).float()
    with torch.no_grad():
        got = net.backbone.conv1(image)[0, :, 0, 0].double().numpy()
    np.testing.assert_allclose(got, expected, rtol=1e-4, atol=1e-3)


def test_imported_network_peaks_on_the_target(cfnet_weights, shared_data):
    """Exemplar and search cut around the same box of a real frame: the response peaks at the centre."""
    import cv2

    from core.crop import crop_square, mean_colour
    from core.sequences import load_sequence

    seq = load_sequence(shared_data / "sequences" / "vot15_bag")
    frame = cv2.cvtColor(cv2.imread(str(seq.frames[0])), cv2.COLOR_BGR2RGB)
    x, y, w, h = seq.boxes[0]
    context = 0.5 * (w + h)
    side = np.sqrt((w + context) * (h + context))
    centre = (x + w / 2, y + h / 2)
    z = crop_square(frame, centre, side, 127, mean_colour(frame))
    s = crop_square(frame, (centre[0] + 12, centre[1] - 8), side * 255 / 127, 255, mean_colour(frame))
    to_tensor = lambda a: torch.from_numpy(a).permute(2, 0, 1)[None].float()
    with torch.no_grad():
        response = load_model(cfnet_weights).net(to_tensor(z), to_tensor(s))[0, 0].numpy()
    peak = np.unravel_index(response.argmax(), response.shape)
    # the target sits 12 px left and 8 px below the search centre (crop scale ~1: 1 cell = 4 px)
    stride_px = 4 * side * 255 / 127 / 255
    assert peak[1] == pytest.approx(16 - 12 / stride_px, abs=1.01)
    assert peak[0] == pytest.approx(16 + 8 / stride_px, abs=1.01)


def test_truncated_mat_file_is_rejected(cfnet_weights, tmp_path):
    broken = tmp_path / "broken.mat"
    broken.write_bytes(cfnet_weights.read_bytes()[:5000])
    with pytest.raises(WeightsError):
        load_model(broken)


# ---- siamfc-pytorch state dicts ------------------------------------------------------------------------

def port_state_dict(seed: int = 0) -> dict[str, torch.Tensor]:
    torch.manual_seed(seed)
    reference = build_network("siamfc-alexnet")
    state = {}
    for name, tensor in reference.state_dict().items():
        if name in ("gain", "bias"):
            continue
        if name.endswith("running_var"):
            state[name] = torch.rand_like(tensor) + 0.5
        elif name.endswith("num_batches_tracked"):
            state[name] = torch.tensor(100)
        else:
            state[name] = torch.randn_like(tensor) * 0.05
    return state


def port_embedding(state: dict[str, torch.Tensor], x: torch.Tensor) -> torch.Tensor:
    """The port's forward pass written out with functional ops, its batch-norm eps being 1e-6."""
    groups = {1: 1, 2: 2, 3: 1, 4: 2, 5: 2}
    strides = {1: 2}
    for k in range(1, 6):
        p = f"backbone.conv{k}."
        x = F.conv2d(x, state[p + "0.weight"], state[p + "0.bias"], stride=strides.get(k, 1), groups=groups[k])
        if k == 5:
            break
        x = F.batch_norm(x, state[p + "1.running_mean"], state[p + "1.running_var"], state[p + "1.weight"],
                         state[p + "1.bias"], training=False, eps=1e-6)
        x = F.relu(x)
        if k in (1, 2):
            x = F.max_pool2d(x, 3, 2)
    return x


def test_siamfc_pytorch_import_reproduces_the_port_output(tmp_path):
    state = port_state_dict()
    path = tmp_path / "siamfc_alexnet_e50.pth"
    torch.save(state, path)
    model = load_model(path)
    x = torch.rand(1, 3, 127, 127) * 255
    with torch.no_grad():
        torch.testing.assert_close(model.net.embed(x), port_embedding(state, x), rtol=1e-4, atol=1e-4)
    assert model.architecture == "siamfc-alexnet"
    assert model.net.gain.item() == pytest.approx(0.001)


def test_siamfc_pytorch_import_accepts_prefixes(tmp_path):
    state = {"module." + k: v for k, v in port_state_dict().items()}
    path = tmp_path / "wrapped.pth"
    torch.save({"state_dict": state}, path)
    assert load_model(path).architecture == "siamfc-alexnet"


class Payload:
    def __reduce__(self):
        return (print, ("this must never run",))


@pytest.mark.parametrize("content", [b"not a checkpoint at all", pickle.dumps({"x": Payload()})])
def test_corrupt_or_unsafe_pth_is_rejected(tmp_path, content):
    path = tmp_path / "bad.pth"
    path.write_bytes(content)
    with pytest.raises(WeightsError):
        load_model(path)


def test_pth_with_wrong_layers_is_rejected(tmp_path):
    path = tmp_path / "other.pth"
    torch.save({"features.0.weight": torch.zeros(3)}, path)
    with pytest.raises(WeightsError, match="no tensor"):
        load_model(path)


# ---- SiamTrack model files -----------------------------------------------------------------------------

def test_model_file_round_trip(tmp_path):
    torch.manual_seed(3)
    net = build_network("siamfc-alexnet")
    with torch.no_grad():
        net.bias.fill_(-1.25)
    model = Model(net.eval(), "siamfc-alexnet", {"window_influence": 0.2}, {"name": "demo", "epochs": 3})
    path = tmp_path / "demo.safetensors"
    save_model(model, path)
    loaded = load_model(path)
    assert loaded.architecture == "siamfc-alexnet"
    assert loaded.tracker_overrides == {"window_influence": 0.2}
    assert loaded.info["epochs"] == 3
    for name, tensor in model.net.state_dict().items():
        torch.testing.assert_close(loaded.net.state_dict()[name], tensor)


@pytest.mark.parametrize("cut", [4, 100, -10])
def test_damaged_model_file_is_rejected(tmp_path, cut):
    path = tmp_path / "m.safetensors"
    save_model(Model(build_network("cfnet-baseline-conv3"), "cfnet-baseline-conv3"), path)
    data = path.read_bytes()
    path.write_bytes(data[:cut])
    with pytest.raises(WeightsError):
        load_model(path)


def test_missing_and_unknown_files_are_rejected(tmp_path):
    with pytest.raises(WeightsError, match="not found"):
        load_model(tmp_path / "nothing.safetensors")
    other = tmp_path / "weights.onnx"
    other.write_bytes(b"x")
    with pytest.raises(WeightsError, match="unknown weights format"):
        load_model(other)
