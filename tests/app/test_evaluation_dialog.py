"""Tools → Evaluate…: trackers scored on real sequences in the background, the report opened; cancelling
and failures leave the window working."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices

RUN_TIMEOUT_MS = 120_000


def copy_sequence(source: Path, target: Path, frames: int | None = None) -> Path:
    """The first `frames` frames of an OTB sequence folder, with their ground truth."""
    images = sorted((source / "img").iterdir())[:frames]
    (target / "img").mkdir(parents=True)
    for image in images:
        shutil.copy2(image, target / "img" / image.name)
    rows = (source / "groundtruth_rect.txt").read_text().splitlines()[: len(images)]
    (target / "groundtruth_rect.txt").write_text("\n".join(rows) + "\n")
    return target


@pytest.fixture
def sequences(shared_data: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "sequences"
    copy_sequence(shared_data / "sequences" / "Crossing", folder / "Crossing", frames=15)
    return folder


@pytest.fixture
def evaluation(window, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))  # runs are cached here, not in the user's
    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    window.actions["evaluate"].trigger()
    controller = window.tools.evaluation
    controller.opened = opened
    return controller


def click(qtbot, button) -> None:
    assert button.isEnabled()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_evaluating_two_trackers_writes_and_opens_the_report(qtbot, evaluation, sequences, tmp_path):
    dialog = evaluation.dialog
    assert dialog.isVisible()
    assert evaluation.add_folders([sequences])  # a folder of sequence folders
    assert dialog.checked_sequences() == [sequences / "Crossing"]
    dialog.set_checked(["ope"], ["csrt", "kcf"])
    dialog.output.setText(str(tmp_path / "report"))
    click(qtbot, dialog.run_button)
    assert evaluation.running and dialog.cancel_button.isEnabled()
    qtbot.waitUntil(lambda: not evaluation.running, timeout=RUN_TIMEOUT_MS)

    report = tmp_path / "report" / "report.html"
    assert report.is_file()
    assert evaluation.opened == [QUrl.fromLocalFile(str(report))]
    assert str(report) in dialog.status.text()
    scores = json.loads((tmp_path / "report" / "report.json").read_text())
    assert [t["label"] for t in scores["trackers"]] == ["csrt", "kcf"]
    assert scores["sequences"] == [{"name": "Crossing", "frames": 15}]
    assert list(scores["protocols"]) == ["ope"]
    assert list((tmp_path / "cache" / "siamtrack" / "evaluation").glob("Crossing-ope-*.npz"))
    assert dialog.run_button.isEnabled()


def test_siamfc_is_evaluated_with_the_model_chosen_in_the_window(
    qtbot, window, evaluation, sequences, cfnet_weights, tmp_path
):
    window.models.use_weights(cfnet_weights)
    evaluation.show_dialog()
    dialog = evaluation.dialog
    assert cfnet_weights.name in dialog.tracker_boxes["siamfc"].text()
    evaluation.add_folders([sequences / "Crossing"])  # one sequence folder
    dialog.set_checked(["ope"], ["siamfc"])
    dialog.output.setText(str(tmp_path / "report"))
    click(qtbot, dialog.run_button)
    qtbot.waitUntil(lambda: not evaluation.running, timeout=RUN_TIMEOUT_MS)
    scores = json.loads((tmp_path / "report" / "report.json").read_text())
    (tracker,) = scores["trackers"]
    assert tracker["label"] == f"siamfc ({cfnet_weights.stem})"
    assert tracker["identity"]["preset"] == window.models.choice.preset


def test_cancel_stops_the_evaluation_and_writes_no_report(qtbot, window, evaluation, shared_data, tmp_path):
    folder = copy_sequence(shared_data / "sequences" / "Crossing", tmp_path / "full" / "Crossing")
    dialog = evaluation.dialog
    evaluation.add_folders([folder])
    dialog.set_checked(["ope", "tre", "sre"], ["csrt", "mil"])
    dialog.output.setText(str(tmp_path / "report"))
    click(qtbot, dialog.run_button)
    qtbot.waitUntil(
        lambda: dialog.progress.maximum() > 1 and dialog.progress.value() > 0, timeout=RUN_TIMEOUT_MS
    )
    click(qtbot, dialog.cancel_button)
    qtbot.waitUntil(lambda: not evaluation.running, timeout=RUN_TIMEOUT_MS)
    assert dialog.status.text().startswith("Cancelled")
    assert not (tmp_path / "report").exists()
    assert evaluation.opened == []
    assert dialog.run_button.isEnabled()


def test_a_failing_evaluation_is_reported_and_the_window_keeps_working(qtbot, window, evaluation, tmp_path):
    broken = tmp_path / "broken"
    (broken / "img").mkdir(parents=True)
    (broken / "groundtruth_rect.txt").write_text("1,2,3,4\n")  # a box but no frames
    dialog = evaluation.dialog
    assert not evaluation.add_folders([tmp_path / "nothing-here"])
    assert "not a folder" in dialog.status.text()
    evaluation.add_folders([broken])
    dialog.set_checked(["ope"], ["kcf"])
    dialog.output.setText(str(tmp_path / "report"))
    click(qtbot, dialog.run_button)
    qtbot.waitUntil(lambda: not evaluation.running, timeout=RUN_TIMEOUT_MS)
    assert window.notifier.last_message == (
        "Evaluation failed",
        "broken: no images found in img, imgs, color",
    )
    assert "failed" in dialog.status.text()
    assert not (tmp_path / "report").exists()
    window.actions["train"].trigger()  # the window still answers
    assert window.tools.training.view.isVisible()
