"""Widgets: layout and drawing only; the logic lives in app/controllers."""
