"""Square crops cut on the torch device from a frame already there: the sampling of core.crop.crop_square
(bilinear, exact sub-pixel placement, the frame's mean colour outside it) for many crops in one call."""
from __future__ import annotations

import torch
import torch.nn.functional as F


def frame_image(frame: torch.Tensor) -> torch.Tensor:
    """An (H, W, 3) uint8 frame as a (1, 3, H, W) float32 image, in contiguous NCHW for the sampler."""
    return frame.permute(2, 0, 1).unsqueeze(0).to(torch.float32, memory_format=torch.contiguous_format)


def crop_on_device(
    image: torch.Tensor, centers: torch.Tensor, sides: torch.Tensor, out_size: int
) -> torch.Tensor:
    """Crops (M, 3, out_size, out_size) float32 of image (1, 3, H, W); centers (M, 2), sides (M,) float32.

    Output pixel u samples continuous coordinate cx - side/2 + (u + 0.5) * side/out_size, as crop_square
    does. Values are rounded to whole grey levels, as crop_square's uint8 crops are: the network then sees
    the reference path's input (up to a grey level where OpenCV's fixed-point arithmetic rounds the other
    way), which keeps tracks from drifting apart on frames where two peaks are nearly equal.
    """
    mean = image.mean(dim=(2, 3), keepdim=True)
    # zero padding of (frame - mean) is padding with the mean colour once the mean is added back
    centred = image - mean
    grid = _sampling_grid(centers, sides, out_size, image.shape[-2], image.shape[-1])
    count = len(sides)
    # all crops stacked along the grid's height: one sampler call over the frame, no batch of frame copies
    tall = F.grid_sample(
        centred, grid.reshape(1, count * out_size, out_size, 2),
        mode="bilinear", padding_mode="zeros", align_corners=False,
    )
    crops = tall.reshape(3, count, out_size, out_size).permute(1, 0, 2, 3)
    return (crops + mean).round()


def _sampling_grid(
    centers: torch.Tensor, sides: torch.Tensor, out_size: int, height: int, width: int
) -> torch.Tensor:
    """(M, out, out, 2) normalised (x, y) positions; with align_corners=False, -1 and +1 are the frame's outer
    edges, so continuous coordinate c maps to 2c / extent - 1."""
    offsets = (torch.arange(out_size, device=centers.device, dtype=torch.float32) + 0.5) / out_size - 0.5
    steps = sides[:, None] * offsets  # (M, out)
    xs = (centers[:, 0, None] + steps) * (2.0 / width) - 1.0
    ys = (centers[:, 1, None] + steps) * (2.0 / height) - 1.0
    shape = (len(sides), out_size, out_size)
    return torch.stack([xs[:, None, :].expand(shape), ys[:, :, None].expand(shape)], dim=-1)
