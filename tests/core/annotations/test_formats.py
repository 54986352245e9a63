"""Every format: project -> file(s) -> project keeps what the format can hold, and the files look as the
published definitions say."""

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from annotation_helpers import make_project

from core.annotations import BoxRecord, Flag, Origin, Project, TrackObject, VideoInfo
from core.annotations.formats import FORMATS, get_format
from core.boxes import to_corners
from core.errors import FormatError, SiamTrackError

FRAMES, WIDTH, HEIGHT = 30, 320, 240


def record(x, y, w, h, origin=Origin.TRACKED, **flags):
    chosen = {flag for flag in (Flag.OCCLUDED, Flag.OUT_OF_VIEW) if flags.get(flag.value)}
    return BoxRecord((x, y, w, h), origin, 0.5 if origin is Origin.TRACKED else None, chosen)


def sample_project(path) -> Project:
    car = {
        f: record(
            10.25 + 2 * f,
            20.5,
            40.75,
            30.25,
            Origin.MANUAL if f % 10 == 0 else Origin.TRACKED,
            occluded=5 <= f <= 8,
            out_of_view=f in (13, 14),
        )
        for f in range(FRAMES)
    }
    person = {f: record(200.125 - f, 100.375, 20.5, 60.25, occluded=f == 12) for f in range(3, 21)}
    plane = {f: record(100 + f, 150 + 0.5 * f, 50.5, 20.75) for f in range(15, FRAMES)}
    objects = [TrackObject(1, "car"), TrackObject(2, "person"), TrackObject(3, "airplane")]
    return Project(VideoInfo(path, FRAMES, WIDTH, HEIGHT, 25.0), objects, {1: car, 2: person, 3: plane})


OUTPUT_NAMES = {
    "mot": "gt.txt",
    "coco-vid": "coco.json",
    "cvat-video": "annotations.xml",
    "otb": "groundtruth_rect.txt",
}


def export_and_read(fmt, project, tmp_path):
    target = tmp_path / OUTPUT_NAMES.get(fmt.name, "out")
    fmt.write(project, target)
    return fmt.read(target, project.video), target


def tolerance(fmt):
    return 0.5 + 1e-6 if fmt.decimals is None else 10.0**-fmt.decimals + 1e-9


def expected_records(fmt, project, tid):
    """The records the format can carry back: flags it cannot hold are dropped, out-of-view boxes too when
    the format has no such flag."""
    kept = {}
    for frame, rec in project.track(tid).items():
        if rec.out_of_view and not fmt.keeps_out_of_view:
            continue
        flags = {
            f
            for f in rec.flags
            if (f is Flag.OCCLUDED and fmt.keeps_occluded)
            or (f is Flag.OUT_OF_VIEW and fmt.keeps_out_of_view)
        }
        kept[frame] = (rec.box, flags)
    return kept


def match_tracks(fmt, original, read_back):
    """Original track id -> read-back track id (by id, or by the boxes when the format has no ids)."""
    if fmt.keeps_ids:
        return {tid: tid for tid in original.objects}
    mapping = {}
    for tid in original.objects:
        first = min(expected_records(fmt, original, tid))
        for rid in read_back.objects:
            rec = read_back.record(rid, first)
            if rec and all(
                abs(a - b) <= tolerance(fmt)
                for a, b in zip(to_corners(rec.box), to_corners(original.record(tid, first).box))
            ):
                mapping[tid] = rid
    return mapping


MULTI = [f for f in FORMATS.values() if not f.single_object]
SINGLE = [f for f in FORMATS.values() if f.single_object]


@pytest.mark.parametrize("fmt", MULTI + SINGLE, ids=lambda f: f.name)
def test_round_trip(tmp_path, fmt):
    project = sample_project(tmp_path / "clip.avi")
    if fmt.single_object:
        project = project.subset([1])
    read_back, _ = export_and_read(fmt, project, tmp_path)
    assert read_back.video.frame_count == FRAMES and (read_back.video.width, read_back.video.height) == (
        WIDTH,
        HEIGHT,
    )
    mapping = match_tracks(fmt, project, read_back)
    assert sorted(mapping) == sorted(project.objects) and len(read_back.objects) == len(project.objects)
    for tid, rid in mapping.items():
        if fmt.keeps_labels:
            assert read_back.object(rid).label == project.object(tid).label
        expected = expected_records(fmt, project, tid)
        got = read_back.track(rid)
        for frame, (box, flags) in expected.items():
            assert frame in got, (fmt.name, tid, frame)
            assert to_corners(got[frame].box) == pytest.approx(to_corners(box), abs=tolerance(fmt))
            assert set(got[frame].flags) == flags, (fmt.name, tid, frame)
        for frame in set(got) - set(expected):  # CVAT closes a run with an outside box on the next frame
            assert fmt.name == "cvat-video" and got[frame].out_of_view and frame - 1 in expected


def test_registry_and_help_names():
    assert set(FORMATS) == {"mot", "coco-vid", "yolo", "voc", "cvat-video", "got10k", "otb", "imagenet-vid"}
    with pytest.raises(SiamTrackError, match="choose one of mot, coco-vid"):
        get_format("labelme")


def test_coco_loads_with_pycocotools(tmp_path):
    coco_module = pytest.importorskip("pycocotools.coco")
    project = sample_project(tmp_path / "clip.avi")
    path = tmp_path / "coco.json"
    FORMATS["coco-vid"].write(project, path)
    coco = coco_module.COCO(str(path))
    assert len(coco.getImgIds()) == FRAMES
    assert {c["name"] for c in coco.loadCats(coco.getCatIds())} == {"car", "person", "airplane"}
    visible = sum(1 for t in project.objects for r in project.track(t).values() if not r.out_of_view)
    assert len(coco.getAnnIds()) == visible
    car = coco.getCatIds(catNms=["car"])[0]
    first = coco.loadAnns(coco.getAnnIds(imgIds=[1], catIds=[car]))[0]
    assert (
        first["bbox"] == [10.25, 20.5, 40.75, 30.25] and first["instance_id"] == 1 and first["track_id"] == 1
    )
    image = coco.loadImgs([1])[0]
    assert image["frame_id"] == 0 and image["file_name"] == "clip/000000.jpg"
    data = json.loads(path.read_text())
    assert data["videos"][0]["name"] == "clip" and {t["id"] for t in data["tracks"]} == {1, 2, 3}


def test_cvat_xml_structure(tmp_path):
    project = sample_project(tmp_path / "clip.avi")
    FORMATS["cvat-video"].write(project, tmp_path / "a.xml")
    root = ET.parse(tmp_path / "a.xml").getroot()
    assert root.tag == "annotations" and root.findtext("version") == "1.1"
    task = root.find("meta/task")
    assert task.findtext("size") == str(FRAMES) and task.findtext("mode") == "interpolation"
    assert task.findtext("original_size/width") == str(WIDTH)
    assert sorted(label.findtext("name") for label in task.findall("labels/label")) == [
        "airplane",
        "car",
        "person",
    ]
    tracks = root.findall("track")
    assert [t.get("id") for t in tracks] == ["1", "2", "3"] and tracks[0].get("label") == "car"
    box = tracks[0].find("box")
    assert box.attrib == {
        "frame": "0",
        "outside": "0",
        "occluded": "0",
        "keyframe": "1",
        "xtl": "10.25",
        "ytl": "20.5",
        "xbr": "51",
        "ybr": "50.75",
        "z_order": "0",
    }
    assert tracks[0].find("box[@frame='13']").get("outside") == "1"
    assert tracks[0].find("box[@frame='1']").get("keyframe") == "0"
    closing = tracks[1].find("box[@frame='21']")  # the person's run ends on frame 20
    assert closing.get("outside") == "1"


def test_voc_xml_structure_and_one_based_corners(tmp_path):
    project = make_project(
        10,
        WIDTH,
        HEIGHT,
        {1: {2: record(0, 10, 20, 30, occluded=True)}, 2: {2: record(310, 200, 20, 10)}},
        path=tmp_path / "v.avi",
    )
    FORMATS["voc"].write(project, tmp_path / "voc")
    assert sorted(p.name for p in (tmp_path / "voc").iterdir()) == ["000002.xml"]
    root = ET.parse(tmp_path / "voc" / "000002.xml").getroot()
    assert root.tag == "annotation" and root.findtext("filename") == "000002.jpg"
    assert root.findtext("size/width") == str(WIDTH) and root.findtext("size/depth") == "3"
    first, second = root.findall("object")
    assert [first.findtext(f"bndbox/{t}") for t in ("xmin", "ymin", "xmax", "ymax")] == [
        "1",
        "11",
        "20",
        "40",
    ]
    assert first.findtext("occluded") == "1" and first.findtext("truncated") == "0"
    assert first.findtext("difficult") == "0" and first.findtext("name") == "car"
    assert second.findtext("truncated") == "1"  # reaches past the right edge


def test_imagenet_vid_xml_structure(tmp_path):
    project = sample_project(tmp_path / "clip.avi")
    FORMATS["imagenet-vid"].write(project, tmp_path / "vid")
    root = ET.parse(tmp_path / "vid" / "000015.xml").getroot()
    assert root.findtext("filename") == "000015" and root.findtext("folder") == "clip"
    plane = next(o for o in root.findall("object") if o.findtext("trackid") == "3")
    assert plane.findtext("name") == "n02691156"  # airplane's WordNet id
    assert [plane.findtext(f"bndbox/{t}") for t in ("xmin", "ymin", "xmax", "ymax")] == [
        "115",
        "158",
        "164",
        "177",
    ]  # corners round half to even
    assert plane.findtext("generated") == "1" and plane.findtext("occluded") == "0"
    manual_car = next(
        o
        for o in ET.parse(tmp_path / "vid" / "000010.xml").getroot().findall("object")
        if o.findtext("trackid") == "1"
    )
    assert manual_car.findtext("generated") == "0"
    objects = ET.parse(tmp_path / "vid" / "000013.xml").getroot().findall("object")
    assert [o.findtext("trackid") for o in objects] == ["2"]  # the car is out of view


def test_mot_lines(tmp_path):
    project = sample_project(tmp_path / "clip.avi")
    FORMATS["mot"].write(project, tmp_path / "gt.txt")
    lines = (tmp_path / "gt.txt").read_text().splitlines()
    assert lines[0] == "1,1,10.25,20.5,40.75,30.25,1,2,1"  # frame 1, class 2 = car in labels.txt
    assert (tmp_path / "labels.txt").read_text().splitlines() == ["airplane", "car", "person"]
    assert "14,1,36.25,20.5,40.75,30.25,0,2,0" in lines  # out of view: not considered, visibility 0
    assert "6,1,20.25,20.5,40.75,30.25,1,2,0.25" in lines  # occluded


def test_mot_detections_without_ids_are_linked_and_official_classes_used(tmp_path):
    video = make_project(10, WIDTH, HEIGHT).video
    lines = [f"{f},-1,{10 + f},10,20,20,0.9,1,1" for f in range(1, 6)] + [
        f"{f},-1,200,100,20,20,0.8,3,1" for f in range(1, 6)
    ]
    (tmp_path / "det.txt").write_text("\n".join(lines) + "\n")
    project = FORMATS["mot"].read(tmp_path / "det.txt", video)
    assert sorted(o.label for o in project.objects.values()) == ["car", "pedestrian"]
    assert all(len(project.track(t)) == 5 for t in project.objects)


def test_yolo_files_and_image_folder_names(tmp_path):
    images = tmp_path / "frames"
    images.mkdir()
    for i in range(FRAMES):
        (images / f"img{i + 1}.png").write_bytes(b"")
    project = sample_project(images)
    FORMATS["yolo"].write(project, tmp_path / "yolo")
    assert (tmp_path / "yolo" / "classes.txt").read_text().splitlines() == ["airplane", "car", "person"]
    first = (tmp_path / "yolo" / "img1.txt").read_text().splitlines()
    cx, cy = (10.25 + 40.75 / 2) / WIDTH, (20.5 + 30.25 / 2) / HEIGHT
    assert first == [f"1 {cx:.6f} {cy:.6f} {40.75 / WIDTH:.6f} {30.25 / HEIGHT:.6f}"]
    read_back = FORMATS["yolo"].read(tmp_path / "yolo", project.video)
    assert read_back.box_count == sum(
        1 for t in project.objects for r in project.track(t).values() if not r.out_of_view
    )


def test_single_object_formats_need_exactly_one_object(tmp_path):
    project = sample_project(tmp_path / "clip.avi")
    for name in ("otb", "got10k"):
        with pytest.raises(FormatError, match="exactly one object"):
            FORMATS[name].write(project, tmp_path / name)


def test_got10k_files(tmp_path):
    project = sample_project(tmp_path / "clip.avi").subset([2])
    FORMATS["got10k"].write(project, tmp_path / "seq")
    gt = (tmp_path / "seq" / "groundtruth.txt").read_text().splitlines()
    assert len(gt) == FRAMES and gt[0] == "0,0,0,0" and gt[3] == "198.125,101.375,20.5,60.25"
    absence = (tmp_path / "seq" / "absence.label").read_text().split()
    cover = (tmp_path / "seq" / "cover.label").read_text().split()
    assert absence[:4] == ["1", "1", "1", "0"] and cover[12] == "4" and cover[11] == "8"


def test_otb_reads_the_shared_ground_truth(shared_data):
    seq_dir = shared_data / "sequences" / "Crossing"
    video = make_project(120, 360, 240, path=seq_dir / "img").video
    project = FORMATS["otb"].read(seq_dir / "groundtruth_rect.txt", video)
    first_line = (seq_dir / "groundtruth_rect.txt").read_text().splitlines()[0]
    x, y, w, h = (float(v) for v in first_line.replace("\t", ",").split(","))
    assert project.record(1, 0).box == (x - 1, y - 1, w, h)


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("mot", "1,1,2,3\n", "expected frame,id"),
        ("mot", "0,1,2,3,4,5\n", "start at 1"),
        ("mot", "1,1,a,3,4,5\n", "not a list of numbers"),
        ("coco-vid", "{", "not valid JSON"),
        ("coco-vid", '{"images": [{"id": 1}]}', "not COCO-VID"),
        ("coco-vid", '{"images": [], "annotations": [], "categories": []}', "lists no images"),
        ("cvat-video", "<annotations><image id='0'/></annotations>", "CVAT for images"),
        (
            "cvat-video",
            "<annotations><track id='0' label='a'><box frame='0'/></track></annotations>",
            "has no 'xtl'",
        ),
        ("cvat-video", "<annotations", "not valid XML"),
    ],
)
def test_bad_files_give_format_errors(tmp_path, name, content, message):
    video = make_project(10, WIDTH, HEIGHT).video
    path = tmp_path / "bad.file"
    path.write_text(content)
    with pytest.raises(FormatError, match=message):
        FORMATS[name].read(path, video)


def test_boxes_outside_the_video_are_refused(tmp_path):
    video = make_project(10, WIDTH, HEIGHT).video
    (tmp_path / "gt.txt").write_text("11,1,2,3,4,5\n")
    with pytest.raises(FormatError, match="outside the video's 10 frames"):
        FORMATS["mot"].read(tmp_path / "gt.txt", video)


def test_size_mismatch_and_missing_size(tmp_path):
    project = sample_project(tmp_path / "clip.avi")
    FORMATS["cvat-video"].write(project, tmp_path / "a.xml")
    other = make_project(FRAMES, 640, 480).video
    with pytest.raises(FormatError, match="320x240 frames but"):
        FORMATS["cvat-video"].read(tmp_path / "a.xml", other)
    assert FORMATS["cvat-video"].read(tmp_path / "a.xml", None).video.width == WIDTH
    FORMATS["yolo"].write(project, tmp_path / "y")
    with pytest.raises(FormatError, match="name the video"):
        FORMATS["yolo"].read(tmp_path / "y", None)


def test_folder_formats_write_nothing_for_unannotated_frames(tmp_path):
    project = make_project(
        10,
        WIDTH,
        HEIGHT,
        {1: {4: record(1, 1, 5, 5), 5: record(1, 1, 5, 5, out_of_view=True)}},
        path=tmp_path / "v.avi",
    )
    for name in ("yolo", "voc", "imagenet-vid"):
        FORMATS[name].write(project, tmp_path / name)
        written = sorted(Path(p).stem for p in (tmp_path / name).iterdir() if p.name != "classes.txt")
        assert written == ["000004", "000005"], name
