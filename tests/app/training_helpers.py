"""Helpers for the training and evaluation tests: a small learnable dataset of real JPEG files, the training
window filled with tiny settings, and whether a process still exists."""

from __future__ import annotations

import os
from pathlib import Path

import cv2
import numpy as np


def write_moving_squares(root: Path, sequences: int = 3, frames: int = 10, seed: int = 0) -> Path:
    """OTB-style sequence folders: a textured square moving over a textured background, 1-based boxes in
    groundtruth_rect.txt, as OTB distributes them."""
    rng = np.random.default_rng(seed)
    width, height, side = 128, 96, 24
    for s in range(sequences):
        background = cv2.resize(
            rng.integers(0, 256, (height // 8, width // 8, 3), dtype=np.uint8),
            (width, height),
            interpolation=cv2.INTER_NEAREST,
        )
        square = rng.integers(0, 256, (side, side, 3), dtype=np.uint8)
        square[::6] = 255 - square[::6]
        start = rng.uniform([8, 8], [width - side - 40, height - side - 30])
        velocity = rng.uniform(1.0, 3.0, size=2)
        folder = root / f"square{s}"
        (folder / "img").mkdir(parents=True)
        rows = []
        for f in range(frames):
            x, y = (int(v) for v in start + velocity * f)
            frame = background.copy()
            frame[y : y + side, x : x + side] = square
            assert cv2.imwrite(str(folder / "img" / f"{f + 1:04d}.jpg"), frame)
            rows.append(f"{x + 1},{y + 1},{side},{side}")
        (folder / "groundtruth_rect.txt").write_text("\n".join(rows) + "\n")
    return root


def fill_tiny_run(form, data: Path, runs: Path, epochs: int) -> None:
    """Tiny settings: 4 steps of 4 pairs an epoch, on the CPU, no worker processes."""
    form.format.setCurrentIndex(form.format.findData("otb"))
    form.data.setText(str(data))
    form.epochs.setValue(epochs)
    form.pairs.setValue(16)
    form.batch.setValue(4)
    form.val_pairs.setValue(4)
    form.device.setCurrentIndex(form.device.findData("cpu"))
    form.threads.setValue(1)
    form.workers.setValue(0)
    form.runs_dir.setText(str(runs))


def curve_points(curve) -> int:
    x, _ = curve.getData()
    return 0 if x is None else len(x)


def process_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
