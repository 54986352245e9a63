"""How fast frame sources deliver frames: sequential, random access and backward, as JSON.

    .venv/bin/python bench/decode_speed.py [--video PATH] [--folder PATH] [--random-reads N]

Defaults: ../shared/data/videos/bag.avi and ../shared/data/sequences/vot15_ball1/img (set
SIAMTRACK_SHARED_DATA to move them). Random reads and backward iteration use a source without a frame cache,
so they measure decoding, not the cache. "opencv_sequential_fps" is cv2.VideoCapture reading the same video
in order, for reference.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import time
from pathlib import Path

import cv2

from core.sources import ImageFolderSource, PrefetchingReader, VideoFileSource

SHARED_DATA = Path(
    os.environ.get("SIAMTRACK_SHARED_DATA", Path(__file__).resolve().parent.parent.parent / "shared" / "data")
)


def frames_per_second(count: int, seconds: float) -> float:
    return round(count / seconds, 1) if seconds > 0 else float("inf")


def timed(function) -> tuple[int, float]:
    start = time.perf_counter()
    count = function()
    return count, time.perf_counter() - start


def measure(open_source, random_reads: int, seed: int = 0) -> dict:
    start = time.perf_counter()
    with open_source(cache_bytes=0) as source:
        open_seconds = time.perf_counter() - start
        last = source.frame_count - 1
        rng = random.Random(seed)
        indices = [rng.randrange(source.frame_count) for _ in range(random_reads)]
        sequential = timed(lambda: sum(1 for _ in source.frames()))
        prefetched = timed(lambda: sum(1 for _ in PrefetchingReader(source)))
        backward = timed(lambda: sum(1 for _ in source.frames(last, step=-1)))
        random_access = timed(lambda: sum(1 for index in indices if source.read(index) is not None))
        return {
            "source": source.description,
            "open_s": round(open_seconds, 3),
            "sequential_fps": frames_per_second(*sequential),
            "prefetched_sequential_fps": frames_per_second(*prefetched),
            "backward_fps": frames_per_second(*backward),
            "random_read_fps": frames_per_second(*random_access),
            "random_reads": random_reads,
        }


def opencv_sequential_fps(path: Path) -> float:
    def read_all() -> int:
        capture = cv2.VideoCapture(str(path))
        count = 0
        while capture.read()[0]:
            count += 1
        capture.release()
        return count

    return frames_per_second(*timed(read_all))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--video", type=Path, default=SHARED_DATA / "videos" / "bag.avi")
    parser.add_argument("--folder", type=Path, default=SHARED_DATA / "sequences" / "vot15_ball1" / "img")
    parser.add_argument("--random-reads", type=int, default=100)
    args = parser.parse_args()
    results = {
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "opencv": cv2.__version__},
        "video": measure(lambda **kw: VideoFileSource(args.video, **kw), args.random_reads),
        "folder": measure(lambda **kw: ImageFolderSource(args.folder, **kw), args.random_reads),
    }
    results["video"]["opencv_sequential_fps"] = opencv_sequential_fps(args.video)
    print(json.dumps(results, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
