"""Small datasets written in the real layouts (real JPEG files), for the trainer's tests."""

from __future__ import annotations

import io
import json
from pathlib import Path

import cv2
import numpy as np

from trainer import RunOptions, TrainConfig, Trainer
from trainer.events import EventLog


def write_jpeg(path: Path, rgb: np.ndarray) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    assert cv2.imwrite(str(path), cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, 95])


def plain_frame(width: int, height: int, value: int) -> np.ndarray:
    frame = np.full((height, width, 3), value, dtype=np.uint8)
    frame[::7, :, 0] = 255 - value  # some structure so the JPEG is not trivial
    return frame


# --- short training runs -------------------------------------------------------------------------------


def short_config(data: Path, **changes) -> TrainConfig:
    """A few short epochs on the moving-objects data; bf16 autocast, as auto picks on CPUs with AMX."""
    values = {
        "data": str(data),
        "format": "otb",
        "epochs": 4,
        "pairs_per_epoch": 32,
        "val_pairs": 16,
        "val_fraction": 0.2,
        "lr_start": 1e-2,
        "lr_end": 1e-3,
        "precision": "bf16",
        "seed": 7,
    }
    return TrainConfig(**{**values, **changes})


def run_training(
    config: TrainConfig,
    run_dir: Path,
    cache_dir: Path,
    resume: bool = False,
    stop=None,
    listener=None,
    workers: int = 0,
) -> tuple[dict, list[dict]]:
    stream = io.StringIO()
    options = RunOptions(device="cpu", workers=workers, cache_dir=cache_dir, log_every=2)
    summary = Trainer(config, run_dir, options, EventLog(stream, listener), stop).run(resume=resume)
    return summary, [json.loads(line) for line in stream.getvalue().splitlines()]


# --- ImageNet VID ----------------------------------------------------------------------------------------

VID_OBJECT = """  <object>
    <trackid>{trackid}</trackid>
    <name>{name}</name>
    <bndbox>
      <xmax>{xmax}</xmax>
      <xmin>{xmin}</xmin>
      <ymax>{ymax}</ymax>
      <ymin>{ymin}</ymin>
    </bndbox>
    <occluded>{occluded}</occluded>
    <generated>{generated}</generated>
  </object>
"""

VID_FRAME = """<annotation>
  <folder>{folder}</folder>
  <filename>{filename}</filename>
  <source>
    <database>ILSVRC_2015</database>
  </source>
  <size>
    <width>{width}</width>
    <height>{height}</height>
  </size>
{objects}</annotation>
"""


def write_vid_fixture(root: Path) -> dict[str, dict]:
    """Two train snippets (nested in a batch folder) and one val snippet.

    Returns, per split, {trajectory name: (class name, [(frame number, corners or None)])}.
    Snippet 0: track 0 (zebra) in every frame, track 3 (car) absent from frame 2 and occluded in frame 1.
    Snippet 1: track 1 (unknown WordNet id, kept as is) from frame 1 on; frame 0 has no object at all.
    """
    width, height = 96, 72
    snippets = {
        "train": {
            "ILSVRC2015_VID_train_0000/ILSVRC2015_train_00000000": [
                [(0, "n02391049", (10, 12, 40, 50), 0, 0), (3, "n02958343", (50, 5, 90, 30), 0, 0)],
                [(0, "n02391049", (11, 12, 41, 51), 0, 1), (3, "n02958343", (52, 6, 91, 31), 1, 0)],
                [(0, "n02391049", (12, 13, 42, 52), 0, 0)],
                [(0, "n02391049", (14, 13, 44, 53), 0, 0), (3, "n02958343", (55, 8, 94, 33), 0, 0)],
            ],
            "ILSVRC2015_VID_train_0000/ILSVRC2015_train_00000001": [
                [],
                [(1, "n99999999", (0, 0, 95, 71), 0, 0)],
                [(1, "n99999999", (1, 2, 60, 40), 0, 0)],
            ],
        },
        "val": {
            "ILSVRC2015_val_00000000": [
                [(0, "n02062744", (20, 20, 30, 35), 0, 0)],
                [(0, "n02062744", (21, 20, 31, 36), 0, 0)],
            ],
        },
    }
    names = {"n02391049": "zebra", "n02958343": "car", "n02062744": "whale", "n99999999": "n99999999"}
    expected: dict[str, dict] = {}
    for split, by_snippet in snippets.items():
        expected[split] = {}
        for snippet, frames in by_snippet.items():
            tracks: dict[int, tuple[str, list]] = {}
            for frame_objects in frames:
                for trackid, wnid, _, _, _ in frame_objects:
                    tracks.setdefault(trackid, (names[wnid], [None] * len(frames)))
            for number, frame_objects in enumerate(frames):
                stem = f"{number:06d}"
                write_jpeg(
                    root / "Data" / "VID" / split / snippet / f"{stem}.JPEG",
                    plain_frame(width, height, 40 + number),
                )
                objects = "".join(
                    VID_OBJECT.format(
                        trackid=t, name=w, xmin=c[0], ymin=c[1], xmax=c[2], ymax=c[3], occluded=o, generated=g
                    )
                    for t, w, c, o, g in frame_objects
                )
                xml = VID_FRAME.format(
                    folder=snippet, filename=stem, width=width, height=height, objects=objects
                )
                path = root / "Annotations" / "VID" / split / snippet / f"{stem}.xml"
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(xml)
                for trackid, _, corners, _, _ in frame_objects:
                    tracks[trackid][1][number] = corners
            for trackid, (class_name, corners) in tracks.items():
                expected[split][f"{snippet}/{trackid}"] = (class_name, list(enumerate(corners)))
    return expected


# --- GOT-10k ---------------------------------------------------------------------------------------------


def write_got10k_fixture(root: Path) -> dict[str, tuple[str, list]]:
    """train/ with two sequences; the first has an absent frame (absence.label) and a fully covered one."""
    sequences = {
        "GOT-10k_Train_000001": (
            "bird",
            [(5.5, 6, 20, 10), (6, 7, 20, 10.5), (0, 0, 0, 0), (8, 9, 21, 11), (9, 9, 21, 11)],
            [0, 0, 1, 0, 0],
            [8, 7, 0, 0, 3],
        ),
        "GOT-10k_Train_000002": (
            "car",
            [(30, 20, 15, 12), (31, 21, 15, 12), (32, 21, 16, 12)],
            [0, 0, 0],
            None,
        ),
    }
    split = root / "train"
    (split).mkdir(parents=True)
    (split / "list.txt").write_text("\n".join(sequences) + "\n")
    expected = {}
    for name, (class_name, boxes, absence, cover) in sequences.items():
        folder = split / name
        for i in range(len(boxes)):
            write_jpeg(folder / f"{i + 1:08d}.jpg", plain_frame(80, 60, 60 + i))
        (folder / "groundtruth.txt").write_text("".join(f"{x},{y},{w},{h}\n" for x, y, w, h in boxes))
        (folder / "absence.label").write_text("".join(f"{a}\n" for a in absence))
        if cover is not None:
            (folder / "cover.label").write_text("".join(f"{c}\n" for c in cover))
        (folder / "meta_info.ini").write_text(
            f"[METAINFO]\nurl: https://example.org\nobject_class: {class_name}\n"
        )
        usable = [a == 0 and (cover is None or cover[i] > 0) for i, a in enumerate(absence)]
        expected[name] = (class_name, [b if ok else None for b, ok in zip(boxes, usable)])
    return expected


# --- OTB / VOT folders -----------------------------------------------------------------------------------


def write_otb_fixture(root: Path) -> None:
    """Three sequences and an INDEX.json: an OTB one (1-based, no meta), two cut from one video with 0-based
    boxes, source frame numbers and a NaN row (as in shared/data/train)."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "INDEX.json").write_text("[]")
    plain = root / "Plain"
    for i in range(3):
        write_jpeg(plain / "img" / f"{i + 1:04d}.jpg", plain_frame(64, 48, 30 + i))
    (plain / "groundtruth_rect.txt").write_text("11,21,10,12\n12\t22\t10\t12\n13 23 10 12\n")
    for target, rows in (
        ("Pair_1", ["5,6,20,10", "NaN,NaN,NaN,NaN", "7,8,20,10"]),
        ("Pair_2", ["30,6,12,14", "31,6,12,14", "32,7,12,14"]),
    ):
        folder = root / target
        for i in range(3):
            write_jpeg(folder / "img" / f"{i + 1:05d}.jpg", plain_frame(64, 48, 90 + i))
        (folder / "groundtruth_rect.txt").write_text("\n".join(rows) + "\n")
        meta = {
            "gt_format_in_repo": "xywh (1-based, converted to 0-based by x-1,y-1)",
            "img_path": "data/Pair/img",
            "origin_dataset": "OTB-2015 (research use)",
            "object_class": f"person {target[-1]}",
            "source_frame_numbers": [1, 40, 160],
        }
        (folder / "meta.json").write_text(json.dumps(meta))


# --- a small learnable dataset ---------------------------------------------------------------------------


def write_moving_objects(root: Path, sequences: int = 6, frames: int = 16, seed: int = 0) -> Path:
    """OTB-style sequences: a textured object moving (and slightly changing size) over a textured
    background; each sequence has its own object and background. Boxes are 0-based (meta.json)."""
    rng = np.random.default_rng(seed)
    width, height = 160, 120
    for s in range(sequences):
        background = _texture(rng, width, height, cell=int(rng.integers(6, 14)))
        size = rng.uniform(22, 34, size=2)
        obj = _object_texture(rng, 48)
        start = rng.uniform([10, 10], [width - 50, height - 50])
        velocity = rng.uniform(-2.5, 2.5, size=2)
        folder = root / f"seq{s:02d}"
        rows = []
        for f in range(frames):
            scale = 1.0 + 0.15 * np.sin(f / 5 + s)
            w, h = size * scale
            x, y = np.clip(start + velocity * f, [0, 0], [width - w - 1, height - h - 1])
            frame = background.copy()
            patch = cv2.resize(obj, (round(w), round(h)), interpolation=cv2.INTER_AREA)
            xi, yi = round(x), round(y)
            frame[yi : yi + patch.shape[0], xi : xi + patch.shape[1]] = patch
            write_jpeg(folder / "img" / f"{f + 1:04d}.jpg", frame)
            rows.append(f"{xi},{yi},{patch.shape[1]},{patch.shape[0]}")
        (folder / "groundtruth_rect.txt").write_text("\n".join(rows) + "\n")
        meta = {
            "gt_format_in_repo": "xywh converted to 0-based",
            "object_class": "blob",
            "source_frame_numbers": list(range(1, 3 * frames, 3)),
        }
        (folder / "meta.json").write_text(json.dumps(meta))
    return root


def _texture(rng: np.random.Generator, width: int, height: int, cell: int) -> np.ndarray:
    small = rng.integers(0, 256, size=(height // cell + 1, width // cell + 1, 3), dtype=np.uint8)
    big = cv2.resize(small, (width, height), interpolation=cv2.INTER_LINEAR)
    return (big * 0.6 + 40).astype(np.uint8)


def _object_texture(rng: np.random.Generator, side: int) -> np.ndarray:
    colours = rng.integers(0, 256, size=(2, 3))
    yy, xx = np.mgrid[0:side, 0:side]
    checker = ((xx // 8 + yy // 8) % 2).astype(bool)
    patch = np.where(checker[..., None], colours[0], colours[1]).astype(np.uint8)
    cv2.circle(patch, (side // 2, side // 2), side // 4, tuple(int(v) for v in 255 - colours[0]), -1)
    return patch
