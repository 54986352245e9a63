import json

import pytest
from annotation_helpers import make_project, manual

from core.annotations import BoxRecord, Flag, Origin, Reason, default_project_path, load_project, save_project
from core.annotations.project_file import project_to_text
from core.errors import FormatError


@pytest.fixture
def project(tmp_path):
    return make_project(
        path=tmp_path / "videos" / "clip.avi",
        tracks={
            1: {
                0: manual((10.25, 10.5, 20, 20.125)),
                1: BoxRecord(
                    (11.123456, 10, 20, 20),
                    Origin.TRACKED,
                    0.812345,
                    {Flag.REVIEW},
                    {Reason.LOW_SCORE},
                    {Flag.OCCLUDED},
                ),
            },
            2: {3: BoxRecord((50, 50, 10, 30), Origin.IMPORTED, None, {Flag.OUT_OF_VIEW, Flag.OCCLUDED})},
            3: {},
        },
    )


def test_round_trip_keeps_everything_to_the_file_precision(tmp_path, project):
    path = tmp_path / "videos" / "clip.siamtrack.json"
    save_project(project, path)
    loaded = load_project(path)
    assert loaded.video == project.video
    assert loaded.objects == project.objects
    assert loaded.track(2) == project.track(2) and loaded.track(3) == {}
    tracked = loaded.record(1, 1)
    assert tracked.box == pytest.approx((11.123, 10, 20, 20)) and tracked.score == pytest.approx(0.8123)
    assert (tracked.flags, tracked.reasons, tracked.suggested) == (
        {Flag.REVIEW},
        {Reason.LOW_SCORE},
        {Flag.OCCLUDED},
    )
    save_project(loaded, tmp_path / "again.json")
    again = load_project(tmp_path / "again.json")
    assert again == loaded  # a second round trip changes nothing


def test_file_is_readable_json_with_one_box_per_line(tmp_path, project):
    path = tmp_path / "videos" / "clip.siamtrack.json"
    save_project(project, path)
    text = path.read_text()
    data = json.loads(text)
    assert data["format"] == "siamtrack-project" and data["version"] == 1
    assert data["video"]["path"] == "clip.avi"  # relative to the project file
    assert '{"frame": 0, "box": [10.25, 10.5, 20, 20.125], "origin": "manual"}' in text
    assert [o["id"] for o in data["objects"]] == [1, 2, 3]


def test_video_path_follows_the_project_when_both_move(tmp_path, project):
    save_project(project, tmp_path / "videos" / "clip.siamtrack.json")
    moved = tmp_path / "elsewhere"
    (tmp_path / "videos").rename(moved)
    assert load_project(moved / "clip.siamtrack.json").video.path == moved / "clip.avi"


def test_video_elsewhere_is_stored_relative(tmp_path, project):
    save_project(project, tmp_path / "projects" / "p.json")
    data = json.loads((tmp_path / "projects" / "p.json").read_text())
    assert data["video"]["path"] == "../videos/clip.avi"
    assert load_project(tmp_path / "projects" / "p.json").video.path == tmp_path / "videos" / "clip.avi"


def test_default_project_path(tmp_path):
    assert default_project_path(tmp_path / "bag.avi") == tmp_path / "bag.siamtrack.json"
    (tmp_path / "img").mkdir()
    assert default_project_path(tmp_path / "img") == tmp_path / "img.siamtrack.json"


def corrupt(text: str, old: str, new: str) -> str:
    assert old in text
    return text.replace(old, new, 1)


@pytest.mark.parametrize(
    "damage, message",
    [
        (lambda t: t[: len(t) // 2], "not valid JSON .*cut short"),
        (lambda t: "", "is empty"),
        (lambda t: "[1, 2]", "does not hold a JSON object"),
        (lambda t: corrupt(t, '"version": 1', '"version": 7'), "newer SiamTrack"),
        (
            lambda t: corrupt(t, '"format": "siamtrack-project"', '"format": "other"'),
            "not a SiamTrack project",
        ),
        (lambda t: corrupt(t, '"frame": 3', '"frame": 50'), r"objects\[1\].boxes\[0\]: frame 50 is outside"),
        (lambda t: corrupt(t, '"frame": 3', '"frame": -1'), "outside the video"),
        (lambda t: corrupt(t, "[50, 50, 10, 30]", "[50, 50, 0, 30]"), "has no area"),
        (lambda t: corrupt(t, "[50, 50, 10, 30]", "[50, 50, 10]"), "four finite numbers"),
        (lambda t: corrupt(t, '"origin": "imported"', '"origin": "magic"'), "unknown value 'magic'"),
        (
            lambda t: corrupt(t, '"flags": ["occluded", "out_of_view"]', '"flags": ["shiny"]'),
            "unknown value 'shiny'",
        ),
        (lambda t: corrupt(t, '"id": 2', '"id": 1'), "object id 1 appears twice"),
        (lambda t: corrupt(t, '"id": 2', '"id": "2"'), r"objects\[1\].id should be an integer"),
        (lambda t: corrupt(t, '"colour": "#3cb44b"', '"colour": "green"'), "#rrggbb"),
        (lambda t: corrupt(t, '"frame_count": 50', '"frame_count": 0'), "video:"),
        (lambda t: corrupt(t, '"frame": 1,', '"frame": 0,'), "frame 0 has two boxes"),
    ],
)
def test_damaged_files_give_a_clear_format_error(tmp_path, project, damage, message):
    path = tmp_path / "p.siamtrack.json"
    path.write_text(damage(project_to_text(project, tmp_path)))
    with pytest.raises(FormatError, match=message) as info:
        load_project(path)
    assert "\n" not in str(info.value)


def test_missing_file(tmp_path):
    with pytest.raises(FormatError, match="not found"):
        load_project(tmp_path / "nothing.json")


def test_save_leaves_no_temporary_files(tmp_path, project):
    save_project(project, tmp_path / "p.json")
    save_project(project, tmp_path / "p.json")
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == ["p.json"]
