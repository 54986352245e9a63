"""Test configuration shared by the whole suite: headless Qt, opt-in slow and GPU tests, the shared data."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

SHARED_DATA = Path(os.environ.get("SIAMTRACK_SHARED_DATA", Path(__file__).resolve().parent.parent / "shared" / "data"))


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--run-slow", action="store_true", help="run tests marked slow (packaging, long runs)")
    parser.addoption("--run-gpu", action="store_true", help="run tests marked gpu (need CUDA)")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    skip_slow = pytest.mark.skip(reason="slow test: run with --run-slow")
    skip_gpu = pytest.mark.skip(reason="GPU test: run with --run-gpu on a machine with CUDA")
    for item in items:
        if "slow" in item.keywords and not config.getoption("--run-slow"):
            item.add_marker(skip_slow)
        if "gpu" in item.keywords and not config.getoption("--run-gpu"):
            item.add_marker(skip_gpu)


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """../shared/data beside the checkout; tests that need it skip when it is absent."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"shared data not found at {SHARED_DATA} (set SIAMTRACK_SHARED_DATA)")
    return SHARED_DATA


@pytest.fixture(scope="session")
def cfnet_weights(shared_data: Path) -> Path:
    path = shared_data / "weights" / "cfnet" / "baseline-conv3-on-cfnet-conv3_e100.mat"
    if not path.is_file():
        pytest.skip(f"CFNet weights not found at {path}")
    return path
