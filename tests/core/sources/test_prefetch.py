"""PrefetchingReader: same frames as the source, bounded queue, errors passed on, no leaked threads."""

from __future__ import annotations

import gc
import threading
import time

import numpy as np
import pytest
from source_samples import SteppedCamera

from core.errors import SourceError
from core.sources import PrefetchingReader, VideoFileSource, WebcamSource, frame_range

SAFETY_TIMEOUT_S = 10.0


class CountingSource:
    """A seekable source that records how far its frames() generator got and whether it was closed."""

    is_live = False
    fps = None
    frame_size = (4, 3)
    description = "counting"

    def __init__(self, frame_count: int = 1000, fail_at: int | None = None) -> None:
        self.frame_count = frame_count
        self.fail_at = fail_at
        self.produced = 0
        self.generator_closed = threading.Event()

    def read(self, index: int) -> np.ndarray:
        return np.full((3, 4, 3), index % 256, np.uint8)

    def frames(self, start: int = 0, stop: int | None = None, step: int = 1):
        indices = frame_range(self.frame_count, start, stop, step)
        return self._generate(indices)

    def _generate(self, indices):
        try:
            for index in indices:
                if index == self.fail_at:
                    raise SourceError(f"frame {index} is corrupt")
                self.produced += 1
                yield index, self.read(index)
        finally:
            self.generator_closed.set()

    def close(self) -> None:
        pass


def prefetch_threads() -> list[threading.Thread]:
    return [thread for thread in threading.enumerate() if thread.name == "frame prefetch"]


def wait_for(condition) -> None:
    deadline = time.monotonic() + SAFETY_TIMEOUT_S
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.005)


def test_forward_and_backward_ranges_match_the_source(short_video):
    with VideoFileSource(short_video) as source:
        for start, stop, step in ((0, None, 1), (39, None, -1), (25, 3, -1), (5, 30, 3)):
            expected = list(source.frames(start, stop, step))
            with PrefetchingReader(source, start, stop, step, depth=4) as reader:
                got = list(reader)
            assert [i for i, _ in got] == [i for i, _ in expected]
            assert all(np.array_equal(a, b) for (_, a), (_, b) in zip(got, expected))
    assert prefetch_threads() == []


def test_queue_is_bounded_while_the_consumer_is_slow():
    source = CountingSource()
    depth = 4
    with PrefetchingReader(source, depth=depth) as reader:
        iterator = iter(reader)
        assert next(iterator)[0] == 0
        # taken (1) + queued (depth) + one held by the producer, blocked on the full queue
        wait_for(lambda: source.produced >= depth + 2)
        time.sleep(0.1)  # room to overrun, if the queue were not bounded
        assert source.produced == depth + 2
        assert [next(iterator)[0] for _ in range(3)] == [1, 2, 3]
    assert source.generator_closed.is_set()


def test_consumer_stopping_early_stops_the_thread():
    source = CountingSource()
    reader = PrefetchingReader(source, depth=2)
    for index, _ in reader:
        if index == 5:
            break
    assert not reader.running
    assert source.generator_closed.is_set()
    assert prefetch_threads() == []


def test_reader_dropped_without_iterating_stops_its_thread():
    source = CountingSource()
    iterator = iter(PrefetchingReader(source, depth=2))  # never started, then dropped
    wait_for(lambda: source.produced > 0)
    del iterator
    gc.collect()
    wait_for(lambda: not prefetch_threads())
    assert prefetch_threads() == [] and source.generator_closed.is_set()


def test_close_without_consuming_stops_the_thread():
    source = CountingSource()
    reader = PrefetchingReader(source, 10, step=-1)
    wait_for(lambda: source.produced > 0)
    reader.close()
    reader.close()
    assert not reader.running and source.generator_closed.is_set()
    assert list(reader) == []


def test_error_in_the_thread_reaches_the_consumer_at_its_frame():
    source = CountingSource(fail_at=3)
    seen = []
    with pytest.raises(SourceError, match="frame 3 is corrupt"), PrefetchingReader(source) as reader:
        for index, _ in reader:
            seen.append(index)
    assert seen == [0, 1, 2]
    assert prefetch_threads() == []


def test_bad_range_is_reported_in_the_callers_thread():
    with pytest.raises(IndexError):
        PrefetchingReader(CountingSource(frame_count=10), start=10)
    with pytest.raises(ValueError):
        PrefetchingReader(CountingSource(), depth=0)
    assert prefetch_threads() == []


def test_live_source_is_passed_through_without_a_thread():
    camera = SteppedCamera()
    camera.release_frames(1)
    with WebcamSource(camera) as source:
        with PrefetchingReader(source) as reader:
            assert not reader.running
            iterator = iter(reader)
            assert next(iterator)[0] == 0
            camera.release_frames(1)
            assert next(iterator)[0] == 1
        camera.end()
