"""What the window remembers: tracker choice, overlay look, recent sources; defaults from resources/."""

from __future__ import annotations

import json

import pytest
from gui_helpers import open_and_wait

from app.settings import AppSettings, Defaults, TrackerChoice, load_defaults
from core.errors import SiamTrackError


def test_shipped_defaults_load():
    defaults = load_defaults()
    assert defaults.tracker == "siamfc" and 0 < defaults.overlay_opacity <= 1


def test_unknown_default_keys_are_rejected(tmp_path):
    path = tmp_path / "defaults.json"
    path.write_text(json.dumps({"window_width": 100, "colour": "red"}))
    with pytest.raises(SiamTrackError, match="colour"):
        load_defaults(path)


def test_recent_sources_are_unique_newest_first_and_bounded():
    settings = AppSettings(defaults=Defaults(max_recent_sources=3))
    for spec in ["a", "b", "c", "a", "d"]:
        settings.add_recent_source(spec)
    assert AppSettings().recent_sources() == ["d", "a", "c"]
    settings.clear_recent_sources()
    assert AppSettings().recent_sources() == []


def test_tracker_choice_round_trips():
    choice = TrackerChoice("csrt", "/models/m.safetensors", "5s", "cpu", "fp32")
    AppSettings().set_tracker_choice(choice)
    assert AppSettings().tracker_choice() == choice


def test_the_window_remembers_the_choice_and_overlay(qtbot, make_window):
    window = make_window()
    window.model_panel.preset.setCurrentIndex(window.model_panel.preset.findData("5s"))
    window.model_panel.device.setCurrentIndex(window.model_panel.device.findData("cpu"))
    window.actions["toggle_overlay"].setChecked(False)
    window.overlay_controls.opacity_slider.setValue(70)
    window.close()
    again = make_window()
    assert again.models.choice.preset == "5s" and again.models.choice.device == "cpu"
    assert again.model_panel.preset.currentData() == "5s"
    assert not again.actions["toggle_overlay"].isChecked()
    assert again.overlay.opacity() == pytest.approx(0.70)


def test_recent_menu_lists_opened_sources(qtbot, window, bag_video):
    open_and_wait(qtbot, window, bag_video)
    texts = [action.text() for action in window.recent_menu.actions()]
    assert "bag.avi" in texts
