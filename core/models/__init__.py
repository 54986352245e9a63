"""Model files: SiamTrack's own format, importers for other releases, and the bundled default."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from core.errors import WeightsError
from core.models.checkpoint import Model, load_model_file, save_model
from core.models.matconvnet import import_matconvnet
from core.models.siamfc_pytorch import import_siamfc_pytorch
from core.resources import bundled_model_path

LOADERS: dict[str, Callable[[Path], Model]] = {
    ".safetensors": load_model_file,
    ".mat": import_matconvnet,
    ".pth": import_siamfc_pytorch,
    ".pt": import_siamfc_pytorch,
}


def load_model(path: str | Path | None = None) -> Model:
    """Load a model file of any supported kind; None means the bundled default model."""
    if path is None:
        path = bundled_model_path()
        if path is None:
            raise WeightsError(
                "no trained model is bundled with this installation; import one with "
                "`siamtrack import-weights FILE --out MODEL` and pass --model MODEL"
            )
    path = Path(path)
    if not path.exists():
        raise WeightsError(f"model file not found: {path}")
    loader = LOADERS.get(path.suffix.lower())
    if loader is None:
        raise WeightsError(f"{path.name}: unknown weights format; expected one of {', '.join(LOADERS)}")
    return loader(path)


__all__ = ["LOADERS", "Model", "import_matconvnet", "import_siamfc_pytorch", "load_model", "save_model"]
