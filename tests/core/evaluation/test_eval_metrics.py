"""Scores computed by hand: OTB success/precision, VOT accuracy fragments and EAO, the EAO interval."""
from __future__ import annotations

import numpy as np
import pytest

from core.evaluation import metrics
from core.evaluation.metrics import Fragment

NAN = float("nan")


def test_success_curve_counts_frames_strictly_above_each_threshold_and_skips_absent_ones():
    curve = metrics.success_curve(np.array([1.0, 0.5, 0.0, NAN]))
    assert len(curve) == 21
    assert curve[0] == pytest.approx(2 / 3)  # IoU > 0: the 1.0 and 0.5 frames
    assert curve[9] == pytest.approx(2 / 3)  # threshold 0.45
    assert curve[10] == pytest.approx(1 / 3)  # threshold 0.5: 0.5 is not above it
    assert curve[19] == pytest.approx(1 / 3)
    assert curve[20] == 0.0  # nothing is above 1
    # 10 thresholds at 2/3, 10 at 1/3, one at 0
    assert metrics.area_under_curve(curve) == pytest.approx(10 / 21)


def test_precision_curve_counts_frames_within_each_distance():
    curve = metrics.precision_curve(np.array([0.0, 20.0, 20.5, NAN, 100.0]))
    assert len(curve) == 51
    assert curve[0] == pytest.approx(1 / 4)
    assert metrics.precision_at(curve) == pytest.approx(2 / 4)  # 20 px counts, 20.5 does not
    assert curve[21] == pytest.approx(3 / 4)
    assert curve[50] == pytest.approx(3 / 4)


def test_frame_scores_are_absent_where_the_ground_truth_is():
    truth = np.array([[0, 0, 10, 10], [NAN] * 4, [0, 0, 10, 10]], float)
    predicted = np.array([[0, 0, 10, 10], [0, 0, 10, 10], [5, 0, 10, 10]], float)
    overlaps = metrics.frame_overlaps(predicted, truth)
    assert overlaps[0] == pytest.approx(1.0) and np.isnan(overlaps[1]) and overlaps[2] == pytest.approx(1 / 3)
    errors = metrics.center_errors(predicted, truth)
    assert errors[0] == 0.0 and np.isnan(errors[1]) and errors[2] == pytest.approx(5.0)


def test_mean_curve_leaves_out_sequences_without_frames():
    empty = metrics.success_curve(np.array([NAN]))
    assert np.isnan(empty).all()
    mean = metrics.mean_curve([np.ones(21), np.zeros(21), empty])
    assert np.allclose(mean, 0.5)


def test_burn_in_covers_each_initialisation_and_the_frames_after_it():
    mask = metrics.burn_in_mask(30, [0, 17], 10)
    assert np.flatnonzero(mask).tolist() == list(range(10)) + list(range(17, 27))


def test_fragments_run_from_each_initialisation_to_its_failure_or_the_end():
    overlaps = np.array([1, 0.8, 0.6, 0.0, NAN, NAN, 1, 0.9, NAN, 0.7])  # failure at 3, re-init at 6
    fragments = metrics.supervised_fragments(overlaps, inits=[0, 6], failures=[3])
    assert len(fragments) == 2
    assert fragments[0].failed and fragments[0].overlaps.tolist() == [1, 0.8, 0.6, 0.0]
    # the absent ground truth on frame 8 is skipped
    assert not fragments[1].failed and fragments[1].overlaps.tolist() == [1, 0.9, 0.7]


def test_expected_overlap_curve_by_hand():
    fragments = [Fragment(np.array([1.0, 1.0, 1.0, 1.0]), False), Fragment(np.array([1.0, 0.5, 0.0]), True)]
    curve = metrics.expected_overlap_curve(fragments, 6)
    assert curve[0] == 1.0  # length 1: the initialisation frame only
    assert curve[1] == pytest.approx((1 + 0.5) / 2)  # frames 2..2
    assert curve[2] == pytest.approx((1 + 0.25) / 2)  # frames 2..3
    assert curve[3] == pytest.approx((1 + 0.5 / 3) / 2)  # frames 2..4; the failed one is padded with zeros
    assert curve[4] == pytest.approx(0.5 / 4)  # the 4-frame fragment that did not fail says nothing about 5
    assert curve[5] == pytest.approx(0.5 / 5)
    eao = metrics.expected_average_overlap(curve, (2, 4))
    assert eao == pytest.approx((0.75 + 0.625 + (1 + 0.5 / 3) / 2) / 3)


def test_expected_overlap_is_nan_where_no_fragment_is_usable():
    curve = metrics.expected_overlap_curve([Fragment(np.array([1.0, 1.0]), False)], 4)
    assert curve[1] == 1.0 and np.isnan(curve[2]) and np.isnan(curve[3])
    assert np.isnan(metrics.expected_average_overlap(curve, (3, 4)))


def test_length_interval_is_centred_on_a_symmetric_density_and_holds_half_of_it():
    low, high = metrics.sequence_length_interval([100, 150, 200])
    assert abs((low + high) / 2 - 150) <= 1
    x = np.arange(1, 201, dtype=float)
    density = metrics._gaussian_kde(np.array([100.0, 150.0, 200.0]), x)
    density /= density.sum()
    assert density[low - 1 : high].sum() >= 0.5
    assert density[low : high - 1].sum() < 0.5  # and is no wider than needed


def test_length_interval_of_equal_lengths_is_narrow_around_that_length():
    low, high = metrics.sequence_length_interval([120, 120, 120])
    assert low <= 120 <= high and high - low <= 2


def test_length_interval_follows_where_most_sequences_are():
    low, high = metrics.sequence_length_interval([100, 110, 120, 130, 1000])
    assert low < 130 and high < 400
