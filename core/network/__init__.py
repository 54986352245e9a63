"""Siamese networks: backbones, the cross-correlation head, and the architecture registry."""
from core.network.architectures import ARCHITECTURES, Architecture, build_network, get_architecture
from core.network.siamese import SiamNet, cross_correlate

__all__ = ["ARCHITECTURES", "Architecture", "SiamNet", "build_network", "cross_correlate", "get_architecture"]
