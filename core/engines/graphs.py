"""A fixed-shape step, run eagerly until it has been warmed up, then replayed from a CUDA graph.

Why CUDA graphs captured by hand rather than torch.compile(mode="reduce-overhead"): the step's shapes are
known and static (one frame size, N targets, S scales), every operation in it is capturable, and a replay
then costs one launch instead of some forty kernel launches of Python-driven eager code, which at a
millisecond a frame is most of the time. torch.compile would add a compiler toolchain (Triton, a C++
compiler) that the packaged desktop application does not ship, tens of seconds of compilation for every
new target count, and its own recompilation rules; capturing by hand needs none of that and keeps eager
execution, unchanged, as the fallback and as the CPU path.
"""
from __future__ import annotations

import warnings
from collections.abc import Callable

import torch

Outputs = dict[str, torch.Tensor]


class CapturedStep:
    """Runs step() (which reads only fixed input tensors that the caller refills before every call).

    On CUDA, after `warmup_calls` eager calls it is captured once into a CUDA graph and every later call
    replays the graph, returning the same output tensors overwritten with the new results: read or copy
    them before the next call. If capture fails (a driver or an operation that does not support it), a
    warning says so and the step stays eager. On any other device it is always eager.
    """

    def __init__(
        self, step: Callable[[], Outputs], device: torch.device, use_graph: bool, warmup_calls: int = 2
    ) -> None:
        self._step = step
        self._device = device
        self._use_graph = use_graph and device.type == "cuda"
        self._warmup_calls = max(1, warmup_calls)
        self._calls = 0
        self._graph: torch.cuda.CUDAGraph | None = None
        self._outputs: Outputs | None = None

    @property
    def captured(self) -> bool:
        return self._graph is not None

    def __call__(self) -> Outputs:
        if self._graph is not None:
            self._graph.replay()
            return self._outputs
        outputs = self._step()
        self._calls += 1
        if self._use_graph and self._calls >= self._warmup_calls:
            self._capture()
        return outputs

    def _capture(self) -> None:
        try:
            # warm-up on a side stream, as capture asks: lazy initialisations must not happen while capturing
            side = torch.cuda.Stream(self._device)
            side.wait_stream(torch.cuda.current_stream(self._device))
            with torch.cuda.stream(side):
                self._step()
            torch.cuda.current_stream(self._device).wait_stream(side)
            graph = torch.cuda.CUDAGraph()
            # thread_local: other threads of the application may use CUDA while this one captures
            with torch.cuda.graph(graph, capture_error_mode="thread_local"):
                outputs = self._step()
        except RuntimeError as error:
            warnings.warn(f"CUDA graph capture failed, running this step eagerly: {error}", stacklevel=3)
            self._use_graph = False
            return
        self._graph, self._outputs = graph, outputs
