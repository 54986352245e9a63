"""Tracking speed of every execution path, with the accuracy check beside each figure, as one JSON document.

    .venv/bin/python bench/track_speed.py [--model FILE] [--arch siamfc-alexnet|none] [--paths fp32,cuda]
        [--presets 3s,5s] [--targets 1,32] [--sequence-frames N] [--multi-frames N] [--quick]

What is timed: SiamFCMultiTracker.update on frames already decoded in memory (crops, network, decision,
new boxes), without maps (want_maps=False, as a batch run needs none). The first updates after each
initialisation are warm-up and not timed (on CUDA they include capturing the CUDA graph).

- 1 target: ms per frame and fps over the shared sequences (../shared/data/sequences), each tracked from its
  first ground-truth box, and beside it the mean success AUC over those sequences (OTB: the mean over IoU
  thresholds 0, 0.05, ..., 1 of the fraction of frames with IoU above it; frames without ground truth left
  out). --sequence-frames limits each sequence to its first N frames (default: all on a CUDA machine, 50 on
  a CPU-only one, so that a full CPU run stays under 15 minutes); the AUC is then over those frames only.
  --quick skips the AUC and times 12 frames of vot15_bag.
- 32 targets (any count > 1): ms per frame and target-frames per second on vot15_bag's first
  --multi-frames frames, with 32 boxes (the bag and 31 fixed boxes spread over the frame), and beside it
  the agreement with the fp32 path's boxes for the same targets: mean and max centre distance (px) and
  mean IoU ("vs_fp32"; 1 target has it too). It needs fp32 among the paths (it runs first).
- The model (--model, else the bundled one, else the CFNet baseline-conv3 weights from the shared data) is
  timed and checked; --arch times that architecture with random weights as well, speed only (the speed
  targets are stated for SiamFC AlexNet).
- Decoding: frames per second of ../shared/data/videos/bag.avi alone (open_source + frames()), to show
  whether decoding could be what limits a tracking run.
- Paths: fp32, fp32-fast, bf16 (by default only where the CPU has AMX or AVX-512 BF16), onnxruntime (when
  installed) on the CPU; cuda (fp16, CUDA graphs), cuda-eager (the same without graphs) and fp32-cuda (the
  reference path with its tensors on the GPU) when CUDA is present; device-cpu (the cuda path's code run
  eagerly on the CPU) only when asked for. Paths asked for with --paths that this machine cannot run are
  listed with the reason.

Timings depend on everything else the machine runs: take them on an otherwise idle machine.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from core.boxes import center_distance, iou
from core.config import TrackerConfig
from core.device import resolve_device
from core.engines import DeviceEngine, Engine, auto_engine_name, bf16_verified, create_engine
from core.engines.capabilities import cpu_description, cpu_has_fast_bf16
from core.engines.onnx_engine import onnxruntime_available
from core.errors import SiamTrackError, WeightsError
from core.evaluation.metrics import area_under_curve, frame_overlaps, success_curve
from core.models import Model, load_model
from core.models.checkpoint import read_header
from core.network import build_network
from core.resources import bundled_model_path
from core.sequences import Sequence, load_sequence
from core.sources import open_source, read_image
from core.tracking import SiamFCMultiTracker, siamfc_config

SHARED_DATA = Path(
    os.environ.get("SIAMTRACK_SHARED_DATA", Path(__file__).resolve().parent.parent.parent / "shared" / "data")
)
CFNET = SHARED_DATA / "weights" / "cfnet" / "baseline-conv3-on-cfnet-conv3_e100.mat"
MULTI_SEQUENCE = "vot15_bag"
QUICK_FRAMES = 12


@dataclass(frozen=True)
class ExecutionPath:
    build: Callable[[Model], Engine]
    available: Callable[[], bool]
    default: Callable[[], bool]  # run when --paths is not given
    warmup_updates: int  # untimed updates after each initialisation
    unavailable_reason: str = ""


def execution_paths() -> dict[str, ExecutionPath]:
    """Every path the script knows, fp32 first: it is the reference the others are compared with."""
    always, cuda = _always, torch.cuda.is_available
    return {
        "fp32": ExecutionPath(lambda m: create_engine(m, "cpu", "fp32"), always, always, 1),
        "fp32-fast": ExecutionPath(lambda m: create_engine(m, "cpu", "fp32-fast"), always, always, 1),
        "bf16": ExecutionPath(lambda m: create_engine(m, "cpu", "bf16"), always, cpu_has_fast_bf16, 1),
        "onnxruntime": ExecutionPath(
            lambda m: create_engine(m, "cpu", "onnxruntime"), onnxruntime_available, onnxruntime_available, 1,
            "onnxruntime is not installed",
        ),
        "cuda": ExecutionPath(lambda m: create_engine(m, "cuda", "cuda"), cuda, cuda, 3, "no CUDA device"),
        "cuda-eager": ExecutionPath(
            lambda m: DeviceEngine(m.net, torch.device("cuda"), torch.float16, use_graphs=False,
                                   name="cuda without CUDA graphs (fp16, eager)"),
            cuda, cuda, 3, "no CUDA device",
        ),
        "fp32-cuda": ExecutionPath(
            lambda m: create_engine(m, "cuda", "fp32"), cuda, cuda, 3, "no CUDA device"),
        # the cuda path's code run eagerly on the CPU, on request only: shows what the CPU makes of it
        "device-cpu": ExecutionPath(
            lambda m: DeviceEngine(m.net, torch.device("cpu"), torch.float32), always, _never, 1),
    }


def _always() -> bool:
    return True


def _never() -> bool:
    return False


# --- inputs ------------------------------------------------------------------------------------------------


def load_main_model(path: str | None) -> tuple[Model, str]:
    if path:
        return load_model(path), f"--model {path}"
    try:
        return load_model(None), "the bundled model"
    except WeightsError:
        if not CFNET.is_file():
            raise SiamTrackError(f"no model is bundled and {CFNET} is missing; pass --model FILE") from None
        return load_model(CFNET), f"no model is bundled: fell back to the CFNet weights {CFNET.name}"


def random_model(architecture: str) -> Model:
    torch.manual_seed(0)
    return Model(build_network(architecture).eval(), architecture)


def load_frames(sequence: Sequence, limit: int | None) -> tuple[list[np.ndarray], np.ndarray]:
    count = len(sequence) if not limit else min(limit, len(sequence))
    return [read_image(path) for path in sequence.frames[:count]], sequence.boxes[:count]


def multi_target_boxes(first_box: np.ndarray, frame_shape: tuple, count: int) -> list[tuple]:
    """The ground-truth box and count - 1 fixed boxes spread over the frame (same for every path)."""
    rng = np.random.default_rng(0)
    height, width = frame_shape[:2]
    boxes = [tuple(float(v) for v in first_box)]
    for _ in range(count - 1):
        w, h = rng.uniform(25, 90, size=2)
        x, y = rng.uniform(0, width - w), rng.uniform(0, height - h)
        boxes.append((float(x), float(y), float(w), float(h)))
    return boxes


# --- measuring ---------------------------------------------------------------------------------------------


def run_tracker(engine: Engine, config: TrackerConfig, frames: list[np.ndarray], boxes: list[tuple],
                warmup: int) -> tuple[np.ndarray, float, int]:
    """Track from frames[0]: boxes (frames, targets, 4) including the first, timed seconds, timed updates."""
    tracker = SiamFCMultiTracker(engine, config, want_maps=False)
    tracker.init(frames[0], boxes)
    track = [np.array(boxes, dtype=np.float64)]
    seconds, timed = 0.0, 0
    for index, frame in enumerate(frames[1:]):
        start = time.perf_counter()
        results = tracker.update(frame)
        if index >= warmup:
            seconds += time.perf_counter() - start
            timed += 1
        track.append(np.array([r.box for r in results]))
    return np.stack(track), seconds, timed


def speed(seconds: float, updates: int, targets: int) -> dict:
    if updates == 0 or seconds <= 0:
        return {"timed_frames": updates}
    figures = {"ms_per_frame": round(1000 * seconds / updates, 3), "timed_frames": updates}
    key = "fps" if targets == 1 else "target_frames_per_s"
    figures[key] = round(updates * targets / seconds, 1)
    return figures


def agreement(boxes: np.ndarray, reference: np.ndarray) -> dict:
    """Boxes of the tracked frames (not the initial ones) against the fp32 path's."""
    ours, theirs = boxes.reshape(-1, 4), reference.reshape(-1, 4)
    distances = center_distance(ours, theirs)
    return {
        "mean_center_px": round(float(distances.mean()), 3),
        "max_center_px": round(float(distances.max()), 3),
        "mean_iou": round(float(iou(ours, theirs).mean()), 4),
    }


def one_target(engine: Engine, config: TrackerConfig, clips: dict, warmup: int, with_auc: bool,
               reference: dict | None) -> tuple[dict, dict]:
    """Every clip tracked from its first box: the figures, and the tracks (a reference for the others)."""
    seconds, updates, aucs, tracks = 0.0, 0, {}, {}
    for name, (frames, truth) in clips.items():
        track, clip_seconds, clip_updates = run_tracker(engine, config, frames, [tuple(truth[0])], warmup)
        seconds, updates = seconds + clip_seconds, updates + clip_updates
        tracks[name] = track
        if with_auc:
            aucs[name] = round(area_under_curve(success_curve(frame_overlaps(track[:, 0], truth))), 4)
    figures = speed(seconds, updates, 1)
    if with_auc:
        figures["success_auc"] = round(float(np.mean(list(aucs.values()))), 4)
        figures["success_auc_per_sequence"] = aucs
    if reference is not None:
        figures["vs_fp32"] = agreement(np.concatenate([track[1:] for track in tracks.values()]),
                                       np.concatenate([reference[name][1:] for name in tracks]))
    return figures, tracks


def many_targets(engine: Engine, config: TrackerConfig, frames: list[np.ndarray], boxes: list[tuple],
                 warmup: int, reference: np.ndarray | None) -> tuple[dict, np.ndarray]:
    track, seconds, updates = run_tracker(engine, config, frames, boxes, warmup)
    figures = speed(seconds, updates, len(boxes))
    if reference is not None:
        figures["vs_fp32"] = agreement(track[1:], reference[1:])
    return figures, track


def measure_model(model: Model, paths: dict[str, ExecutionPath], presets: list[str], targets: list[int],
                  clips: dict, multi_frames: list[np.ndarray], first_box: np.ndarray, with_auc: bool,
                  compare: bool) -> dict:
    """{preset: {path: {"engine", "1_target", "32_targets"}}}. with_auc: success AUC for 1 target; compare:
    agreement with the fp32 path's boxes (when fp32 is among the paths: it runs first)."""
    results: dict = {}
    for preset in presets:
        config = siamfc_config(model, preset)
        references: dict = {}
        results[preset] = {}
        for name, path in paths.items():
            engine = path.build(model)
            entry: dict = {"engine": engine.name}
            for count in targets:
                if count == 1:
                    figures, tracks = one_target(engine, config, clips, path.warmup_updates, with_auc,
                                                 references.get(1) if compare else None)
                else:
                    boxes = multi_target_boxes(first_box, multi_frames[0].shape, count)
                    figures, tracks = many_targets(engine, config, multi_frames, boxes, path.warmup_updates,
                                                   references.get(count) if compare else None)
                if name == "fp32":
                    references[count] = tracks
                entry[f"{count}_target" if count == 1 else f"{count}_targets"] = figures
            results[preset][name] = entry
    return results


def decoding(video: Path) -> dict:
    if not video.is_file():
        return {"skipped": f"{video} not found"}
    with open_source(video) as source:
        start = time.perf_counter()
        count = sum(1 for _ in source.frames())
        seconds = time.perf_counter() - start
        return {"video": source.description, "frames": count, "fps": round(count / seconds, 1)}


def machine() -> dict:
    model_name = next(
        (line.split(":", 1)[1].strip() for line in _cpuinfo_lines() if line.startswith("model name")),
        platform.processor() or platform.machine(),
    )
    return {
        "cpu": model_name,
        "cpu_features": cpu_description(),
        "cores": os.cpu_count(),
        "torch_threads": torch.get_num_threads(),
        "torch": torch.__version__,
        "cuda_device": torch.cuda.get_device_name(0) if torch.cuda.is_available() else None,
        "auto_path": auto_engine_name(resolve_device("auto")),
        "auto_path_bundled_model": auto_engine_name(resolve_device("auto"), _bundled_model_verified_bf16()),
        "python": platform.python_version(),
    }


def _bundled_model_verified_bf16() -> bool:
    path = bundled_model_path()
    return path is not None and bf16_verified(read_header(path).get("info", {}))


def _cpuinfo_lines() -> list[str]:
    try:
        return Path("/proc/cpuinfo").read_text().splitlines()
    except OSError:
        return []


# --- command line ------------------------------------------------------------------------------------------


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", help="model file (default: the bundled model, else the CFNet weights)")
    parser.add_argument("--arch", default="siamfc-alexnet",
                        help="also time this architecture with random weights, speed only ('none' to skip)")
    parser.add_argument("--paths", help="comma-separated execution paths (default: all this machine runs)")
    parser.add_argument("--presets", default="3s,5s")
    parser.add_argument("--targets", default="1,32", help="comma-separated target counts")
    parser.add_argument("--sequence-frames", type=int,
                        help="first N frames of each sequence for 1 target (default: all with CUDA, else 50)")
    parser.add_argument("--multi-frames", type=int,
                        help="frames of vot15_bag for many targets (default: 60 with CUDA, else 4)")
    parser.add_argument("--quick", action="store_true",
                        help=f"no AUC: 1 target on {QUICK_FRAMES} frames only")
    return parser.parse_args(argv)


def chosen_paths(names: str | None) -> tuple[dict[str, ExecutionPath], dict[str, str]]:
    known = execution_paths()
    if names is None:
        return {n: p for n, p in known.items() if p.available() and p.default()}, {}
    wanted = [n.strip() for n in names.split(",") if n.strip()]
    unknown = [n for n in wanted if n not in known]
    if unknown:
        raise SiamTrackError(f"unknown path(s) {', '.join(unknown)}; known: {', '.join(known)}")
    runnable = {n: p for n, p in known.items() if n in wanted and p.available()}
    skipped = {n: known[n].unavailable_reason for n in wanted if n not in runnable}
    return runnable, skipped


def main(argv: list[str] | None = None) -> dict:
    started = time.perf_counter()
    args = parse_arguments(argv)
    has_cuda = torch.cuda.is_available()
    paths, skipped = chosen_paths(args.paths)
    presets = [p.strip() for p in args.presets.split(",") if p.strip()]
    targets = sorted({int(t) for t in args.targets.split(",") if t.strip()})
    sequence_frames = args.sequence_frames if args.sequence_frames is not None else (0 if has_cuda else 50)
    multi_count = args.multi_frames or (60 if has_cuda else 4)

    if not (SHARED_DATA / "sequences" / MULTI_SEQUENCE).is_dir():
        raise SiamTrackError(f"the shared sequences are not at {SHARED_DATA} (set SIAMTRACK_SHARED_DATA)")
    folders = sorted(d for d in (SHARED_DATA / "sequences").iterdir() if d.is_dir())
    sequences = {d.name: load_sequence(d) for d in folders}
    bag = sequences[MULTI_SEQUENCE]
    speed_clip = {MULTI_SEQUENCE: load_frames(bag, QUICK_FRAMES)}
    clips = speed_clip if args.quick else {
        name: load_frames(seq, sequence_frames) for name, seq in sequences.items()
    }
    multi_frames = load_frames(bag, multi_count)[0]
    model, model_note = load_main_model(args.model)

    report: dict = {
        "machine": machine(),
        "decoding": decoding(SHARED_DATA / "videos" / "bag.avi"),
        "settings": {
            "quick": args.quick,
            "presets": presets,
            "targets": targets,
            "one_target_frames": {name: len(frames) for name, (frames, _) in clips.items()},
            "many_target_frames": len(multi_frames),
            "timed": "SiamFCMultiTracker.update, decoded frames in memory, no maps returned",
        },
        "skipped_paths": skipped,
        "models": [{
            "model": model_note,
            "architecture": model.architecture,
            "results": measure_model(model, paths, presets, targets, clips, multi_frames, bag.boxes[0],
                                     with_auc=not args.quick, compare=True),
        }],
    }
    if args.arch.lower() != "none":
        report["models"].append({
            "model": f"{args.arch} with random weights (speed only)",
            "architecture": args.arch,
            "results": measure_model(random_model(args.arch), paths, presets, targets, speed_clip,
                                     multi_frames, bag.boxes[0], with_auc=False, compare=False),
        })
    if not has_cuda:
        report["gpu"] = "no CUDA device on this machine: the cuda paths were not measured"
    report["run_seconds"] = round(time.perf_counter() - started, 1)
    return report


if __name__ == "__main__":
    try:
        print(json.dumps(main(), indent=2, ensure_ascii=False))
    except SiamTrackError as error:
        print(f"track_speed: {error}", file=sys.stderr)
        sys.exit(2)
