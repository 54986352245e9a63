"""The ONNX Runtime engine: the (batch-norm folded) embedding exported to ONNX and run by ONNX Runtime's
CPU kernels, often the fastest fp32 path on CPUs without bf16 units. Crops and correlation as in torch."""
from __future__ import annotations

import io
import warnings

import numpy as np
import torch

from core.crop import crop_batch, mean_colour
from core.engines.optimize import fold_batch_norms
from core.errors import SiamTrackError
from core.network import SiamNet


def onnxruntime_available() -> bool:
    try:
        import onnxruntime  # noqa: F401
    except ImportError:
        return False
    return True


class OnnxEngine:
    def __init__(self, net: SiamNet, threads: int | None = None, name: str = "onnxruntime-fp32-cpu") -> None:
        try:
            import onnxruntime as ort
        except ImportError:
            raise SiamTrackError("the onnxruntime engine needs the onnxruntime package (pip install onnxruntime)") from None
        self.name = name
        self.net = fold_batch_norms(net).eval()
        self.total_stride = net.total_stride
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads or torch.get_num_threads()
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        self._session = ort.InferenceSession(_export(self.net.backbone), options, providers=["CPUExecutionProvider"])

    def exemplar_features(self, frame, centers, sides, size) -> torch.Tensor:
        return self._embed(crop_batch(frame, centers, sides, size, mean_colour(frame)))

    def responses(self, frame, features, centers, sides, size) -> np.ndarray:
        n, s = sides.shape
        crops = crop_batch(frame, np.repeat(centers, s, axis=0), sides.reshape(-1), size, mean_colour(frame))
        with torch.inference_mode():
            maps = self.net.correlate(features, self._embed(crops))
        return maps.numpy().reshape(n, s, maps.shape[-2], maps.shape[-1])

    def select(self, features: torch.Tensor, indices: list[int]) -> torch.Tensor:
        return features[indices]

    def concat(self, features: list[torch.Tensor]) -> torch.Tensor:
        return torch.cat(features, dim=0)

    def _embed(self, crops: np.ndarray) -> torch.Tensor:
        images = np.ascontiguousarray(crops.transpose(0, 3, 1, 2), dtype=np.float32)
        return torch.from_numpy(self._session.run(None, {"images": images})[0])


def _export(backbone: torch.nn.Module) -> bytes:
    buffer = io.BytesIO()
    example = torch.zeros(1, 3, 127, 127)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            backbone, (example,), buffer, input_names=["images"], output_names=["features"],
            dynamic_axes={"images": {0: "n", 2: "h", 3: "w"}}, dynamo=False,
        )
    return buffer.getvalue()
