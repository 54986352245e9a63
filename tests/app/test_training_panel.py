"""Tools → Train…: real training runs in a child process, followed live, stopped, resumed, failing, and a
trained model put into the tracker."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest
from gui_helpers import open_and_wait
from PySide6.QtCore import Qt
from training_helpers import curve_points, fill_tiny_run, process_exists, write_moving_squares

from app.controllers.training_options import load_options
from app.settings import AppSettings

RUN_TIMEOUT_MS = 120_000  # generous: the machine may be busy with other work


@pytest.fixture
def squares(tmp_path: Path) -> Path:
    return write_moving_squares(tmp_path / "squares")


@pytest.fixture
def training(window):
    window.tools.set_unattended()
    window.actions["train"].trigger()
    return window.tools.training


def click(qtbot, button) -> None:
    assert button.isEnabled()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_a_run_plots_its_losses_lists_checkpoints_stops_and_resumes(qtbot, training, squares, tmp_path):
    view = training.view
    assert view.isVisible()
    fill_tiny_run(view.form, squares, tmp_path / "runs", epochs=40)
    click(qtbot, view.start_button)
    assert training.running and not view.form.isEnabled() and view.stop_button.isEnabled()
    pid = training.process.pid

    qtbot.waitUntil(lambda: curve_points(view.plot.step_curve) >= 2, timeout=RUN_TIMEOUT_MS)
    qtbot.waitUntil(lambda: view.checkpoints.topLevelItemCount() > 0, timeout=RUN_TIMEOUT_MS)
    listed = [view.checkpoints.topLevelItem(i).data(0, Qt.ItemDataRole.UserRole) for i in range(3)]
    run_dir = training.progress.run_dir
    assert run_dir.parent == tmp_path / "runs"
    assert str(run_dir / "models" / "epoch-001.safetensors") in listed
    assert all(Path(path).is_file() for path in listed)
    assert view.stats["speed"].text().endswith("pairs/s")

    click(qtbot, view.stop_button)
    qtbot.waitUntil(lambda: not training.running, timeout=RUN_TIMEOUT_MS)
    assert not process_exists(pid)
    assert training.progress.phase == "stopped"
    stopped_after = training.progress.completed_epochs
    assert stopped_after >= 1
    assert f"Stopped after epoch {stopped_after}" in view.status.text()
    assert view.start_button.isEnabled() and view.form.isEnabled()
    assert load_options(AppSettings().store).epochs == 40  # the options are remembered

    assert training.resume(run_dir)
    assert curve_points(view.plot.train_curve) == stopped_after  # the earlier epochs, from history.json
    qtbot.waitUntil(lambda: training.progress.completed_epochs > stopped_after, timeout=RUN_TIMEOUT_MS)
    assert "--resume" in view.log.toPlainText()
    click(qtbot, view.stop_button)
    qtbot.waitUntil(lambda: not training.running, timeout=RUN_TIMEOUT_MS)
    assert training.progress.phase == "stopped"


def test_a_failing_run_shows_its_error_and_the_window_keeps_working(
    qtbot, window, training, squares, tmp_path
):
    view = training.view
    empty = tmp_path / "no-sequences"
    empty.mkdir()
    fill_tiny_run(view.form, empty, tmp_path / "runs", epochs=2)
    click(qtbot, view.start_button)
    qtbot.waitUntil(lambda: not training.running, timeout=RUN_TIMEOUT_MS)
    assert training.progress.phase == "failed"
    assert "holds no sequence folders" in view.status.text()
    assert window.notifier.last_message[0] == "Training failed"
    assert "holds no sequence folders" in window.notifier.last_message[1]
    assert "error: " in view.log.toPlainText()  # the trainer's own line on stderr
    assert view.start_button.isEnabled()

    open_and_wait(qtbot, window, str(squares / "square0" / "img"))  # the window still works
    assert window.playback.source.frame_count == 10


def test_a_training_process_that_dies_is_reported(qtbot, window, training, squares, tmp_path):
    view = training.view
    fill_tiny_run(view.form, squares, tmp_path / "runs", epochs=40)
    click(qtbot, view.start_button)
    qtbot.waitUntil(lambda: curve_points(view.plot.step_curve) >= 1, timeout=RUN_TIMEOUT_MS)
    os.kill(training.process.pid, signal.SIGKILL)  # as the system does when memory runs out
    qtbot.waitUntil(lambda: not training.running, timeout=RUN_TIMEOUT_MS)
    assert training.progress.phase == "failed"
    assert "killed by a signal" in view.status.text()
    assert window.notifier.last_message[0] == "Training failed"
    assert view.start_button.isEnabled() and view.resume_button.isEnabled()


def test_options_that_cannot_start_a_run_say_why(qtbot, training, tmp_path):
    view = training.view
    fill_tiny_run(view.form, tmp_path / "missing", tmp_path / "runs", epochs=2)
    click(qtbot, view.start_button)
    assert not training.running
    assert "Dataset folder not found" in view.status.text()
    assert not (tmp_path / "runs").exists()
    assert not training.resume(tmp_path)  # not a run folder
    assert "no training run to resume" in view.status.text()


def test_use_in_tracker_loads_the_trained_model(qtbot, window, training, squares, tmp_path):
    window.models.update_choice(remember=False, tracker="csrt")
    view = training.view
    fill_tiny_run(view.form, squares, tmp_path / "runs", epochs=1)
    click(qtbot, view.start_button)
    qtbot.waitUntil(lambda: not training.running, timeout=RUN_TIMEOUT_MS)
    assert training.progress.phase == "done", view.log.toPlainText()
    best = training.progress.run_dir / "model-best.safetensors"
    assert view.selected_model() == str(best)  # the best model is selected when the run ends

    click(qtbot, view.use_button)
    panel = window.model_panel
    assert window.models.choice.tracker == "siamfc"
    assert panel.model.currentData() == str(best.resolve())
    qtbot.waitUntil(lambda: panel.status.text().startswith("Model ready"), timeout=60_000)
    assert f"{best.parent.name} epoch 1" in panel.status.text()


def test_closing_the_window_stops_an_active_run(qtbot, window, training, squares, tmp_path):
    view = training.view
    fill_tiny_run(view.form, squares, tmp_path / "runs", epochs=40)
    click(qtbot, view.start_button)
    pid = training.process.pid
    qtbot.waitUntil(lambda: curve_points(view.plot.step_curve) >= 1, timeout=RUN_TIMEOUT_MS)
    view.close()  # the training window alone: the run goes on in the background
    assert not view.isVisible() and training.running
    window.close()
    assert not training.running
    assert not process_exists(pid)
