import numpy as np
import pytest
from annotation_helpers import make_project, manual

from core.annotations import (
    BoxRecord,
    Flag,
    Origin,
    Reason,
    ReviewRules,
    next_flagged,
    previous_flagged,
    update_object,
)
from core.annotations.review import FailureDetector, second_peak_ratio, size_change, visible_fraction
from core.tracking.base import TrackResult


def blob(size, centre, height=1.0, sigma=6.0):
    ys, xs = np.mgrid[:size, :size]
    return height * np.exp(-((xs - centre[0]) ** 2 + (ys - centre[1]) ** 2) / (2 * sigma**2))


def test_second_peak_ratio():
    assert second_peak_ratio(blob(100, (50, 50)), 10) == pytest.approx(0.0, abs=1e-3)
    two = blob(100, (30, 50)) + blob(100, (75, 50), height=0.8)
    assert second_peak_ratio(two, 10) == pytest.approx(0.8, abs=0.02)
    broad = blob(100, (50, 50), sigma=20)  # one wide peak: its flanks are no second peak
    assert second_peak_ratio(broad, 5) == pytest.approx(0.0, abs=1e-3)
    assert second_peak_ratio(np.zeros((10, 10)), 2) == 0.0


def result(box, score=0.8, response=None):
    x, y, w, h = box
    return TrackResult(box, score, response, (x - w, y - h, 3 * w, 3 * h), 1.0)


def test_detector_reasons():
    start = (100.0, 100.0, 40.0, 40.0)
    detector = FailureDetector(ReviewRules(), start, (480, 640))
    assert detector.record(result((101, 100, 40, 40))).flags == frozenset()
    ambiguous = blob(120, (60, 60)) + blob(120, (100, 60), height=0.95)  # peaks 40 px apart, target radius 20
    record = detector.record(result((102, 100, 40, 40), response=ambiguous))
    assert record.reasons == {Reason.SECOND_PEAK} and record.review
    assert detector.record(result((103, 100, 60, 40))).reasons == {Reason.SCALE_JUMP}
    low = detector.record(result((103, 100, 60, 40), score=0.05))
    assert low.reasons == {Reason.LOW_SCORE, Reason.SCORE_DROP}
    assert low.suggested == {Flag.OCCLUDED}
    assert low.origin is Origin.TRACKED and low.score == pytest.approx(0.05)


def test_box_leaving_the_frame_suggests_out_of_view():
    detector = FailureDetector(ReviewRules(), (600.0, 10.0, 40.0, 40.0), (480, 640))
    assert detector.record(result((615.0, 10.0, 40.0, 40.0))).suggested == frozenset()  # 5/8 inside
    assert detector.record(result((630.0, 10.0, 40.0, 40.0))).suggested == {Flag.OUT_OF_VIEW}  # 1/4 inside


def test_geometry_helpers():
    assert size_change((0, 0, 10, 10), (0, 0, 5, 12)) == pytest.approx(2.0)
    assert visible_fraction((-5, 0, 10, 10), (100, 100)) == pytest.approx(0.5)


def test_next_and_previous_flagged():
    review = BoxRecord((1, 1, 5, 5), Origin.TRACKED, 0.1, {Flag.REVIEW}, {Reason.LOW_SCORE})
    project = make_project(tracks={1: {3: review, 9: review, 4: manual((1, 1, 5, 5))}, 2: {6: review}})
    assert next_flagged(project, 0) == 3
    assert next_flagged(project, 3) == 6
    assert next_flagged(project, 9) is None
    assert previous_flagged(project, 9) == 6
    assert previous_flagged(project, 3) is None
    assert next_flagged(project, 3, track_ids=[1]) == 9
    project.apply(update_object(project, 2, hidden=True))
    assert next_flagged(project, 3) == 9  # hidden objects are skipped
