"""`siamtrack import-weights FILE --out MODEL`: convert a MatConvNet .mat or siamfc-pytorch .pth file."""
from __future__ import annotations

import argparse
from pathlib import Path

from core.errors import SiamTrackError
from core.models import load_model, save_model


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "import-weights",
        help="convert pretrained weights (.mat, .pth) to a SiamTrack model file",
        description="Convert a CFNet-release MatConvNet network (.mat) or a siamfc-pytorch state dict "
        "(.pth) to a SiamTrack model file (.safetensors with a JSON header).",
    )
    parser.add_argument("file", type=Path, help="the weights file to convert (.mat or .pth)")
    parser.add_argument("--out", type=Path, required=True, help="the model file to write (.safetensors)")
    parser.add_argument("--name", help="a display name stored in the model's header")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    out = args.out if args.out.suffix == ".safetensors" else args.out.with_suffix(".safetensors")
    if args.file.suffix.lower() == ".safetensors":
        raise SiamTrackError(f"{args.file.name} is already a SiamTrack model file")
    model = load_model(args.file)
    if args.name:
        model.info["name"] = args.name
    save_model(model, out)
    print(f"wrote {out} ({model.architecture})")
    return 0
