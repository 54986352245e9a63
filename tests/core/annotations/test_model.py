import copy

import pytest
from annotation_helpers import make_project, manual

from core.annotations import (
    BoxRecord,
    Change,
    Flag,
    Origin,
    Project,
    TrackObject,
    VideoInfo,
    add_object,
    add_tracks,
    delete_boxes,
    remove_object,
    set_box,
    set_flag,
    update_object,
)
from core.errors import BoxError, SiamTrackError


def tracked(box, score=0.8):
    return BoxRecord(box, Origin.TRACKED, score)


@pytest.fixture
def project():
    return make_project(
        tracks={
            1: {0: manual((10, 10, 20, 20)), 1: tracked((11, 10, 20, 20)), 5: manual((15, 10, 20, 20))},
            2: {3: manual((50, 50, 10, 30), flags={Flag.OCCLUDED})},
        }
    )


def assert_undo_redo_exact(project: Project, change: Change) -> None:
    before = copy.deepcopy(project)
    inverse = project.apply(change)
    after = copy.deepcopy(project)
    assert after != before or change.is_empty
    redo = project.apply(inverse)  # undo
    assert project == before
    project.apply(redo)  # the inverse of the undo is a redo
    assert project == after
    project.apply(inverse)  # the first inverse still undoes after a redo
    assert project == before


@pytest.mark.parametrize(
    "make_change",
    [
        lambda p: set_box(p, 1, 1, (12, 11, 20, 21)),
        lambda p: set_box(p, 1, 30, (12, 11, 20, 21)),
        lambda p: delete_boxes(p, 1, 5, 0),
        lambda p: set_flag(p, 1, [0, 1, 2], Flag.REVIEW),
        lambda p: set_flag(p, 2, [3], Flag.OCCLUDED, on=False),
        lambda p: add_object(p, "dog")[0],
        lambda p: update_object(p, 2, label="truck", colour="#00ff00", hidden=True),
        lambda p: remove_object(p, 1),
        lambda p: add_tracks(p, make_project(tracks={1: {7: manual((1, 1, 5, 5))}})),
        lambda p: remove_object(p, 1).then(add_object(p, "cat")[0]).then(set_box(p, 2, 4, (5, 5, 9, 9))),
    ],
)
def test_every_edit_undoes_and_redoes_exactly(project, make_change):
    assert_undo_redo_exact(project, make_change(project))


def test_set_box_makes_a_keyframe_and_keeps_flags(project):
    project.apply(set_box(project, 2, 3, (51, 50, 10, 30)))
    record = project.record(2, 3)
    assert record.origin is Origin.MANUAL and record.is_keyframe
    assert record.occluded


def test_set_box_rejects_bad_boxes_and_frames(project):
    with pytest.raises(BoxError):
        set_box(project, 1, 2, (10, 10, 0, 5))
    with pytest.raises(BoxError):
        set_box(project, 1, 2, (500, 10, 5, 5))  # outside the 200x100 frame
    with pytest.raises(SiamTrackError, match="outside the video"):
        set_box(project, 1, 50, (10, 10, 5, 5))
    with pytest.raises(SiamTrackError, match="no object 9"):
        set_box(project, 9, 2, (10, 10, 5, 5))


def test_delete_boxes_is_inclusive(project):
    project.apply(delete_boxes(project, 1, 1, 5))
    assert project.frames(1) == [0]


def test_remove_object_takes_its_boxes_and_undo_brings_them_back(project):
    boxes = dict(project.track(1))
    inverse = project.apply(remove_object(project, 1))
    assert 1 not in project.objects and project.record(1, 0) is None
    project.apply(inverse)
    assert dict(project.track(1)) == boxes


def test_a_bad_change_leaves_the_project_untouched(project):
    before = copy.deepcopy(project)
    with pytest.raises(ValueError):
        project.apply(Change("bad", {(1, 2): manual((1, 1, 2, 2)), (7, 2): manual((1, 1, 2, 2))}))
    with pytest.raises(ValueError):
        project.apply(Change("bad", {(1, 99): manual((1, 1, 2, 2))}))
    assert project == before


def test_keyframe_queries(project):
    assert project.keyframes(1) == [0, 5]
    assert project.next_keyframe(1, 0) == 5
    assert project.next_keyframe(1, 5) is None
    assert project.next_keyframe(1, 5, step=-1) == 0
    assert project.next_keyframe(1, 0, step=-1) is None


def test_revision_counts_every_apply(project):
    start = project.revision
    inverse = project.apply(set_box(project, 1, 2, (1, 1, 5, 5)))
    project.apply(inverse)
    assert project.revision == start + 2


def test_add_tracks_renumbers_taken_ids(project):
    imported = make_project(tracks={1: {7: manual((1, 1, 5, 5))}, 4: {8: manual((2, 2, 5, 5))}})
    project.apply(add_tracks(project, imported))
    assert sorted(project.objects) == [1, 2, 4, 5]
    assert project.record(5, 7).box == (1, 1, 5, 5)
    assert project.record(4, 8).box == (2, 2, 5, 5)


def test_object_validation():
    with pytest.raises(SiamTrackError, match="#rrggbb"):
        TrackObject(1, "car", "red")
    with pytest.raises(SiamTrackError, match="label"):
        TrackObject(1, " ")
    assert TrackObject(3, "car").colour.startswith("#")
    with pytest.raises(SiamTrackError):
        VideoInfo("x.avi", 0, 10, 10)


def test_update_object_rejects_unknown_fields(project):
    with pytest.raises(SiamTrackError, match="unknown object field"):
        update_object(project, 1, speed=3)


def test_with_flag_clears_review_reasons_and_accepts_suggestions():
    record = BoxRecord((1, 1, 5, 5), Origin.TRACKED, 0.05, {Flag.REVIEW}, {"low_score"}, {Flag.OCCLUDED})
    accepted = record.with_flag(Flag.OCCLUDED)
    assert accepted.occluded and not accepted.suggested
    cleared = record.with_flag(Flag.REVIEW, on=False)
    assert not cleared.review and not cleared.reasons
