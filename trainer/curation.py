"""Curating a dataset into a crop cache: every usable frame is cropped ONCE around its target.

Each crop is the 255x255 search region of SiamFC centred on the target, in which the target with its
context margin (context * (w + h), squared up) spans 127 pixels; the part outside the frame is filled
with the frame's mean colour (core.crop, the tracker's own crop function). Crops are JPEG-encoded and
packed into one file; an index beside it (.npz, no pickles) holds each crop's byte range, its target box
in crop coordinates, its source frame number, its trajectory, and its frame's mean colour (to pad any
later resampling with the same colour).

A cache is keyed by the crop settings, the box filter and the dataset's content (relative frame paths,
boxes, frame numbers), so it is reused by later runs on the same data and rebuilt when any of them
changes. Image files edited in place without any change of annotation are not noticed: pass
--rebuild-cache then. A cache is self-contained: training can run from it alone (format "crops").
"""

from __future__ import annotations

import hashlib
import io
import json
import multiprocessing
import signal
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from core.atomic import atomic_open, atomic_write_bytes
from core.boxes import Box
from core.crop import crop_square, mean_colour
from core.errors import FormatError, SiamTrackError
from core.sources import open_source, read_image
from trainer.datasets.base import BoxFilter, Trajectory

CACHE_VERSION = 1
INDEX_SUFFIX = ".index.npz"
PACK_SUFFIX = ".crops"

# Workers start fresh ("spawn"): a forked copy of a process whose OpenCV or OpenMP thread pools have run
# can deadlock on the first parallel call.
WORKER_START_METHOD = "spawn"

Progress = Callable[[int, int], None]
ShouldStop = Callable[[], bool]


class CurationStopped(SiamTrackError):
    """Curation was asked to stop; nothing was written."""


@dataclass(frozen=True)
class CropSettings:
    crop_size: int = 255  # the stored search region
    exemplar_size: int = 127  # the target's context region inside it
    context: float = 0.5
    jpeg_quality: int = 90

    def search_side(self, box: Box) -> float:
        """Side in frame pixels of the crop around this box."""
        _, _, w, h = box
        margin = self.context * (w + h)
        return float(np.sqrt((w + margin) * (h + margin))) * self.crop_size / self.exemplar_size


@dataclass(frozen=True)
class TrajectoryInfo:
    name: str
    video: str
    class_name: str


class CropCache:
    """The curated crops of one dataset, read lazily from the pack file (safe to hand to worker processes)."""

    def __init__(self, index_path: Path) -> None:
        self.index_path = Path(index_path)
        self.pack_path = _pack_path_for(self.index_path)
        try:
            with np.load(self.index_path, allow_pickle=False) as data:
                arrays = {name: data[name] for name in data.files}
            self.meta: dict[str, Any] = json.loads(arrays.pop("meta").tobytes().decode("utf-8"))
        except (OSError, ValueError, KeyError) as exc:
            raise FormatError(f"{self.index_path} is not a SiamTrack crop cache ({exc})") from None
        if self.meta.get("version") != CACHE_VERSION:
            raise FormatError(
                f"{self.index_path.name}: crop cache version {self.meta.get('version')} is not supported"
            )
        self.offsets = arrays["offsets"]
        self.lengths = arrays["lengths"]
        self.boxes = arrays["boxes"]  # (N, 4) float32, target box in crop pixels
        self.frame_numbers = arrays["frame_numbers"]
        self.fills = arrays["fills"]  # (N, 3) float32, mean colour of the source frame
        self.starts = arrays["trajectory_starts"]  # (T + 1,) crops of trajectory t are starts[t]:starts[t+1]
        self.settings = CropSettings(**self.meta["settings"])
        self.trajectories = [TrajectoryInfo(**t) for t in self.meta["trajectories"]]
        if not self.pack_path.is_file() or self.pack_path.stat().st_size != self.meta["pack_size"]:
            raise FormatError(f"{self.pack_path} is missing or incomplete; rebuild the crop cache")
        self._pack: np.memmap | None = None

    def __len__(self) -> int:
        return len(self.offsets)

    def __getstate__(self) -> dict[str, Any]:
        return {**self.__dict__, "_pack": None}

    def crop_range(self, trajectory: int) -> range:
        return range(int(self.starts[trajectory]), int(self.starts[trajectory + 1]))

    def encoded(self, index: int) -> bytes:
        if self._pack is None:
            self._pack = np.memmap(self.pack_path, dtype=np.uint8, mode="r")
        start = int(self.offsets[index])
        return self._pack[start : start + int(self.lengths[index])].tobytes()

    def image(self, index: int) -> np.ndarray:
        """The crop as an RGB uint8 array (crop_size x crop_size x 3)."""
        bgr = cv2.imdecode(np.frombuffer(self.encoded(index), dtype=np.uint8), cv2.IMREAD_COLOR)
        if bgr is None:
            raise FormatError(
                f"{self.pack_path.name}: crop {index} cannot be decoded; rebuild the crop cache"
            )
        return cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)


def cache_key(
    trajectories: Sequence[Trajectory], root: Path, settings: CropSettings, box_filter: BoxFilter, source: str
) -> str:
    digest = hashlib.sha256()
    header = {
        "version": CACHE_VERSION,
        "settings": asdict(settings),
        "filter": asdict(box_filter),
        "source": source,
    }
    digest.update(json.dumps(header, sort_keys=True).encode())
    for t in trajectories:
        digest.update(json.dumps([t.name, t.video, t.class_name]).encode())
        for f in t.frames:
            digest.update(f"{_relative(f.path, root)}|{f.source_index}|{f.box}|{f.frame_number};".encode())
    return digest.hexdigest()


def open_or_build_cache(
    trajectories: Sequence[Trajectory],
    root: Path,
    cache_dir: Path,
    source: str,
    settings: CropSettings,
    box_filter: BoxFilter,
    workers: int = 0,
    rebuild: bool = False,
    progress: Progress | None = None,
    should_stop: ShouldStop | None = None,
) -> tuple[CropCache, bool]:
    """The cache for these trajectories, building it when missing or stale. Returns (cache, was_built)."""
    key = cache_key(trajectories, root, settings, box_filter, source)
    stem = f"{_slug(source)}-{key[:16]}"
    index_path = Path(cache_dir) / f"{stem}{INDEX_SUFFIX}"
    if index_path.is_file() and not rebuild:
        try:
            cache = CropCache(index_path)
            if cache.meta.get("key") == key:
                return cache, False
        except FormatError:
            pass  # damaged or incomplete: build it again
    build_cache(
        trajectories, root, index_path, key, source, settings, box_filter, workers, progress, should_stop
    )
    return CropCache(index_path), True


def build_cache(
    trajectories: Sequence[Trajectory],
    root: Path,
    index_path: Path,
    key: str,
    source: str,
    settings: CropSettings,
    box_filter: BoxFilter,
    workers: int = 0,
    progress: Progress | None = None,
    should_stop: ShouldStop | None = None,
) -> None:
    tasks = _tasks(trajectories)
    total = sum(len(targets) for _, reads in tasks for _, targets in reads)
    records: list[tuple[int, int, int, int, Box, tuple[float, float, float], int]] = []
    offset = 0
    done = 0
    with atomic_open(_pack_path_for(index_path), "wb") as pack:
        for results in _run_tasks(tasks, settings, box_filter, workers):
            for t_index, f_index, data, crop_box, fill in results:
                done += 1
                if data is None:
                    continue
                pack.write(data)
                frame_number = trajectories[t_index].frames[f_index].frame_number
                records.append((t_index, f_index, offset, len(data), crop_box, fill, frame_number))
                offset += len(data)
            if progress is not None:
                progress(done, total)
            if should_stop is not None and should_stop():
                raise CurationStopped("stopped while curating the crop cache; nothing was written")
    records.sort(key=lambda r: (r[0], r[1]))
    counts = np.bincount([r[0] for r in records], minlength=len(trajectories))
    meta = {
        "version": CACHE_VERSION,
        "key": key,
        "source": source,
        "root": str(root),
        "settings": asdict(settings),
        "filter": asdict(box_filter),
        "pack_size": offset,
        "annotated_frames": total,
        "trajectories": [asdict(TrajectoryInfo(t.name, t.video, t.class_name)) for t in trajectories],
    }
    arrays = {
        "offsets": np.array([r[2] for r in records], dtype=np.int64),
        "lengths": np.array([r[3] for r in records], dtype=np.int64),
        "boxes": np.array([r[4] for r in records], dtype=np.float32).reshape(-1, 4),
        "fills": np.array([r[5] for r in records], dtype=np.float32).reshape(-1, 3),
        "frame_numbers": np.array([r[6] for r in records], dtype=np.int64),
        "trajectory_starts": np.concatenate([[0], np.cumsum(counts)]).astype(np.int64),
        "meta": np.frombuffer(json.dumps(meta).encode("utf-8"), dtype=np.uint8),
    }
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    atomic_write_bytes(index_path, buffer.getvalue())


def crop_around(frame: np.ndarray, box: Box, settings: CropSettings, fill) -> tuple[np.ndarray, Box]:
    """The search-region crop centred on the box, and the box in crop coordinates."""
    x, y, w, h = box
    side = settings.search_side(box)
    crop = crop_square(frame, (x + w / 2, y + h / 2), side, settings.crop_size, fill)
    scale = settings.crop_size / side
    left, top = x + w / 2 - side / 2, y + h / 2 - side / 2
    return crop, ((x - left) * scale, (y - top) * scale, w * scale, h * scale)


# --- work done in the worker processes -------------------------------------------------------------------

Targets = list[tuple[int, int, Box]]  # (trajectory, frame, box) of every target in one image
Task = tuple[str, list[tuple[int | None, Targets]]]  # path, [(index in the source at path or None, targets)]
Result = tuple[int, int, bytes | None, Box | None, tuple[float, float, float] | None]
SOURCE_FRAMES_PER_TASK = 128


def _crop_task(task: Task, settings: CropSettings, box_filter: BoxFilter) -> list[Result]:
    path, reads = task
    if reads[0][0] is None:
        return _crop_targets(read_image(Path(path)), reads[0][1], settings, box_filter, path)
    with open_source(path) as source:
        return [
            r
            for index, targets in reads
            for r in _crop_targets(source.read(index), targets, settings, box_filter, path)
        ]


def _crop_targets(
    frame: np.ndarray, targets: Targets, settings: CropSettings, box_filter: BoxFilter, path: str
) -> list[Result]:
    height, width = frame.shape[:2]
    fill = mean_colour(frame)
    results: list[Result] = []
    for t_index, f_index, box in targets:
        if not box_filter.accepts(box, width, height):
            results.append((t_index, f_index, None, None, None))
            continue
        crop, crop_box = crop_around(frame, box, settings, fill)
        ok, encoded = cv2.imencode(
            ".jpg", cv2.cvtColor(crop, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, settings.jpeg_quality]
        )
        if not ok:
            raise FormatError(f"cannot encode a crop of {path}")
        results.append((t_index, f_index, encoded.tobytes(), crop_box, tuple(float(v) for v in fill)))
    return results


def worker_setup(*_: object) -> None:
    """In a worker process: one OpenCV thread, and the default reaction to signals (the parent's handlers,
    inherited through fork, would keep a worker alive when its pool terminates it)."""
    cv2.setNumThreads(1)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole group; the parent decides


class _Cropper:
    def __init__(self, settings: CropSettings, box_filter: BoxFilter) -> None:
        self.settings = settings
        self.box_filter = box_filter

    def __call__(self, task: Task) -> list[Result]:
        return _crop_task(task, self.settings, self.box_filter)


def _run_tasks(
    tasks: list[Task], settings: CropSettings, box_filter: BoxFilter, workers: int
) -> Iterator[list[Result]]:
    cropper = _Cropper(settings, box_filter)
    if workers <= 0 or len(tasks) < 2:
        yield from map(cropper, tasks)
        return
    with multiprocessing.get_context(WORKER_START_METHOD).Pool(workers, initializer=worker_setup) as pool:
        yield from pool.imap_unordered(cropper, tasks, chunksize=max(1, min(32, len(tasks) // (workers * 8))))


def _tasks(trajectories: Sequence[Trajectory]) -> list[Task]:
    """One task per image file, holding every annotated target of that image (each image is read once);
    frames of video files and folders opened as sources go in tasks of consecutive frames of one source."""
    images: dict[str, Targets] = {}
    sources: dict[str, dict[int, Targets]] = {}
    for t_index, t in enumerate(trajectories):
        for f_index, frame in enumerate(t.frames):
            if frame.box is None:
                continue
            target = (t_index, f_index, frame.box)
            if frame.source_index is None:
                images.setdefault(str(frame.path), []).append(target)
            else:
                sources.setdefault(str(frame.path), {}).setdefault(frame.source_index, []).append(target)
    tasks: list[Task] = [(path, [(None, targets)]) for path, targets in images.items()]
    for path, by_index in sources.items():
        reads = sorted(by_index.items())
        tasks += [
            (path, reads[i : i + SOURCE_FRAMES_PER_TASK])
            for i in range(0, len(reads), SOURCE_FRAMES_PER_TASK)
        ]
    return tasks


def _relative(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def _slug(text: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "-" for c in text)[:60] or "dataset"


def _pack_path_for(index_path: Path) -> Path:
    name = index_path.name
    stem = name[: -len(INDEX_SUFFIX)] if name.endswith(INDEX_SUFFIX) else index_path.stem
    return index_path.with_name(stem + PACK_SUFFIX)
