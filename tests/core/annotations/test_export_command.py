"""The `siamtrack export` and `siamtrack import-annotations` commands, run through the real CLI."""

import cv2
import numpy as np
import pytest
from annotation_helpers import manual

from app.cli import main
from core.annotations import (
    BoxRecord,
    Flag,
    Origin,
    Project,
    TrackObject,
    VideoInfo,
    load_project,
    save_project,
)
from core.annotations.formats import FORMATS


@pytest.fixture
def frames_folder(tmp_path):
    folder = tmp_path / "frames"
    folder.mkdir()
    for i in range(6):
        cv2.imwrite(str(folder / f"{i:04d}.png"), np.full((48, 64, 3), 40 * i, np.uint8))
    return folder


@pytest.fixture
def project_file(tmp_path, frames_folder):
    tracks = {
        1: {f: BoxRecord((5 + f, 6, 20, 10), Origin.TRACKED, 0.7) for f in range(6)}
        | {0: manual((5, 6, 20, 10))},
        2: {
            f: BoxRecord((30, 20 - f, 12, 14), Origin.TRACKED, 0.6, {Flag.OCCLUDED} if f == 2 else ())
            for f in range(1, 5)
        },
    }
    project = Project(
        VideoInfo(frames_folder, 6, 64, 48), [TrackObject(1, "car"), TrackObject(2, "dog")], tracks
    )
    path = tmp_path / "frames.siamtrack.json"
    save_project(project, path)
    return path


@pytest.mark.parametrize("name", [n for n, f in FORMATS.items() if not f.single_object])
def test_export_then_import_every_format(tmp_path, frames_folder, project_file, name, capsys):
    out = tmp_path / f"exported-{name}"
    assert main(["export", str(project_file), "--format", name, "--out", str(out)]) == 0
    assert "wrote" in capsys.readouterr().out and out.exists()
    imported_path = tmp_path / "imported.siamtrack.json"
    assert (
        main(
            [
                "import-annotations",
                str(out),
                "--format",
                name,
                "--video",
                str(frames_folder),
                "--out",
                str(imported_path),
            ]
        )
        == 0
    )
    imported = load_project(imported_path)
    original = load_project(project_file)
    assert imported.video.frame_count == 6 and (imported.video.width, imported.video.height) == (64, 48)
    visible = sum(1 for t in imported.objects for r in imported.track(t).values() if not r.out_of_view)
    assert visible == original.box_count  # (CVAT adds an out-of-view box where a track ends early)
    assert sorted(o.label for o in imported.objects.values()) == ["car", "dog"]


def test_single_object_export_needs_a_track(tmp_path, project_file, capsys):
    out = tmp_path / "gt.txt"
    assert main(["export", str(project_file), "--format", "otb", "--out", str(out)]) == 2
    assert "choose it with --track" in capsys.readouterr().err and not out.exists()
    assert main(["export", str(project_file), "--format", "otb", "--out", str(out), "--track", "2"]) == 0
    assert out.read_text().splitlines()[1] == "31,20,12,14"


def test_help_lists_the_formats(capsys):
    with pytest.raises(SystemExit):
        main(["export", "--help"])
    text = capsys.readouterr().out
    assert all(name in text for name in FORMATS)


def test_unknown_format_and_bad_project(tmp_path, capsys):
    with pytest.raises(SystemExit) as info:
        main(["export", "p.json", "--format", "labelme", "--out", "x"])
    assert info.value.code == 2
    capsys.readouterr()
    broken = tmp_path / "broken.siamtrack.json"
    broken.write_text('{"format": "siamtrack-project", "version": 1, "video": {')
    assert main(["export", str(broken), "--format", "mot", "--out", str(tmp_path / "gt.txt")]) == 2
    err = capsys.readouterr().err
    assert "not valid JSON" in err and len(err.strip().splitlines()) == 1


def test_import_refuses_to_replace_a_project_unless_adding(tmp_path, frames_folder, project_file, capsys):
    exported = tmp_path / "a.xml"
    assert main(["export", str(project_file), "--format", "cvat-video", "--out", str(exported)]) == 0
    before = project_file.read_text()
    args = [
        "import-annotations",
        str(exported),
        "--format",
        "cvat-video",
        "--video",
        str(frames_folder),
        "--out",
        str(project_file),
    ]
    assert main(args) == 2
    assert "use --add" in capsys.readouterr().err and project_file.read_text() == before
    assert main([*args, "--add"]) == 0
    merged = load_project(project_file)
    assert sorted(merged.objects) == [1, 2, 3, 4]
    assert {f: r.box for f, r in merged.track(3).items()} == {f: r.box for f, r in merged.track(1).items()}
