"""Which objects are selected (in the objects panel, on the frame, on the timeline) and which one is current:
the one whose box is editable on the frame and whose scores the plot shows."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QObject, Signal


class Selection(QObject):
    changed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ids: tuple[int, ...] = ()
        self._current: int | None = None

    @property
    def ids(self) -> tuple[int, ...]:
        return self._ids

    @property
    def current(self) -> int | None:
        return self._current

    def set(self, ids: Iterable[int], current: int | None = None) -> None:
        """Select these objects (in this order); `current` defaults to the first of them."""
        ids = tuple(dict.fromkeys(ids))
        if current not in ids:
            current = ids[0] if ids else None
        if (ids, current) != (self._ids, self._current):
            self._ids, self._current = ids, current
            self.changed.emit()

    def select(self, track_id: int, extend: bool = False) -> None:
        """Click: select only this object; with `extend` (Ctrl), add it or take it out of the selection."""
        if not extend:
            self.set([track_id], track_id)
        elif track_id in self._ids:
            self.set([i for i in self._ids if i != track_id])
        else:
            self.set([*self._ids, track_id], track_id)

    def clear(self) -> None:
        self.set(())

    def retain(self, existing: Iterable[int]) -> None:
        """Forget objects that no longer exist."""
        keep = set(existing)
        current = self._current if self._current in keep else None
        self.set([i for i in self._ids if i in keep], current)
