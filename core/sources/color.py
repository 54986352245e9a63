"""Convert what OpenCV hands over (BGR, BGRA or gray; 8-bit, 16-bit or float) to an RGB uint8 frame, once."""

from __future__ import annotations

from collections.abc import Callable

import cv2
import numpy as np

# channels → OpenCV conversion code to RGB
_TO_RGB_CODES: dict[int, int] = {1: cv2.COLOR_GRAY2RGB, 3: cv2.COLOR_BGR2RGB, 4: cv2.COLOR_BGRA2RGB}


def _from_uint8(image: np.ndarray) -> np.ndarray:
    return image


def _from_uint16(image: np.ndarray) -> np.ndarray:
    return ((image.astype(np.uint32) + 128) // 257).astype(np.uint8)


def _from_float(image: np.ndarray) -> np.ndarray:
    # Float images are taken to span 0..1 (OpenCV's convention for 32-bit float TIFF and EXR).
    return np.clip(np.rint(np.nan_to_num(image) * 255.0), 0, 255).astype(np.uint8)


_TO_UINT8: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "uint8": _from_uint8,
    "uint16": _from_uint16,
    "float32": _from_float,
    "float64": _from_float,
}


def opencv_to_rgb(image: np.ndarray) -> np.ndarray:
    """An image as OpenCV returns it (BGR channel order) → contiguous RGB uint8 H×W×3.

    Raises ValueError for a depth or channel count that has no sensible RGB meaning."""
    to_uint8 = _TO_UINT8.get(image.dtype.name)
    if to_uint8 is None:
        raise ValueError(f"unsupported pixel type {image.dtype.name}")
    channels = 1 if image.ndim == 2 else image.shape[2]
    code = _TO_RGB_CODES.get(channels) if image.ndim in (2, 3) else None
    if code is None:
        raise ValueError(f"unsupported image shape {image.shape}")
    return np.ascontiguousarray(cv2.cvtColor(to_uint8(image), code))
