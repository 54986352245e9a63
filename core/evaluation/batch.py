"""Evaluating several trackers on several sequences under several protocols, with caching and progress.

The app runs this in a background thread: `progress(done, total, what)` is called after every tracked frame
(done and total count frames over the whole batch) and `should_stop()` is asked after every frame.
"""
from __future__ import annotations

from collections.abc import Callable
from collections.abc import Sequence as Seq

from core.errors import SiamTrackError
from core.evaluation.cache import RunCache, run_key, sequence_identity
from core.evaluation.frames import FrameStore
from core.evaluation.protocols import PROTOCOLS, EvaluationProtocol, get_protocol
from core.evaluation.results import EvaluationResult
from core.evaluation.runner import Monitor
from core.evaluation.trackers import TrackerEntry
from core.sequences import Sequence

ProgressCallback = Callable[[int, int, str], None]


def evaluate(
    trackers: Seq[TrackerEntry],
    sequences: Seq[Sequence],
    protocols: Seq[str | EvaluationProtocol] = ("ope",),
    cache: RunCache | None = None,
    progress: ProgressCallback | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> EvaluationResult:
    """Run (or fetch from the cache) every tracker on every sequence under every protocol, and score them.
    Raises EvaluationCancelled when should_stop() says so; runs finished before that stay cached."""
    chosen = sorted((get_protocol(p) if isinstance(p, str) else p for p in protocols), key=_canonical_order)
    _check_request(trackers, sequences, chosen)
    stores: list[FrameStore | None] = [FrameStore(s.frames) for s in sequences]
    planned = {
        (t.label, s.name, p.name): p.planned_frames(s, store.frame_shape)
        for s, store in zip(sequences, stores)
        for t in trackers
        for p in chosen
    }
    counter = _Progress(progress, sum(planned.values()))
    stop = should_stop or (lambda: False)
    result = EvaluationResult(
        trackers=[{"label": t.label, "description": t.description, "identity": dict(t.identity)} for t in trackers],
        sequences=[{"name": s.name, "frames": len(s)} for s in sequences],
        protocols={p.name: {"title": p.title, **p.parameters()} for p in chosen},
    )
    for index, sequence in enumerate(sequences):
        store, stores[index] = stores[index], None  # decoded frames are freed once the sequence is done
        identity = sequence_identity(sequence)
        for tracker in trackers:
            for protocol in chosen:
                job = (tracker.label, sequence.name, protocol.name)
                counter.start(" · ".join(job), planned[job])
                key = run_key(tracker.identity, identity, protocol.name, protocol.parameters())
                trials = cache.load(key) if cache is not None else None
                if trials is None:
                    trials = protocol.run(tracker.make, sequence, store, Monitor(counter.frame_done, stop))
                    if cache is not None:
                        cache.save(key, trials)
                counter.finish()
                result.add(job, protocol.score(sequence, trials), trials)
    return result


class _Progress:
    """Counts tracked frames over the batch; a job read from the cache advances by its planned frames."""

    def __init__(self, callback: ProgressCallback | None, total: int) -> None:
        self.callback = callback or (lambda done, total, what: None)
        self.total, self.done, self.what, self.job_end = total, 0, "", 0
        self.callback(0, total, "")

    def start(self, what: str, planned: int) -> None:
        self.what, self.job_end = what, self.done + planned

    def frame_done(self) -> None:
        self.done += 1
        self.callback(self.done, self.total, self.what)

    def finish(self) -> None:
        self.done = self.job_end
        self.callback(self.done, self.total, self.what)


def _canonical_order(protocol: EvaluationProtocol) -> int:
    """Reports list OPE, TRE, SRE, VOT in that order, whatever order they were asked in."""
    order = list(PROTOCOLS)
    return order.index(protocol.name) if protocol.name in order else len(order)


def _check_request(trackers: Seq[TrackerEntry], sequences: Seq[Sequence], chosen: list[EvaluationProtocol]) -> None:
    if not trackers or not sequences or not chosen:
        raise SiamTrackError("nothing to evaluate: give at least one tracker, sequence and protocol")
    _check_unique([t.label for t in trackers], "tracker label")
    _check_unique([s.name for s in sequences], "sequence name")
    _check_unique([p.name for p in chosen], "protocol")


def _check_unique(names: list[str], what: str) -> None:
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise SiamTrackError(f"each {what} must be unique; repeated: {', '.join(repeated)}")
