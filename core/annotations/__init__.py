"""Annotations of videos: the Qt-free model the annotation GUI sits on, its project file, autosave,
tracking operations (forward, backward, gap filling, correction) and other tools' file formats."""

from core.annotations.autosave import Autosaver, find_recovery, last_good_autosave, recovery_path
from core.annotations.edits import (
    add_object,
    add_tracks,
    delete_boxes,
    remove_object,
    set_box,
    set_flag,
    update_object,
)
from core.annotations.gaps import fill_all_gaps, fill_gap, interpolate_gap, keyframe_gaps
from core.annotations.model import (
    BoxRecord,
    Change,
    Flag,
    Origin,
    Project,
    Reason,
    TrackObject,
    VideoInfo,
)
from core.annotations.project_file import default_project_path, load_project, save_project
from core.annotations.review import ReviewRules, next_flagged, previous_flagged
from core.annotations.tracking import Extent, StopReason, TrackRun, TrackStep, correct_box, track

__all__ = [
    "Autosaver",
    "BoxRecord",
    "Change",
    "Extent",
    "Flag",
    "Origin",
    "Project",
    "Reason",
    "ReviewRules",
    "StopReason",
    "TrackObject",
    "TrackRun",
    "TrackStep",
    "VideoInfo",
    "add_object",
    "add_tracks",
    "correct_box",
    "default_project_path",
    "delete_boxes",
    "fill_all_gaps",
    "fill_gap",
    "find_recovery",
    "interpolate_gap",
    "keyframe_gaps",
    "last_good_autosave",
    "load_project",
    "next_flagged",
    "previous_flagged",
    "recovery_path",
    "remove_object",
    "save_project",
    "set_box",
    "set_flag",
    "track",
    "update_object",
]
