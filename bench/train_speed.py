"""Training throughput, as JSON: pairs per second of SiamTrack's training step and of its pair loading.

    .venv/bin/python bench/train_speed.py [--arch siamfc-alexnet] [--batch-size 8] [--steps 20] [--repeats 3]
                                          [--data DIR --format otb] [--cache-dir DIR]

"step": the trainer's own TrainStep (forward of exemplars 127 and searches 239, balanced logistic loss,
backward, SGD with momentum) on random batches, in fp32 and under bf16 autocast, channels-last as the
trainer runs it, on the CPU and on CUDA when available. Each figure is the best of `repeats` timings of
`steps` steps after warm-up steps. "loading": pairs per second that one process cuts from a crop cache
(decode two JPEGs, augment), measured when --data is given (the cache is built first if needed).
On a machine shared with other work the figures are rough; "load_average" says how busy it was. When
another program occupies a core, spinning OpenMP threads slow every step down: compare a run with
OMP_WAIT_POLICY=PASSIVE in the environment (what `python -m trainer` sets) and the 1-thread figure.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import tempfile
import time
from pathlib import Path

import torch

from core.engines.capabilities import cpu_description
from core.network import get_architecture
from trainer.config import TrainConfig
from trainer.data import prepare_data
from trainer.network_setup import initial_network, parameter_groups
from trainer.pairs import Augmentation, PairDataset, PairSampler
from trainer.step import TrainStep


def step_speed(
    arch: str,
    device: torch.device,
    dtype: torch.dtype | None,
    batch: int,
    steps: int,
    repeats: int,
    channels_last: bool = True,
) -> float:
    config = TrainConfig(arch=arch)
    net, _ = initial_network(arch, seed=0)
    net = net.to(device).train()
    if channels_last:
        net = net.to(memory_format=torch.channels_last)
    optimizer = torch.optim.SGD(parameter_groups(net, config.weight_decay), lr=1e-3, momentum=config.momentum)
    step = TrainStep(net, optimizer, device, dtype, channels_last, config.positive_radius)
    generator = torch.Generator().manual_seed(0)
    exemplars = torch.randint(0, 256, (batch, 127, 127, 3), dtype=torch.uint8, generator=generator)
    searches = torch.randint(0, 256, (batch, 239, 239, 3), dtype=torch.uint8, generator=generator)
    offsets = torch.zeros(batch, 2)
    positive = torch.ones(batch, dtype=torch.bool)
    for _ in range(3):
        step(exemplars, searches, offsets, positive)
    best = float("inf")
    for _ in range(repeats):
        _synchronize(device)
        start = time.perf_counter()
        for _ in range(steps):
            loss = step(exemplars, searches, offsets, positive)
        loss.item()
        _synchronize(device)
        best = min(best, time.perf_counter() - start)
    return round(steps * batch / best, 1)


def loading_speed(data: str, format_name: str, cache_dir: Path, pairs: int) -> dict:
    config = TrainConfig(data=str(Path(data).resolve()), format=format_name)
    prepared = prepare_data(config, cache_dir, workers=os.cpu_count() or 1)
    augmentation = Augmentation(config.stretch, config.shift, config.colour_jitter, config.grey_probability)
    dataset = PairDataset(
        PairSampler(prepared.cache, prepared.train, config.max_frame_gap),
        0,
        config.exemplar_size,
        config.search_size,
        augmentation,
    )
    dataset.pair(0, 0)
    start = time.perf_counter()
    for index in range(pairs):
        dataset[(0, index)]
    seconds = time.perf_counter() - start
    return {
        "pairs_per_s_one_process": round(pairs / seconds, 1),
        "crops": len(prepared.cache),
        "cache_mib": round(prepared.cache.pack_path.stat().st_size / 2**20, 1),
    }


def _synchronize(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--arch", default="siamfc-alexnet")
    parser.add_argument("--batch-size", type=int, default=8)
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--data", help="a dataset folder whose pair loading to measure too")
    parser.add_argument("--format", default="otb")
    parser.add_argument(
        "--cache-dir", type=Path, default=Path(tempfile.gettempdir()) / "siamtrack-bench-cache"
    )
    parser.add_argument("--loading-pairs", type=int, default=400)
    args = parser.parse_args()

    result: dict = {
        "arch": args.arch,
        "batch_size": args.batch_size,
        "response_size": get_architecture(args.arch).response_size(127, 239),
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
        "omp_wait_policy": os.environ.get("OMP_WAIT_POLICY", "(unset: active)"),
        "cpu": f"{platform.processor() or platform.machine()} ({cpu_description()})",
        "load_average": [round(v, 2) for v in os.getloadavg()],
        "step_pairs_per_s": {},
    }
    cpu = torch.device("cpu")
    speeds = result["step_pairs_per_s"]
    speeds["cpu_fp32"] = step_speed(args.arch, cpu, None, args.batch_size, args.steps, args.repeats)
    speeds["cpu_bf16_autocast"] = step_speed(
        args.arch, cpu, torch.bfloat16, args.batch_size, args.steps, args.repeats
    )
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    speeds["cpu_bf16_autocast_1_thread"] = step_speed(
        args.arch, cpu, torch.bfloat16, args.batch_size, args.steps, args.repeats
    )
    torch.set_num_threads(threads)
    speeds["cpu_fp32_contiguous"] = step_speed(
        args.arch, cpu, None, args.batch_size, args.steps, args.repeats, channels_last=False
    )
    if torch.cuda.is_available():
        cuda = torch.device("cuda")
        result["gpu"] = torch.cuda.get_device_name(cuda)
        steps = args.steps * 10
        speeds["cuda_fp32"] = step_speed(args.arch, cuda, None, args.batch_size, steps, args.repeats)
        speeds["cuda_bf16_autocast"] = step_speed(
            args.arch, cuda, torch.bfloat16, args.batch_size, steps, args.repeats
        )
    if args.data:
        result["loading"] = loading_speed(args.data, args.format, args.cache_dir, args.loading_pairs)
    result["load_average_after"] = [round(v, 2) for v in os.getloadavg()]
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
