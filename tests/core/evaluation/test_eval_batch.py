"""evaluate(): scores per tracker/sequence/protocol, the run cache, progress, cancelling, and the outputs."""
from __future__ import annotations

import html.parser
import json

import numpy as np
import pytest
from eval_synthetic import moving_boxes

from core.errors import SiamTrackError
from core.evaluation import (
    EvaluationCancelled,
    RunCache,
    baseline_entry,
    evaluate,
    terminal_report,
    write_outputs,
)

THRESHOLDS = 21


@pytest.fixture
def two_sequences(make_sequence):
    return [make_sequence(moving_boxes(30), "walk"), make_sequence(moving_boxes(50, step=0.5), "stroll")]


def test_scores_every_tracker_on_every_sequence_under_every_protocol(two_sequences, scripted_entry):
    walk, _ = two_sequences
    trackers = [scripted_entry(walk.boxes, "exact"), baseline_entry("identity")]
    result = evaluate(trackers, [walk], ["ope", "tre", "vot"])
    assert set(result.scores) == {(t, "walk", p) for t in ("exact", "identity") for p in ("ope", "tre", "vot")}
    assert result.scores[("exact", "walk", "ope")].auc == pytest.approx(20 / THRESHOLDS)
    assert result.scores[("exact", "walk", "vot")].failures == 0
    assert result.overall("exact")["tre"]["auc"] > result.overall("identity")["tre"]["auc"]
    # OPE: 30 frames; TRE: segments from frames 0..10, each to the end; VOT: 30 frames without failure
    assert result.timing("exact").frames == 30 + sum(30 - s for s in range(11)) + 30


def test_summaries_average_the_sequences(two_sequences, scripted_entry):
    walk, _ = two_sequences
    entry = scripted_entry(walk.boxes, "scripted", wrong=range(15, 30))
    result = evaluate([entry], [walk], ["ope"])
    assert result.overall("scripted")["ope"]["auc"] == pytest.approx(20 * 0.5 / THRESHOLDS)
    both = evaluate([baseline_entry("identity")], two_sequences, ["ope"])
    per_sequence = [both.scores[("identity", s.name, "ope")].auc for s in two_sequences]
    assert both.overall("identity")["ope"]["auc"] == pytest.approx(np.mean(per_sequence))


def test_cached_runs_are_not_run_again(tmp_path, two_sequences, scripted_entry):
    walk, _ = two_sequences
    cache = RunCache(tmp_path / "cache")
    created: list = []
    first = evaluate([scripted_entry(walk.boxes, wrong=[5], created=created)], [walk], ["ope", "vot"], cache)
    assert len(created) == 1 + 2  # OPE, then VOT's start and its reset after the failure on frame 5
    created.clear()
    again = evaluate([scripted_entry(walk.boxes, wrong=[5], created=created)], [walk], ["ope", "vot"], cache)
    assert created == []
    assert again.scores[("scripted", "walk", "vot")].failures == 1
    assert again.overall("scripted").keys() == first.overall("scripted").keys()
    assert again.timing("scripted") == first.timing("scripted")
    # another tracker identity (here: other errors) is run; the cached one is still not
    evaluate([scripted_entry(walk.boxes, wrong=[5], created=created),
              scripted_entry(walk.boxes, "other", wrong=[6], created=created)], [walk], ["ope"], cache)
    assert len(created) == 1 and created[0].wrong == {6}


def test_a_damaged_cache_file_is_run_again(tmp_path, two_sequences, scripted_entry):
    walk, _ = two_sequences
    cache = RunCache(tmp_path / "cache")
    evaluate([scripted_entry(walk.boxes)], [walk], ["ope"], cache)
    (cached,) = list((tmp_path / "cache").iterdir())
    cached.write_bytes(b"not a zip file")
    created: list = []
    evaluate([scripted_entry(walk.boxes, created=created)], [walk], ["ope"], cache)
    assert len(created) == 1


def test_progress_counts_frames_up_to_the_total(two_sequences):
    calls = []
    evaluate([baseline_entry("identity")], two_sequences, ["ope", "sre"], progress=lambda d, t, w: calls.append((d, t)))
    total = (30 + 50) * (1 + 12)
    assert all(t == total for _, t in calls)
    done = [d for d, _ in calls]
    assert done == sorted(done) and done[0] == 0 and done[-1] == total


def test_should_stop_cancels_and_keeps_finished_runs(tmp_path, two_sequences):
    cache = RunCache(tmp_path / "cache")
    seen = []
    with pytest.raises(EvaluationCancelled):
        evaluate([baseline_entry("identity")], two_sequences, ["ope"], cache,
                 progress=lambda d, t, w: seen.append(d), should_stop=lambda: bool(seen) and seen[-1] >= 40)
    assert len(list((tmp_path / "cache").iterdir())) == 1  # the first sequence's run finished


def test_rejects_repeated_labels_and_empty_requests(two_sequences):
    identity = baseline_entry("identity")
    with pytest.raises(SiamTrackError, match="repeated: identity"):
        evaluate([identity, identity], two_sequences)
    with pytest.raises(SiamTrackError, match="nothing to evaluate"):
        evaluate([], two_sequences)


def test_outputs_table_plots_page_and_json(tmp_path, two_sequences, scripted_entry):
    walk, _ = two_sequences
    trackers = [scripted_entry(walk.boxes, "scripted", half=range(10, 20)), baseline_entry("identity")]
    result = evaluate(trackers, [walk], ["ope", "tre", "sre", "vot"])
    text = terminal_report(result)
    for header in ("Accuracy", "Failures", "EAO", "OPE AUC", "OPE P@20", "TRE AUC", "SRE AUC", "fps"):
        assert header in text
    assert "| scripted" in text and "| identity" in text

    written = write_outputs(result, tmp_path / "plots", tmp_path / "report", tmp_path / "scores.json")
    names = {p.name for p in written}
    for protocol in ("ope", "tre", "sre"):
        assert {f"{protocol}_success.png", f"{protocol}_precision.png"} <= names
    assert {"vot_ar.png", "vot_eao.png", "vot_eao_curve.png", "report.html", "report.json", "scores.json"} <= names
    for png in (tmp_path / "plots").iterdir():
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

    document = json.loads((tmp_path / "scores.json").read_text(), parse_constant=_no_nan)
    scripted = document["results"]["scripted"]
    assert scripted["overall"]["ope"]["auc"] == pytest.approx(result.overall("scripted")["ope"]["auc"])
    assert len(scripted["sequences"]["walk"]["tre"]["success_curve"]) == THRESHOLDS
    assert document["eao_interval"] == list(result.eao_interval)

    page = (tmp_path / "report" / "report.html").read_text()
    images = _ImageSources()
    images.feed(page)
    assert len(images.sources) == 9 and all(s.startswith("data:image/png;base64,") for s in images.sources)
    assert "<h2>Summary</h2>" in page and "<h3>walk" in page
    assert "src='http" not in page and "<link" not in page  # the page needs nothing beside it


def _no_nan(name: str):
    raise AssertionError(f"JSON holds {name}")


class _ImageSources(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.sources: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            self.sources.append(dict(attrs)["src"])
