"""Fixtures shared by the execution-path tests: a SiamFC AlexNet with non-trivial batch norm, a random
frame, the CFNet model and real frames of vot15_bag."""
import cv2
import numpy as np
import pytest
import torch

from core.models import load_model
from core.models.checkpoint import Model
from core.network import build_network
from core.sequences import load_sequence


@pytest.fixture(scope="session")
def alexnet_model():
    torch.manual_seed(0)
    net = build_network("siamfc-alexnet")
    for module in net.modules():  # non-trivial batch-norm statistics, so that folding is exercised
        if isinstance(module, torch.nn.BatchNorm2d):
            module.running_mean.normal_(0, 0.5)
            module.running_var.uniform_(0.5, 2.0)
            module.weight.data.uniform_(0.5, 1.5)
            module.bias.data.normal_(0, 0.2)
    return Model(net.eval(), "siamfc-alexnet")


@pytest.fixture(scope="session")
def frame():
    rng = np.random.default_rng(0)
    return rng.integers(0, 256, size=(240, 320, 3), dtype=np.uint8)


@pytest.fixture(scope="session")
def cfnet_model(cfnet_weights):
    return load_model(cfnet_weights)


@pytest.fixture(scope="session")
def bag(shared_data):
    """vot15_bag: the sequence and its first 16 frames (RGB)."""
    seq = load_sequence(shared_data / "sequences" / "vot15_bag")
    frames = [cv2.cvtColor(cv2.imread(str(p)), cv2.COLOR_BGR2RGB) for p in seq.frames[:16]]
    return seq, frames
