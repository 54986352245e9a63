"""Embedding networks. No padding anywhere, so the embedding is fully convolutional and translation-equivariant."""
from __future__ import annotations

from torch import nn


def conv_bn_relu(c_in: int, c_out: int, kernel: int, stride: int = 1, groups: int = 1) -> nn.Sequential:
    return nn.Sequential(
        nn.Conv2d(c_in, c_out, kernel, stride, groups=groups),
        nn.BatchNorm2d(c_out),
        nn.ReLU(inplace=True),
    )


class AlexNetSiamFC(nn.Sequential):
    """The SiamFC embedding (Table I of the paper) with batch norm; total stride 8, 256 channels.

    127x127 exemplar -> 6x6x256, 255x255 search image -> 22x22x256.
    """

    total_stride = 8

    def __init__(self) -> None:
        super().__init__()
        self.conv1 = conv_bn_relu(3, 96, 11, stride=2)
        self.pool1 = nn.MaxPool2d(3, 2)
        self.conv2 = conv_bn_relu(96, 256, 5, groups=2)
        self.pool2 = nn.MaxPool2d(3, 2)
        self.conv3 = conv_bn_relu(256, 384, 3)
        self.conv4 = conv_bn_relu(384, 384, 3, groups=2)
        self.conv5 = nn.Sequential(nn.Conv2d(384, 256, 3, groups=2))


class BaselineConv3(nn.Sequential):
    """The CFNet release's 'baseline-conv3' embedding; total stride 4, 32 channels.

    127x127 exemplar -> 21x21x32, 255x255 search image -> 53x53x32 (response 33x33).
    """

    total_stride = 4

    def __init__(self) -> None:
        super().__init__()
        self.conv1 = conv_bn_relu(3, 96, 11, stride=2)
        self.pool1 = nn.MaxPool2d(3, 2)
        self.conv2 = conv_bn_relu(96, 256, 5, groups=2)
        self.pool2 = nn.MaxPool2d(3, 1)
        self.conv3 = conv_bn_relu(256, 32, 3)
