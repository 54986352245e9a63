"""Labels (radius 16 px around the true target), the balanced logistic loss, and peak errors."""

from __future__ import annotations

import math

import pytest
import torch

from trainer.loss import balanced_logistic_loss, cell_offsets, peak_errors, response_labels


def test_centred_target_labels_the_cells_within_two_cells():
    labels = response_labels(torch.zeros(1, 2), torch.tensor([True]), size=15, stride=8, radius=16)
    assert labels.shape == (1, 1, 15, 15)
    positives = labels[0, 0].nonzero().tolist()
    assert len(positives) == 13  # integer points with dx² + dy² <= 2²
    assert all((i - 7) ** 2 + (j - 7) ** 2 <= 4 for i, j in positives)


def test_labels_follow_the_target_offset_and_negative_pairs_are_all_negative():
    offsets = torch.tensor([[16.0, -8.0], [0.0, 0.0]])
    labels = response_labels(offsets, torch.tensor([True, False]), size=15, stride=8, radius=16)
    assert labels[0, 0, 6, 9] == 1 and labels[0, 0, 6, 6] == 0  # centre moved 2 cells right, 1 up
    assert labels[0].sum() == 13
    assert labels[1].sum() == 0


def test_cell_offsets_for_an_even_map():
    cells = cell_offsets(4, 4)
    assert cells[0, 0].tolist() == [-6.0, -6.0] and cells[3, 2].tolist() == [2.0, 6.0]


def test_balanced_loss_weights_positives_and_negatives_equally():
    labels = response_labels(torch.zeros(2, 2), torch.tensor([True, True]), 15, 8, 16)
    zeros = torch.zeros_like(labels)
    assert balanced_logistic_loss(zeros, labels).item() == pytest.approx(math.log(2))
    ones = torch.ones_like(labels)
    expected = 0.5 * math.log1p(math.exp(-1)) + 0.5 * math.log1p(math.exp(1))
    assert balanced_logistic_loss(ones, labels).item() == pytest.approx(expected)
    perfect = labels * 20 - 10
    assert balanced_logistic_loss(perfect, labels).item() < 1e-4


def test_loss_of_an_all_negative_batch():
    labels = torch.zeros(2, 1, 15, 15)
    assert balanced_logistic_loss(torch.full_like(labels, -1.0), labels).item() == pytest.approx(
        math.log1p(math.exp(-1))
    )


def test_peak_errors_in_search_pixels():
    responses = torch.zeros(2, 1, 15, 15)
    responses[:, 0, 7, 9] = 1.0
    errors = peak_errors(responses, torch.tensor([[16.0, 0.0], [0.0, 0.0]]), stride=8)
    assert errors.tolist() == pytest.approx([0.0, 16.0])
