"""ImageNet VID (ILSVRC2015): snippets of frames with one PASCAL-VOC-style XML file per frame.

Layout under ROOT (the `ILSVRC2015` folder, or a folder holding it):
    Data/VID/<split>/<snippet>/<frame>.JPEG          frames named %06d, numbered from 0
    Annotations/VID/<split>/<snippet>/<frame>.xml    one per frame
where <snippet> may be nested (train: `ILSVRC2015_VID_train_0000/ILSVRC2015_train_00000000`; val: flat).
Each XML holds `size` and one `object` per visible target: `trackid`, `name` (a WordNet id), `bndbox`,
`occluded`, `generated`. A trajectory is one (snippet, trackid): every frame of the snippet, with the box
where that track id is annotated and None where it is not (out of view).

Corner convention: `xmin ymin xmax ymax` are 0-based pixel indices and inclusive (the ILSVRC devkit's
evaluation measures a box's width as xmax - xmin + 1, and boxes reach xmax = width - 1). The object covers
pixels xmin..xmax, i.e. the continuous span [xmin, xmax + 1), so x = xmin and w = xmax - xmin + 1.
Occluded and interpolated ("generated") boxes are kept: they still frame the target.
"""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path

from core.boxes import Box
from core.errors import FormatError
from core.sources.folder import natural_key
from trainer.datasets.base import Trajectory, make_trajectory

# The 30 VID categories: WordNet id -> name (devkit data/meta_vid.mat).
VID_CLASSES = {
    "n02691156": "airplane",
    "n02419796": "antelope",
    "n02131653": "bear",
    "n02834778": "bicycle",
    "n01503061": "bird",
    "n02924116": "bus",
    "n02958343": "car",
    "n02402425": "cattle",
    "n02084071": "dog",
    "n02121808": "domestic_cat",
    "n02503517": "elephant",
    "n02118333": "fox",
    "n02510455": "giant_panda",
    "n02342885": "hamster",
    "n02374451": "horse",
    "n02129165": "lion",
    "n01674464": "lizard",
    "n02484322": "monkey",
    "n03790512": "motorcycle",
    "n02324045": "rabbit",
    "n02509815": "red_panda",
    "n02411705": "sheep",
    "n01726692": "snake",
    "n02355227": "squirrel",
    "n02129604": "tiger",
    "n04468005": "train",
    "n01662784": "turtle",
    "n04530566": "watercraft",
    "n02062744": "whale",
    "n02391049": "zebra",
}


def load_vid(root: Path, split: str = "train") -> list[Trajectory]:
    base = _dataset_base(root)
    annotations = base / "Annotations" / "VID" / split
    images = base / "Data" / "VID" / split
    if not annotations.is_dir():
        raise FormatError(f"no ImageNet VID annotations for split {split!r}: {annotations} is missing")
    if not images.is_dir():
        raise FormatError(f"no ImageNet VID frames for split {split!r}: {images} is missing")
    trajectories: list[Trajectory] = []
    for snippet_dir in _snippet_dirs(annotations):
        snippet = snippet_dir.relative_to(annotations).as_posix()
        trajectories.extend(read_snippet(snippet_dir, images / snippet, snippet))
    return trajectories


def read_snippet(annotation_dir: Path, image_dir: Path, snippet: str) -> list[Trajectory]:
    """The trajectories of one snippet, ordered by track id."""
    xml_files = sorted(annotation_dir.glob("*.xml"), key=lambda p: natural_key(p.name))
    paths = [image_dir / f"{f.stem}.JPEG" for f in xml_files]
    numbers = [_frame_number(f) for f in xml_files]
    boxes: dict[int, list[Box | None]] = defaultdict(lambda: [None] * len(xml_files))
    classes: dict[int, str] = {}
    for index, xml_file in enumerate(xml_files):
        for track_id, wnid, box in _read_objects(xml_file):
            boxes[track_id][index] = box
            classes.setdefault(track_id, VID_CLASSES.get(wnid, wnid))
    return [
        make_trajectory(f"{snippet}/{track_id}", snippet, classes[track_id], paths, boxes[track_id], numbers)
        for track_id in sorted(boxes)
    ]


def _read_objects(xml_file: Path) -> list[tuple[int, str, Box]]:
    try:
        root = ET.parse(xml_file).getroot()
        objects = []
        for obj in root.iter("object"):
            bndbox = obj.find("bndbox")
            x1, y1, x2, y2 = (float(bndbox.findtext(tag)) for tag in ("xmin", "ymin", "xmax", "ymax"))
            box = (x1, y1, x2 - x1 + 1.0, y2 - y1 + 1.0)
            objects.append((int(obj.findtext("trackid")), obj.findtext("name", "").strip(), box))
        return objects
    except (ET.ParseError, AttributeError, TypeError, ValueError) as exc:
        raise FormatError(f"{xml_file}: not a valid ImageNet VID annotation ({exc})") from None


def _frame_number(xml_file: Path) -> int:
    try:
        return int(xml_file.stem)
    except ValueError:
        raise FormatError(
            f"{xml_file}: frame files must be named by their number (e.g. 000012.xml)"
        ) from None


def _snippet_dirs(annotations: Path) -> list[Path]:
    """Folders holding XML files, at any depth, in natural order."""
    found = [
        Path(folder) for folder, _, files in os.walk(annotations) if any(f.endswith(".xml") for f in files)
    ]
    return sorted(found, key=lambda p: natural_key(p.relative_to(annotations).as_posix()))


def _dataset_base(root: Path) -> Path:
    for candidate in (root, root / "ILSVRC2015", root / "ILSVRC"):
        if (candidate / "Annotations" / "VID").is_dir():
            return candidate
    raise FormatError(f"{root} is not an ImageNet VID folder (expected Annotations/VID and Data/VID inside)")
