"""Import MatConvNet networks of the CFNet release (e.g. baseline-conv3-on-cfnet-conv3_e100.mat).

The release's graphs join the branches with a correlation filter; SiamTrack uses plain cross-correlation of
the same embedding followed by the learned `fin_adjust` gain and bias, which gives a working SiamFC response.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import torch

from core.errors import WeightsError
from core.models.checkpoint import Model
from core.network import get_architecture

BN_EPS_MATCONVNET = 1e-5
ARCHITECTURE = "cfnet-baseline-conv3"
LAYERS = ("conv1", "conv2", "conv3")


def import_matconvnet(path: str | Path) -> Model:
    path = Path(path)
    params = _read_params(path)
    net = get_architecture(ARCHITECTURE).build()
    state = net.state_dict()
    for index, layer in enumerate(LAYERS, start=1):
        conv = _param(params, f"br_conv{index}f", path)
        state[f"backbone.{layer}.0.weight"] = _tensor(conv.transpose(3, 2, 0, 1))
        state[f"backbone.{layer}.0.bias"] = _tensor(_param(params, f"br_conv{index}b", path).reshape(-1))
        state[f"backbone.{layer}.1.weight"] = _tensor(_param(params, f"br_bn{index}m", path).reshape(-1))
        state[f"backbone.{layer}.1.bias"] = _tensor(_param(params, f"br_bn{index}b", path).reshape(-1))
        moments = _param(params, f"br_bn{index}x", path).reshape(-1, 2)
        state[f"backbone.{layer}.1.running_mean"] = _tensor(moments[:, 0])
        state[f"backbone.{layer}.1.running_var"] = _tensor(moments[:, 1] ** 2)  # MatConvNet stores sigma
    state["gain"] = _tensor(np.asarray(_param(params, "fin_adjustf", path)).reshape(()))
    state["bias"] = _tensor(np.asarray(_param(params, "fin_adjustb", path)).reshape(()))
    _check_shapes(net.state_dict(), state, path)
    net.load_state_dict(state)
    info = {"name": path.stem, "source": f"imported from MatConvNet file {path.name}", "bn_eps": BN_EPS_MATCONVNET}
    return Model(net.eval(), ARCHITECTURE, {}, info, path)


def _read_params(path: Path) -> dict[str, np.ndarray]:
    import scipy.io

    try:
        mat = scipy.io.loadmat(str(path), squeeze_me=True, struct_as_record=False)
        params = mat["net"].params
        return {p.name: np.asarray(p.value, dtype=np.float32) for p in np.atleast_1d(params)}
    except FileNotFoundError:
        raise WeightsError(f"weights file not found: {path}") from None
    except (ValueError, TypeError, KeyError, AttributeError, OSError, NotImplementedError) as exc:
        raise WeightsError(f"{path.name} is not a readable MatConvNet network ({exc})") from None


def _param(params: dict[str, np.ndarray], name: str, path: Path) -> np.ndarray:
    if name not in params:
        raise WeightsError(f"{path.name} has no parameter {name}: not a CFNet baseline-conv3 network")
    return params[name]


def _tensor(array: np.ndarray) -> torch.Tensor:
    return torch.from_numpy(np.array(array, dtype=np.float32, order="C"))


def _check_shapes(expected: dict[str, torch.Tensor], state: dict[str, torch.Tensor], path: Path) -> None:
    for name, tensor in expected.items():
        if state[name].shape != tensor.shape:
            raise WeightsError(
                f"{path.name}: {name} has shape {tuple(state[name].shape)}, expected {tuple(tensor.shape)}"
            )
