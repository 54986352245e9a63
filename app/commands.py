"""`siamtrack gui [SOURCE]`: the desktop application, optionally driven by a script (see app/scripted.py)."""

from __future__ import annotations

import argparse
from pathlib import Path

from core.boxes import parse_box
from core.config import PRESETS
from core.errors import BoxError, SiamTrackError


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "gui",
        help="start the desktop application (the default when no command is given)",
        description="Start the SiamTrack window, optionally opening SOURCE. With --box, --track, "
        "--screenshot and --quit it runs a script instead of waiting for the user (demos, tests, docs).",
    )
    parser.add_argument("source", nargs="?", help="a video file, an image folder, or a camera (0, webcam:0)")
    parser.add_argument(
        "--box", type=_box_argument, help="place this box x,y,w,h (0-based pixels) on the first frame"
    )
    parser.add_argument("--track", type=int, metavar="N", help="track N frames from the box, then stop")
    parser.add_argument(
        "--screenshot", type=Path, metavar="PNG", help="save a screenshot of the window when done"
    )
    parser.add_argument("--quit", action="store_true", help="close the window when the script is done")
    parser.add_argument("--model", type=Path, help="weights file to track with (.safetensors, .mat, .pth)")
    parser.add_argument("--tracker", help="siamfc (default), csrt, kcf, mil, or identity")
    parser.add_argument("--preset", choices=sorted(PRESETS), help="SiamFC preset")
    parser.add_argument("--device", help="auto (default), cpu or cuda")
    parser.add_argument(
        "--engine", help="how the network runs: auto (default) or a name from the engine list"
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=600.0,
        metavar="S",
        help="give up a scripted run after S seconds (default 600)",
    )
    parser.set_defaults(run=run)


def _box_argument(text: str):
    try:
        return parse_box(text)
    except BoxError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def run(args: argparse.Namespace) -> int:
    script = _script(args)
    from app.application import application  # Qt is imported only when the window is wanted
    from app.main_window import MainWindow
    from app.scripted import ScriptedRun

    app = application()
    window = MainWindow(remember_layout=not script.quit)
    _apply_choices(window, args)
    window.show()
    scripted = ScriptedRun(window, script)
    scripted.start()
    app.exec()
    window.shutdown()
    if scripted.failure:
        raise SiamTrackError(scripted.failure)
    return 0


def _script(args: argparse.Namespace):
    from app.scripted import Script

    if args.track is not None and args.track < 1:
        raise SiamTrackError("--track needs a number of frames >= 1")
    if args.track and args.box is None:
        raise SiamTrackError("--track needs --box x,y,w,h")
    if (args.box is not None or args.track) and args.source is None:
        raise SiamTrackError("--box and --track need a SOURCE to open")
    if args.screenshot is not None and not args.screenshot.parent.resolve().is_dir():
        raise SiamTrackError(f"the folder for the screenshot does not exist: {args.screenshot.parent}")
    if args.model is not None and not args.model.is_file():
        raise SiamTrackError(f"model file not found: {args.model}")
    _check_names(args)
    return Script(args.source, args.box, args.track, args.screenshot, args.quit, args.timeout)


def _check_names(args: argparse.Namespace) -> None:
    from core.device import DEVICE_CHOICES
    from core.engines import engine_names
    from core.tracking import TRACKER_NAMES

    for option, value, names in (
        ("--tracker", args.tracker, TRACKER_NAMES),
        ("--device", args.device, DEVICE_CHOICES),
        ("--engine", args.engine, engine_names()),
    ):
        if value is not None and value not in names:
            raise SiamTrackError(f"unknown {option} {value!r}; choose one of {', '.join(names)}")


def _apply_choices(window, args: argparse.Namespace) -> None:
    changes = {
        name: value
        for name, value in (
            ("tracker", args.tracker),
            ("preset", args.preset),
            ("device", args.device),
            ("engine", args.engine),
        )
        if value
    }
    if args.model is not None:
        changes["model"] = str(args.model.resolve())
    if args.model is not None and not args.tracker:
        changes["tracker"] = "siamfc"
    if changes:
        window.models.update_choice(remember=False, **changes)
