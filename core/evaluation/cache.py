"""A cache of tracker runs, one file per (tracker identity, sequence, protocol).

The key holds the tracker's identity (for SiamFC: the model file's hash and the preset), the sequence's
content (frame names and sizes, ground truth) and the protocol with its parameters; a report re-run after
adding a tracker computes only the new tracker's runs. A damaged or mismatching file counts as absent.
"""
from __future__ import annotations

import hashlib
import io
import json
import os
import re
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from core.atomic import atomic_write_bytes
from core.evaluation.runner import Trial
from core.sequences import Sequence

CACHE_FORMAT = 1


def default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "siamtrack" / "evaluation"


def sequence_identity(sequence: Sequence) -> dict[str, Any]:
    digest = hashlib.sha256()
    for path in sequence.frames:
        digest.update(f"{path.name}:{path.stat().st_size};".encode())
    digest.update(np.ascontiguousarray(sequence.boxes, dtype=np.float64).tobytes())
    return {"name": sequence.name, "frames": len(sequence), "content_sha256": digest.hexdigest()}


def run_key(tracker: Mapping[str, Any], sequence: Mapping[str, Any], protocol: str, parameters: Mapping[str, Any]) -> dict:
    return {
        "format": CACHE_FORMAT,
        "tracker": dict(tracker),
        "sequence": dict(sequence),
        "protocol": protocol,
        "parameters": dict(parameters),
    }


class RunCache:
    def __init__(self, directory: str | Path) -> None:
        self.directory = Path(directory)

    def path(self, key: Mapping[str, Any]) -> Path:
        text = _canonical(key)
        digest = hashlib.sha256(text.encode()).hexdigest()[:24]
        readable = re.sub(r"[^A-Za-z0-9_.-]+", "_", f"{key['sequence']['name']}-{key['protocol']}")
        return self.directory / f"{readable}-{digest}.npz"

    def load(self, key: Mapping[str, Any]) -> list[Trial] | None:
        path = self.path(key)
        try:
            with np.load(path, allow_pickle=False) as data:
                if str(data["key"]) != _canonical(key):
                    return None
                events = json.loads(str(data["events"]))
                return [
                    Trial(data["boxes"][i].copy(), data["times"][i].copy(), list(e["inits"]), list(e["failures"]))
                    for i, e in enumerate(events)
                ]
        except (OSError, KeyError, ValueError, IndexError, zipfile.BadZipFile, EOFError):
            return None

    def save(self, key: Mapping[str, Any], trials: list[Trial]) -> None:
        buffer = io.BytesIO()
        np.savez_compressed(
            buffer,
            key=np.array(_canonical(key)),
            events=np.array(json.dumps([{"inits": t.inits, "failures": t.failures} for t in trials])),
            boxes=np.stack([t.boxes for t in trials]),
            times=np.stack([t.times for t in trials]),
        )
        atomic_write_bytes(self.path(key), buffer.getvalue())


def _canonical(key: Mapping[str, Any]) -> str:
    return json.dumps(key, sort_keys=True, separators=(",", ":"))
