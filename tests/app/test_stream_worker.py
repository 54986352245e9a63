"""The worker never runs more than a few steps ahead of the GUI, and the view draws only the newest step."""

from __future__ import annotations

import time

import pytest
from gui_helpers import ArraySource

from app.controllers.stream import StreamRunner
from app.workers.stream_worker import StreamWorker


class CountingWorker(StreamWorker):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.processed = 0

    def process(self, index, frame):
        self.processed += 1


@pytest.mark.parametrize("max_in_flight", [1, 3])
def test_a_busy_gui_holds_the_worker_back(qtbot, max_in_flight):
    recorded, drawn = [], []
    runner = StreamRunner(
        render=lambda step: drawn.append(step.index), record=lambda step: recorded.append(step)
    )
    worker = CountingWorker(ArraySource(40), max_in_flight=max_in_flight)
    runner.start(worker, "test stream")
    time.sleep(0.5)  # the GUI thread is busy: no step is taken
    assert worker.processed <= max_in_flight + 1  # the ones waiting for the GUI, and one waiting for a slot
    with qtbot.waitSignal(runner.finished, timeout=20_000):
        pass
    assert [step.index for step in recorded] == list(range(40))
    assert drawn[-1] == 39
    assert len(drawn) <= len(recorded)
    assert drawn == sorted(drawn)


def test_stop_ends_a_worker_waiting_for_the_gui(qtbot):
    runner = StreamRunner(render=lambda step: None)
    worker = CountingWorker(ArraySource(1000), max_in_flight=1)
    runner.start(worker, "test stream")
    time.sleep(0.2)
    runner.stop()  # joins: the worker is blocked on its slot and must notice the stop flag
    assert not runner.running
    assert worker.processed < 1000


def test_limit_ends_the_stream_after_that_many_steps(qtbot):
    recorded = []
    runner = StreamRunner(render=lambda step: None, record=recorded.append)
    with qtbot.waitSignal(runner.finished, timeout=20_000):
        runner.start(CountingWorker(ArraySource(40), start=5, limit=7), "test stream")
    assert [step.index for step in recorded] == list(range(5, 12))
