"""`siamtrack track SOURCE --box x,y,w,h`: track one object through a video, image folder or camera."""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from tqdm import tqdm

from core.atomic import atomic_open
from core.boxes import format_box, parse_box
from core.config import PRESETS
from core.device import DEVICE_CHOICES
from core.engines import engine_names
from core.errors import SiamTrackError
from core.models import load_model
from core.sources import PrefetchingReader, open_source
from core.tracking import TRACKER_NAMES, create_tracker


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "track",
        help="track one object through a video, image folder or camera",
        description="Track one object from a first box and print or write one x,y,w,h box per frame "
        "(0-based pixels, top-left corner).",
    )
    parser.add_argument("source", help="video file, image folder, camera index (0, webcam:0) or stream URL")
    parser.add_argument("--box", required=True, type=parse_box, help="the first box: x,y,w,h")
    parser.add_argument("--start", type=int, default=0, help="the frame the box is on (default 0)")
    parser.add_argument("--frames", type=int, help="track this many frames after the first (default: to the end)")
    parser.add_argument("--tracker", choices=TRACKER_NAMES, default="siamfc", help="the tracker (default siamfc)")
    parser.add_argument("--model", type=Path, help="model file (.safetensors, .mat, .pth); default: the bundled model")
    parser.add_argument("--preset", choices=sorted(PRESETS), default="3s", help="SiamFC scales (default 3s)")
    parser.add_argument("--device", choices=DEVICE_CHOICES, default="auto", help="torch device (default auto)")
    parser.add_argument("--engine", choices=engine_names(), default="auto",
                        help="execution path of the network (default: the fastest this machine supports)")
    parser.add_argument("--out", type=Path, help="write the boxes here, one x,y,w,h line per frame")
    parser.add_argument("--verbose", "-v", action="store_true", help="show the source, model and execution path")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    with open_source(args.source) as source:
        tracker, description = _make_tracker(args)
        if args.verbose:
            print(f"source: {source.description}", file=sys.stderr)
            print(description, file=sys.stderr)
        stop = None if args.frames is None else args.start + args.frames + 1
        first = source.read(args.start) if not source.is_live else next(iter(source.frames()))[1]
        tracker.init(first, args.box)
        lines = [format_box(args.box, 2)]
        total = None if source.frame_count is None else min(stop or source.frame_count, source.frame_count) - args.start - 1
        started = time.perf_counter()
        with PrefetchingReader(source, args.start + 1, stop) as reader, \
                tqdm(total=total, unit="frame", disable=not sys.stderr.isatty(), leave=False) as bar:
            for count, (_, frame) in enumerate(reader, start=1):
                lines.append(format_box(tracker.update(frame).box, 2))
                bar.update()
                if source.is_live and args.frames is not None and count >= args.frames:
                    break
        elapsed = time.perf_counter() - started
    _write(lines, args.out)
    if args.verbose:
        tracked = len(lines) - 1
        print(f"tracked {tracked} frames in {elapsed:.2f} s ({tracked / max(elapsed, 1e-9):.1f} fps)", file=sys.stderr)
    return 0


def _make_tracker(args: argparse.Namespace):
    """The tracker, and a line saying what runs: model and execution path for SiamFC."""
    if args.tracker != "siamfc":
        return create_tracker(args.tracker), f"tracker: {args.tracker}"
    model = load_model(args.model)
    tracker = create_tracker("siamfc", model=model, preset=args.preset, device=args.device, engine=args.engine,
                             want_maps=False)
    return tracker, f"tracker: siamfc-{args.preset}; model: {model.display_name}; execution path: {tracker.engine.name}"


def _write(lines: list[str], out: Path | None) -> None:
    text = "\n".join(lines) + "\n"
    if out is None:
        sys.stdout.write(text)
        return
    try:
        with atomic_open(out) as handle:
            handle.write(text)
    except OSError as exc:
        raise SiamTrackError(f"cannot write {out}: {exc.strerror or exc}") from None
