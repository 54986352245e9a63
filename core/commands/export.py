"""`siamtrack export PROJECT --format F --out PATH` and `siamtrack import-annotations FILE --format F
--video V --out PROJECT`: annotations to and from other tools' formats."""

from __future__ import annotations

import argparse
from pathlib import Path

from core.annotations import Project, VideoInfo, add_tracks, load_project, save_project
from core.annotations.formats import FORMATS, get_format
from core.errors import SiamTrackError


def register(subparsers: argparse._SubParsersAction) -> None:
    _register_export(subparsers)
    _register_import(subparsers)


def _formats_help() -> str:
    return "formats:\n" + "\n".join(f"  {name:<13} {fmt.description}" for name, fmt in FORMATS.items())


def _register_export(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "export",
        help="write a project's annotations in another tool's format",
        description="Write the boxes of a SiamTrack project (.siamtrack.json) in another tool's format.",
        epilog=_formats_help(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("project", type=Path, help="the project file (.siamtrack.json)")
    parser.add_argument(
        "--format",
        required=True,
        choices=list(FORMATS),
        metavar="FORMAT",
        help="one of: " + ", ".join(FORMATS),
    )
    folders = ", ".join(name for name, fmt in FORMATS.items() if fmt.writes_folder)
    parser.add_argument("--out", type=Path, required=True, help=f"the file to write (a folder for {folders})")
    parser.add_argument(
        "--track",
        type=int,
        action="append",
        metavar="ID",
        help="export only this object (repeat for several); single-object formats need one",
    )
    parser.set_defaults(run=run_export)


def _register_import(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "import-annotations",
        help="make a project from another tool's annotation file",
        description="Read annotations written by another tool into a SiamTrack project for a video.",
        epilog=_formats_help(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("file", type=Path, help="the annotation file, or folder for per-frame formats")
    parser.add_argument(
        "--format",
        required=True,
        choices=list(FORMATS),
        metavar="FORMAT",
        help="one of: " + ", ".join(FORMATS),
    )
    parser.add_argument("--video", type=Path, required=True, help="the video file or image folder annotated")
    parser.add_argument("--out", type=Path, required=True, help="the project file to write (.siamtrack.json)")
    parser.add_argument(
        "--add",
        action="store_true",
        help="add the tracks to the project at --out instead of refusing to replace it",
    )
    parser.set_defaults(run=run_import)


def run_export(args: argparse.Namespace) -> int:
    fmt = get_format(args.format)
    project = load_project(args.project)
    if args.track:
        project = project.subset(args.track)
    if fmt.single_object and len(project.objects) != 1:
        ids = ", ".join(str(t) for t in sorted(project.objects)) or "none"
        raise SiamTrackError(f"{fmt.name} holds one object: choose it with --track ID (objects: {ids})")
    fmt.write(project, args.out)
    print(f"wrote {args.out} ({fmt.name}: {len(project.objects)} objects, {project.box_count} boxes)")
    return 0


def run_import(args: argparse.Namespace) -> int:
    fmt = get_format(args.format)
    if not args.file.exists():
        raise SiamTrackError(f"not found: {args.file}")
    if args.out.exists() and not args.add:
        raise SiamTrackError(f"{args.out} exists: use --add to add the tracks to it, or choose another --out")
    imported = fmt.read(args.file, probe_video(args.video))
    project = _merge(load_project(args.out), imported) if args.out.exists() else imported
    save_project(project, args.out)
    print(
        f"wrote {args.out} ({len(imported.objects)} objects, {imported.box_count} boxes "
        f"from {args.file.name})"
    )
    return 0


def probe_video(path: Path) -> VideoInfo:
    """Frame count, size and rate of a video file or image folder."""
    from core.sources import open_source  # decoding libraries load only when a video is needed

    with open_source(path) as source:
        if source.frame_count is None:
            raise SiamTrackError(
                f"{path} is a live source; annotations belong to a video file or image folder"
            )
        width, height = source.frame_size
        return VideoInfo(path.absolute(), source.frame_count, width, height, source.fps)


def _merge(project: Project, imported: Project) -> Project:
    if project.video.frame_count != imported.video.frame_count:
        raise SiamTrackError(
            f"the project's video has {project.video.frame_count} frames but "
            f"{imported.video.path.name} has {imported.video.frame_count}"
        )
    project.apply(add_tracks(project, imported))
    return project
