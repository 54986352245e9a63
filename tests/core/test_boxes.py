import numpy as np
import pytest

from core.boxes import (
    box_from_center,
    center_distance,
    center_of,
    clip_box,
    from_corners,
    iou,
    parse_box,
    to_corners,
    validate_box,
)
from core.errors import BoxError


def test_corner_and_center_conversions_round_trip():
    box = (10.25, 20.5, 30.0, 40.75)
    assert from_corners(*to_corners(box)) == pytest.approx(box)
    assert box_from_center(*center_of(box), box[2], box[3]) == pytest.approx(box)
    assert center_of((0, 0, 10, 20)) == (5.0, 10.0)


def test_iou_of_known_boxes():
    a = np.array([[0, 0, 10, 10], [0, 0, 10, 10], [0, 0, 10, 10]], float)
    b = np.array([[0, 0, 10, 10], [5, 0, 10, 10], [20, 20, 5, 5]], float)
    assert iou(a, b) == pytest.approx([1.0, 50 / 150, 0.0])


def test_center_distance():
    assert center_distance(np.array([0, 0, 2, 2]), np.array([3, 4, 2, 2])) == pytest.approx(5.0)


@pytest.mark.parametrize("text", ["1,2,3,4", "1 2 3 4", "1\t2\t3\t4", " 1, 2 ,3,4 "])
def test_parse_box_accepts_common_separators(text):
    assert parse_box(text) == (1.0, 2.0, 3.0, 4.0)


@pytest.mark.parametrize("text", ["1,2,3", "a,b,c,d", ""])
def test_parse_box_rejects_garbage(text):
    with pytest.raises(BoxError):
        parse_box(text)


@pytest.mark.parametrize("box", [(0, 0, 0, 10), (0, 0, 10, -1), (200, 10, 5, 5), (-20, 10, 10, 10),
                                 (float("nan"), 0, 5, 5)])
def test_validate_box_rejects_unusable_boxes(box):
    with pytest.raises(BoxError):
        validate_box(box, (100, 150, 3))


def test_validate_box_accepts_partly_outside_box():
    assert validate_box((-5, -5, 20, 20), (100, 150, 3)) == (-5, -5, 20, 20)


def test_clip_box():
    assert clip_box((-5, 90, 20, 20), (100, 150, 3)) == (0, 90, 15, 10)
