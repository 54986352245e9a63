"""Labels and the balanced logistic loss of SiamFC, and the validation measures.

Response cell (i, j) of an S x S map compares the exemplar with the search window centred (j - c, i - c)
* stride pixels from the search image's centre, c = (S - 1) / 2. A cell is positive when that point lies
within `radius` pixels of the target's true centre (16 px = 2 cells at stride 8), negative otherwise;
hard-negative pairs are negative everywhere. The loss weights positives and negatives of the batch to
equal total weight.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F


def cell_offsets(size: int, stride: int, device: torch.device | None = None) -> torch.Tensor:
    """(S, S, 2) displacement (dx, dy) in search-image pixels of each response cell from the centre."""
    steps = (torch.arange(size, dtype=torch.float32, device=device) - (size - 1) / 2) * stride
    dy, dx = torch.meshgrid(steps, steps, indexing="ij")
    return torch.stack([dx, dy], dim=-1)


def response_labels(
    offsets: torch.Tensor, positive: torch.Tensor, size: int, stride: int, radius: float
) -> torch.Tensor:
    """(B, 1, S, S) labels in {0, 1} from each pair's target offset (B, 2) and positive flag (B,)."""
    cells = cell_offsets(size, stride, offsets.device)
    distance = torch.linalg.vector_norm(cells[None] - offsets[:, None, None, :].float(), dim=-1)
    labels = (distance <= radius) & positive.bool()[:, None, None]
    return labels.float().unsqueeze(1)


def balanced_logistic_loss(responses: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
    """Logistic loss with the batch's positives and negatives each carrying half the total weight (all of
    it for negatives when the batch holds no positive)."""
    positives = labels.sum()
    negatives = labels.numel() - positives
    if positives > 0:
        weights = torch.where(labels > 0, 0.5 / positives, 0.5 / negatives)
    else:
        weights = torch.full_like(labels, 1.0 / labels.numel())
    losses = F.binary_cross_entropy_with_logits(responses.float(), labels, reduction="none")
    return (weights * losses).sum()


def peak_errors(responses: torch.Tensor, offsets: torch.Tensor, stride: int) -> torch.Tensor:
    """Distance in search-image pixels between each map's highest cell and the true target centre (B,)."""
    size = responses.shape[-1]
    peaks = responses.flatten(1).argmax(dim=1)
    cells = cell_offsets(size, stride, responses.device).reshape(-1, 2)
    return torch.linalg.vector_norm(cells[peaks] - offsets.float(), dim=-1)
