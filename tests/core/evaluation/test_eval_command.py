"""`siamtrack eval` end to end, and its one-line errors."""
from __future__ import annotations

import html.parser
import json
import shutil
from pathlib import Path

import cv2
import pytest
from eval_synthetic import moving_boxes, write_sequence

from app.cli import main
from core.evaluation import trackers as tracker_module

FRAMES = 20


@pytest.fixture
def short_crossing(shared_data: Path, tmp_path: Path) -> Path:
    """The first 20 frames of OTB Crossing, in its own layout (1-based groundtruth_rect.txt)."""
    source = shared_data / "sequences" / "Crossing"
    target = tmp_path / "sequences" / "Crossing"
    (target / "img").mkdir(parents=True)
    for image in sorted((source / "img").iterdir())[:FRAMES]:
        shutil.copy(image, target / "img" / image.name)
    lines = (source / "groundtruth_rect.txt").read_text().splitlines()[:FRAMES]
    (target / "groundtruth_rect.txt").write_text("\n".join(lines) + "\n")
    return target


def test_eval_writes_tables_plots_report_and_json(short_crossing, cfnet_weights, tmp_path, capsys):
    out = tmp_path / "out"
    args = [
        "eval", str(short_crossing.parent), "--protocol", "ope", "vot", "--tracker", "csrt", "siamfc",
        "--model", f"cfnet={cfnet_weights}", "--device", "cpu", "--cache-dir", str(out / "cache"),
        "--plots", str(out / "plots"), "--report", str(out / "report"), "--json", str(out / "scores.json"),
    ]
    assert main(args) == 0
    printed = capsys.readouterr().out
    assert "Crossing (20 frames)" in printed and "| cfnet" in printed and "| csrt" in printed

    scores = json.loads((out / "scores.json").read_text())
    assert set(scores["results"]) == {"csrt", "cfnet"}
    for label in ("csrt", "cfnet"):
        overall = scores["results"][label]["overall"]
        assert 0.0 <= overall["ope"]["auc"] <= 1.0 and 0.0 <= overall["vot"]["eao"] <= 1.0
        assert overall["fps"] > 0
    # both track the pedestrian through these 20 easy frames
    assert scores["results"]["cfnet"]["overall"]["ope"]["auc"] > 0.4
    assert scores["results"]["csrt"]["overall"]["ope"]["auc"] > 0.4
    assert json.loads((out / "report" / "report.json").read_text()) == scores

    for name in ("ope_success.png", "ope_precision.png", "vot_ar.png", "vot_eao.png", "vot_eao_curve.png"):
        image = cv2.imread(str(out / "plots" / name))
        assert image is not None and image.shape[0] > 100
    page = (out / "report" / "report.html").read_text()
    parser = html.parser.HTMLParser()
    parser.feed(page)
    assert page.count("data:image/png;base64,") == 5 and "Crossing" in page

    # a second run finds every run in the cache and gives the same scores
    cached = sorted((out / "cache").iterdir())
    assert len(cached) == 4
    assert main(args) == 0
    assert sorted((out / "cache").iterdir()) == cached
    again = json.loads((out / "scores.json").read_text())
    assert again["results"]["cfnet"]["overall"]["vot"] == scores["results"]["cfnet"]["overall"]["vot"]


def test_siamfc_is_skipped_with_a_note_when_no_model_is_bundled(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(tracker_module, "bundled_model_path", lambda: None)
    sequence = tmp_path / "walk"
    write_sequence(sequence, moving_boxes(12))
    code = main(["eval", str(sequence), "--tracker", "siamfc", "identity", "--no-cache"])
    captured = capsys.readouterr()
    assert code == 0
    assert "note: siamfc skipped" in captured.err
    assert "| identity" in captured.out and "siamfc" not in captured.out


@pytest.mark.parametrize(
    "extra, message",
    [
        (["--protocol", "otb"], "unknown protocol 'otb'"),
        (["--tracker", "boosting"], "unknown tracker 'boosting'"),
        (["--tracker", "kcf", "--model", "m.safetensors"], "--model is for siamfc"),
        (["--tracker", "siamfc", "--model", "missing.safetensors"], "model file not found"),
    ],
)
def test_bad_options_give_one_line_and_exit_code_2(tmp_path, capsys, extra, message):
    sequence = tmp_path / "walk"
    write_sequence(sequence, moving_boxes(12))
    assert main(["eval", str(sequence), "--no-cache", *extra]) == 2
    err = capsys.readouterr().err.strip()
    assert message in err and len(err.splitlines()) == 1


def test_a_folder_without_sequences_is_a_one_line_error(tmp_path, capsys):
    (tmp_path / "empty").mkdir()
    assert main(["eval", str(tmp_path / "empty"), "--tracker", "identity"]) == 2
    assert "holds no sequence" in capsys.readouterr().err
    assert main(["eval", str(tmp_path / "nowhere"), "--tracker", "identity"]) == 2
    assert "not a folder" in capsys.readouterr().err


def test_siamfc_options_are_checked_before_anything_runs(tmp_path, capsys, cfnet_weights):
    sequence = tmp_path / "walk"
    write_sequence(sequence, moving_boxes(12))
    base = ["eval", str(sequence), "--no-cache", "--tracker", "siamfc", "--model", str(cfnet_weights)]
    assert main([*base, "--preset", "7s"]) == 2
    assert "unknown preset '7s'" in capsys.readouterr().err
    assert main([*base, "--device", "tpu"]) == 2
    assert "unknown device 'tpu'" in capsys.readouterr().err
    assert main([*base, "--engine", "turbo"]) == 2
    assert "unknown engine 'turbo'" in capsys.readouterr().err


def test_the_siamfc_engine_is_part_of_its_identity(cfnet_weights):
    from core.evaluation import siamfc_entry

    reference = siamfc_entry("a", cfnet_weights, device="cpu")
    assert reference.identity["engine"] == "fp32" and reference.identity["device"] == "cpu"
    assert "fp32 engine on cpu" in reference.description
    other = siamfc_entry("b", cfnet_weights, device="cpu", engine="fp32-fast")
    assert other.identity != reference.identity
    automatic = siamfc_entry("c", cfnet_weights, device="cpu", engine="auto")
    assert automatic.identity["engine"] != "auto"  # the path auto picks on this machine is what is recorded
