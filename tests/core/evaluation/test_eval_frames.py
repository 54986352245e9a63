"""Frames for evaluation: RGB, in order, from memory or streamed by a read-ahead thread."""
from __future__ import annotations

import contextlib
import threading

import numpy as np
import pytest
from eval_synthetic import frame_index, moving_boxes

from core.errors import SourceError
from core.evaluation.frames import FrameStore


def test_streamed_and_kept_frames_are_the_same_rgb_frames(make_sequence):
    sequence = make_sequence(moving_boxes(40))
    kept = list(FrameStore(sequence.frames).iterate(5))
    streamed = list(FrameStore(sequence.frames, keep_bytes=0).iterate(5))
    assert [i for i, _ in kept] == [i for i, _ in streamed] == list(range(5, 40))
    assert all(np.array_equal(a, b) for (_, a), (_, b) in zip(kept, streamed))
    assert [frame_index(f) for _, f in streamed] == list(range(5, 40))
    assert streamed[0][1][0, 0].tolist() == [5, 0, 0]  # red holds the index: the channels are RGB


def test_leaving_a_stream_early_stops_its_reader(make_sequence):
    sequence = make_sequence(moving_boxes(60))
    before = threading.active_count()
    with contextlib.closing(FrameStore(sequence.frames, keep_bytes=0).iterate(0)) as stream:
        for index, _ in stream:
            if index == 3:
                break
    assert threading.active_count() == before


def test_an_unreadable_frame_is_a_source_error(make_sequence):
    sequence = make_sequence(moving_boxes(10))
    sequence.frames[4].write_bytes(b"not an image")
    with pytest.raises(SourceError, match="cannot read image"):
        list(FrameStore(sequence.frames, keep_bytes=0).iterate(0))
    with pytest.raises(SourceError, match="cannot read image"):
        list(FrameStore(sequence.frames).iterate(0))
