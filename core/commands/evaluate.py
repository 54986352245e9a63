"""`siamtrack eval SEQ_DIR...`: OTB (OPE/TRE/SRE) and VOT (supervised) scores of trackers on sequences,
printed as tables and written as plots, an HTML report and JSON. The work is done by core.evaluation."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tqdm import tqdm

from core.config import PRESETS
from core.device import DEVICE_CHOICES
from core.engines import engine_names
from core.evaluation import (
    DEFAULT_ENGINE,
    EVALUATED_TRACKERS,
    PROTOCOLS,
    RunCache,
    default_cache_dir,
    evaluate,
    get_protocol,
    load_sequences,
    plan_trackers,
    terminal_report,
    write_outputs,
)


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "eval",
        help="score trackers on annotated sequences (OTB OPE/TRE/SRE, VOT accuracy/failures/EAO)",
        description="Run trackers on annotated sequences and score them as the SiamFC paper does: OTB "
        "success and precision (OPE, TRE, SRE) and VOT's supervised protocol (accuracy, failures, expected "
        "average overlap). Runs are cached, so adding a tracker later only runs that tracker.",
    )
    parser.add_argument("sequences", nargs="+", type=Path, metavar="SEQ_DIR",
                        help="a sequence folder (OTB or VOT layout) or a folder of sequence folders")
    parser.add_argument("--protocol", nargs="+", default=["ope"], metavar="NAME",
                        help=f"protocols to run: {', '.join(PROTOCOLS)} (default: ope)")
    parser.add_argument("--tracker", nargs="+", metavar="NAME",
                        help=f"trackers to compare (default: {' '.join(EVALUATED_TRACKERS)})")
    parser.add_argument("--model", action="append", default=[], metavar="[LABEL=]FILE",
                        help="a SiamFC model to evaluate (.safetensors, .mat, .pth); repeat it to compare several, "
                        "LABEL= names one in the tables (default: the bundled model)")
    parser.add_argument("--preset", default="3s", help=f"SiamFC preset: {', '.join(PRESETS)} (default: 3s)")
    parser.add_argument("--device", default="auto",
                        help=f"device for SiamFC: {', '.join(DEVICE_CHOICES)} (default: auto)")
    parser.add_argument("--engine", default=DEFAULT_ENGINE,
                        help=f"SiamFC execution path: {', '.join(engine_names())} (default: {DEFAULT_ENGINE}, the "
                        "reference, so that scores do not depend on the machine)")
    parser.add_argument("--plots", type=Path, metavar="DIR", help="write success/precision (and VOT) plots here as PNG")
    parser.add_argument("--report", type=Path, metavar="DIR", help="write report.html and report.json here")
    parser.add_argument("--json", type=Path, metavar="FILE", help="write all scores and curves as JSON")
    parser.add_argument("--cache-dir", type=Path, metavar="DIR",
                        help=f"where runs are cached (default: {default_cache_dir()})")
    parser.add_argument("--no-cache", action="store_true", help="run everything again and cache nothing")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    protocols = [get_protocol(name).name for name in args.protocol]
    entries, notes = plan_trackers(args.tracker, args.model, args.preset, args.device, args.engine)
    sequences = load_sequences(args.sequences)
    for note in notes:
        print(f"note: {note}", file=sys.stderr)
    cache = None if args.no_cache else RunCache(args.cache_dir or default_cache_dir())
    with tqdm(total=0, unit="frame", dynamic_ncols=True, mininterval=1.0, file=sys.stderr) as bar:
        result = evaluate(entries, sequences, protocols, cache, progress=_progress_bar(bar))
    print(terminal_report(result))
    for path in write_outputs(result, args.plots, args.report, args.json):
        print(f"wrote {path}")
    return 0


def _progress_bar(bar: tqdm):
    def update(done: int, total: int, what: str) -> None:
        if bar.total != total:
            bar.total = total
        if what and what != bar.desc:
            bar.set_description_str(what, refresh=False)
        bar.update(done - bar.n)

    return update
