"""SiamTrack's Qt-free core: network, trackers, frame sources, annotations, evaluation."""
