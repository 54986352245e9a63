"""Boxes are (x, y, w, h) floats: 0-based pixels, top-left corner.

A box covers the continuous region [x, x+w) x [y, y+h), where pixel (i, j) spans [i, i+1) x [j, j+1).
Corner-based and 1-based conventions are converted by the readers and writers of those formats only.
"""
from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np

from core.errors import BoxError

Box = tuple[float, float, float, float]


def as_box(values: Iterable[float]) -> Box:
    x, y, w, h = (float(v) for v in values)
    return (x, y, w, h)


def parse_box(text: str) -> Box:
    """Parse 'x,y,w,h' (commas, spaces or tabs)."""
    parts = text.replace(",", " ").replace("\t", " ").split()
    if len(parts) != 4:
        raise BoxError(f"a box needs four numbers x,y,w,h; got {text!r}")
    try:
        return as_box(float(p) for p in parts)
    except ValueError:
        raise BoxError(f"a box needs four numbers x,y,w,h; got {text!r}") from None


def center_of(box: Box) -> tuple[float, float]:
    x, y, w, h = box
    return (x + w / 2.0, y + h / 2.0)


def box_from_center(cx: float, cy: float, w: float, h: float) -> Box:
    return (cx - w / 2.0, cy - h / 2.0, w, h)


def to_corners(box: Box) -> tuple[float, float, float, float]:
    x, y, w, h = box
    return (x, y, x + w, y + h)


def from_corners(x1: float, y1: float, x2: float, y2: float) -> Box:
    return (x1, y1, x2 - x1, y2 - y1)


def validate_box(box: Box, frame_shape: tuple[int, ...]) -> Box:
    """Return the box if it is usable to start tracking in a frame of this shape, else raise BoxError."""
    if not all(math.isfinite(v) for v in box):
        raise BoxError(f"box {format_box(box)} has a value that is not a number")
    x, y, w, h = box
    if w < 1 or h < 1:
        raise BoxError(f"box {format_box(box)} is empty: width and height must be at least 1 pixel")
    height, width = frame_shape[:2]
    if x >= width or y >= height or x + w <= 0 or y + h <= 0:
        raise BoxError(f"box {format_box(box)} lies outside the {width}x{height} frame")
    return box


def clip_box(box: Box, frame_shape: tuple[int, ...]) -> Box:
    """The part of the box inside the frame (may be empty)."""
    height, width = frame_shape[:2]
    x1, y1, x2, y2 = to_corners(box)
    x1, x2 = min(max(x1, 0.0), width), min(max(x2, 0.0), width)
    y1, y2 = min(max(y1, 0.0), height), min(max(y2, 0.0), height)
    return from_corners(x1, y1, x2, y2)


def format_box(box: Box, digits: int = 1) -> str:
    return ",".join(f"{v:.{digits}f}" for v in box)


def iou(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Intersection over union of boxes row by row; arrays of shape (..., 4) in xywh."""
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    ix1 = np.maximum(a[..., 0], b[..., 0])
    iy1 = np.maximum(a[..., 1], b[..., 1])
    ix2 = np.minimum(a[..., 0] + a[..., 2], b[..., 0] + b[..., 2])
    iy2 = np.minimum(a[..., 1] + a[..., 3], b[..., 1] + b[..., 3])
    inter = np.clip(ix2 - ix1, 0, None) * np.clip(iy2 - iy1, 0, None)
    union = a[..., 2] * a[..., 3] + b[..., 2] * b[..., 3] - inter
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(union > 0, inter / union, 0.0)


def center_distance(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    ca = a[..., :2] + a[..., 2:] / 2
    cb = b[..., :2] + b[..., 2:] / 2
    return np.linalg.norm(ca - cb, axis=-1)
