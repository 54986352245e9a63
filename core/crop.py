"""Square crops around a point, resampled to a fixed size and padded with a fill colour outside the frame."""
from __future__ import annotations

import cv2
import numpy as np


def mean_colour(frame: np.ndarray) -> tuple[float, float, float]:
    """The frame's mean colour, the padding SiamFC uses for crops that leave the frame."""
    b = cv2.mean(frame)
    return (b[0], b[1], b[2])


def crop_square(
    frame: np.ndarray, center: tuple[float, float], side: float, out_size: int, fill: tuple[float, float, float]
) -> np.ndarray:
    """Resample the square of `side` pixels centred on `center` (continuous coordinates) to out_size².

    Output pixel u samples the frame at cx - side/2 + (u + 0.5) * side/out_size in continuous coordinates,
    i.e. pixel-index coordinate that minus 0.5: the crop is exact to sub-pixel precision.
    """
    scale = side / out_size
    cx, cy = center
    matrix = np.array(
        [[scale, 0.0, cx - side / 2 + 0.5 * scale - 0.5], [0.0, scale, cy - side / 2 + 0.5 * scale - 0.5]],
        dtype=np.float64,
    )
    return cv2.warpAffine(
        frame,
        matrix,
        (out_size, out_size),
        flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP,
        borderMode=cv2.BORDER_CONSTANT,
        borderValue=fill,
    )


def crop_batch(
    frame: np.ndarray, centers: np.ndarray, sides: np.ndarray, out_size: int, fill: tuple[float, float, float]
) -> np.ndarray:
    """Crops of several (centre, side) pairs: centers (N, 2), sides (N,) -> (N, out, out, 3) uint8."""
    out = np.empty((len(sides), out_size, out_size, frame.shape[2]), dtype=frame.dtype)
    for i, (center, side) in enumerate(zip(centers, sides)):
        out[i] = crop_square(frame, (float(center[0]), float(center[1])), float(side), out_size, fill)
    return out
