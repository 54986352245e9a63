"""Dataset readers: every box, track id, class and frame number of fixtures written in the real layouts."""

from __future__ import annotations

import math

import pytest
from trainer_fixtures import write_got10k_fixture, write_otb_fixture, write_vid_fixture

from core.errors import FormatError, SiamTrackError
from trainer.datasets import BoxFilter, load_trajectories


def _corners_to_box(corners):
    if corners is None:
        return None
    x1, y1, x2, y2 = corners
    return (float(x1), float(y1), float(x2 - x1 + 1), float(y2 - y1 + 1))  # inclusive 0-based pixel corners


@pytest.mark.parametrize("split", ["train", "val"])
def test_imagenet_vid_is_parsed_exactly(tmp_path, split):
    expected = write_vid_fixture(tmp_path / "ILSVRC2015")[split]
    trajectories = load_trajectories("vid", tmp_path, split)  # the folder holding ILSVRC2015 also works

    assert [t.name for t in trajectories] == list(expected)
    for t in trajectories:
        class_name, frames = expected[t.name]
        snippet = t.name.rsplit("/", 1)[0]
        assert t.video == snippet
        assert t.class_name == class_name
        assert [f.frame_number for f in t.frames] == [n for n, _ in frames]
        assert [f.box for f in t.frames] == [_corners_to_box(c) for _, c in frames]
        assert [f.path for f in t.frames] == [
            tmp_path / "ILSVRC2015" / "Data" / "VID" / split / snippet / f"{n:06d}.JPEG" for n, _ in frames
        ]
        assert all(f.path.is_file() for f in t.frames)


def test_imagenet_vid_details(tmp_path):
    write_vid_fixture(tmp_path)
    by_name = {t.name: t for t in load_trajectories("vid", tmp_path, "train")}
    car = by_name["ILSVRC2015_VID_train_0000/ILSVRC2015_train_00000000/3"]
    assert car.frames[1].box == (52.0, 6.0, 40.0, 26.0)  # occluded: kept
    assert car.frames[2].box is None  # absent from that frame's XML
    whole = by_name["ILSVRC2015_VID_train_0000/ILSVRC2015_train_00000001/1"]
    assert whole.frames[0].box is None and whole.frames[1].box == (
        0.0,
        0.0,
        96.0,
        72.0,
    )  # the whole 96x72 frame
    assert whole.class_name == "n99999999"  # unknown WordNet ids stay as they are


def test_imagenet_vid_errors(tmp_path):
    write_vid_fixture(tmp_path)
    with pytest.raises(FormatError, match="split 'test'"):
        load_trajectories("vid", tmp_path, "test")
    broken = next((tmp_path / "Annotations" / "VID" / "val").rglob("*.xml"))
    broken.write_text("<annotation><object><trackid>x</trackid></object>")
    with pytest.raises(FormatError, match="not a valid ImageNet VID annotation"):
        load_trajectories("vid", tmp_path, "val")
    with pytest.raises(FormatError, match="not an ImageNet VID folder"):
        load_trajectories("vid", tmp_path / "Data", "train")


def test_got10k_is_parsed_exactly(tmp_path):
    expected = write_got10k_fixture(tmp_path)
    trajectories = load_trajectories("got10k", tmp_path, "train")
    assert [t.name for t in trajectories] == list(expected)
    for t in trajectories:
        class_name, boxes = expected[t.name]
        assert t.video == t.name and t.class_name == class_name
        assert [f.box for f in t.frames] == [None if b is None else tuple(float(v) for v in b) for b in boxes]
        assert [f.frame_number for f in t.frames] == list(range(1, len(boxes) + 1))
        assert [f.path.name for f in t.frames] == [f"{i:08d}.jpg" for i in range(1, len(boxes) + 1)]
    first = trajectories[0]
    assert first.frames[2].box is None  # absence.label 1
    assert first.frames[3].box is None  # cover.label 0: fully hidden
    assert first.frames[4].box == (9.0, 9.0, 21.0, 11.0)


def test_got10k_missing_listed_sequence(tmp_path):
    write_got10k_fixture(tmp_path)
    (tmp_path / "train" / "list.txt").write_text("GOT-10k_Train_000001\nGOT-10k_Train_000099\n")
    with pytest.raises(FormatError, match="missing"):
        load_trajectories("got10k", tmp_path, "train")


def test_otb_folders_are_parsed_exactly(tmp_path):
    write_otb_fixture(tmp_path)
    trajectories = {t.name: t for t in load_trajectories("otb", tmp_path)}
    assert sorted(trajectories) == ["Pair_1", "Pair_2", "Plain"]  # INDEX.json is passed over

    plain = trajectories["Plain"]
    assert [f.box for f in plain.frames] == [
        (10.0, 20.0, 10.0, 12.0),
        (11.0, 21.0, 10.0, 12.0),
        (12.0, 22.0, 10.0, 12.0),
    ]
    assert [f.frame_number for f in plain.frames] == [1, 2, 3]
    assert plain.video == "Plain" and plain.class_name == ""

    pair = trajectories["Pair_1"]
    assert [f.box for f in pair.frames] == [
        (5.0, 6.0, 20.0, 10.0),
        None,
        (7.0, 8.0, 20.0, 10.0),
    ]  # 0-based kept
    assert [f.frame_number for f in pair.frames] == [1, 40, 160]  # source frame numbers from meta.json
    assert pair.class_name == "person 1"
    assert trajectories["Pair_2"].video == pair.video == "OTB-2015/Pair"

    single = load_trajectories("otb", tmp_path / "Plain")
    assert [t.name for t in single] == ["Plain"]


def test_shared_training_set_is_read(shared_data):
    trajectories = load_trajectories("otb", shared_data / "train")
    assert len(trajectories) == 73
    assert sum(len(t) for t in trajectories) == 3879
    assert sum(len(t) - t.annotated_count for t in trajectories) == 10  # the NaN rows
    videos = {t.name: t.video for t in trajectories}
    assert videos["otb_Skating2_1"] == videos["otb_Skating2_2"]
    assert len({videos[n] for n in videos if n.startswith("uav_group1_")}) == 1


def test_unknown_format_and_missing_folder(tmp_path):
    with pytest.raises(SiamTrackError, match="unknown dataset format"):
        load_trajectories("coco", tmp_path)
    with pytest.raises(SiamTrackError, match="not found"):
        load_trajectories("otb", tmp_path / "nowhere")
    with pytest.raises(FormatError, match="no sequence folders"):
        load_trajectories("otb", tmp_path)


@pytest.mark.parametrize(
    ("box", "accepted"),
    [
        ((10, 10, 20, 30), True),
        (None, False),
        ((math.nan, 1, 2, 3), False),
        ((10, 10, 3, 30), False),  # thinner than 4 px
        ((10, 10, 5, 5), False),  # area under 1e-4 of a 640x480 frame (25 < 30.7 px²)
        ((10, 10, 90, 10), False),  # 9:1
        ((630, 10, 40, 40), False),  # three quarters outside the frame
        ((-10, -10, 40, 40), True),  # mostly inside
    ],
)
def test_box_filter(box, accepted):
    assert BoxFilter().accepts(box, 640, 480) is accepted
