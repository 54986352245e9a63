"""Progress reports: one JSON object per line, for the application's training panel and for scripts.

Every object has "event" and "time" (seconds since the epoch); the kinds and their main fields:
  start       config, device, precision, workers, threads, dataset (counts of trajectories, crops,
              train/val), steps_per_epoch, resumed_from (epoch or null), init (layers copied by --init)
  curate      done, total: frames cropped so far while building the crop cache (before "start";
              at most one per percent)
  step        epoch, step, steps, global_step, loss, lr, pairs_per_s, eta_s
  epoch       epoch, epochs, train_loss, val_loss, val_center_error_px, lr, pairs_per_s, eta_s, seconds
  checkpoint  epoch, path (the resumable checkpoint), model (the epoch's tracker model), best (bool)
  done        epochs, model (final tracker model), best_model, best_epoch, seconds
  stopped     epoch (last completed), checkpoint (or null): the run was asked to stop (SIGTERM)
  error       message
Epochs count from 1 in reports.
"""

from __future__ import annotations

import json
import math
import sys
import time
from collections.abc import Callable
from typing import IO, Any


class EventLog:
    """Writes each event as one line and flushes it, so a reading process sees it at once."""

    def __init__(
        self, stream: IO[str] | None = None, listener: Callable[[dict[str, Any]], None] | None = None
    ):
        self.stream = sys.stdout if stream is None else stream
        self.listener = listener

    def emit(self, event: str, **fields: Any) -> dict[str, Any]:
        record = {"event": event, "time": round(time.time(), 3), **{k: _plain(v) for k, v in fields.items()}}
        self.stream.write(json.dumps(record) + "\n")
        self.stream.flush()
        if self.listener is not None:
            self.listener(record)
        return record


def _plain(value: Any) -> Any:
    if isinstance(value, float):
        return float(f"{value:.7g}") if math.isfinite(value) else None  # 7 significant digits
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (str, int, bool)) or value is None:
        return value
    return str(value)
