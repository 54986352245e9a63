"""The `siamtrack` command: subcommands are contributed by modules that each expose `register(subparsers)`.

Errors the user can fix (a missing file, a bad box, corrupt weights) print one line and exit with code 2.
"""
from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from core.errors import SiamTrackError

COMMAND_MODULES = (
    "app.commands",
    "core.commands.track",
    "core.commands.evaluate",
    "core.commands.import_weights",
    "core.commands.export",
    "trainer.commands",
)
USAGE_ERROR = 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="siamtrack",
        description="Track and annotate objects in video with a fully-convolutional Siamese network (SiamFC).",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv:
        argv = ["gui"]  # a double-click starts the application
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "run", None):
        parser.print_help()
        return USAGE_ERROR
    try:
        return int(args.run(args) or 0)
    except SiamTrackError as exc:
        print(f"siamtrack {args.command}: error: {exc}", file=sys.stderr)
        return USAGE_ERROR
    except KeyboardInterrupt:
        print(f"siamtrack {args.command}: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
