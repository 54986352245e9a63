"""Where every frame of a video lies, found by demuxing the whole file once (packets only, no decoding).

Frame i is the i-th frame in presentation order, i.e. the packet with the i-th smallest presentation
timestamp (pts). Container headers are not trusted for the count: it is the number of packets. Seeking goes
to the keyframe at or before a frame and decodes forward, identifying decoded frames by their pts.

Files whose packets lack a pts, or repeat one, cannot be indexed this way; their index is "untimed" and the
decoder numbers frames by counting from the start instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True)
class VideoIndex:
    pts: np.ndarray  # (N,) int64 presentation timestamps, ascending; empty when untimed
    keyframes: np.ndarray  # ascending frame indices a decoder can start from; always holds 0
    packet_count: int
    _index_of_pts: dict[int, int] = field(repr=False, compare=False, default_factory=dict)

    @property
    def timed(self) -> bool:
        return len(self.pts) == self.packet_count

    def index_of(self, pts: int | None) -> int | None:
        return None if pts is None else self._index_of_pts.get(int(pts))

    def keyframe_at_or_before(self, index: int) -> int:
        return int(self.keyframes[np.searchsorted(self.keyframes, index, side="right") - 1])

    def keyframe_before(self, index: int) -> int:
        """The keyframe strictly before `index` (or 0): where to retry when a seek lands too late."""
        return self.keyframe_at_or_before(max(index - 1, 0))


def build_index(packets) -> VideoIndex:
    """From an iterable of demuxed packets with .pts, .size, .is_keyframe and .is_discard."""
    pts: list[int | None] = []
    key_pts: list[int] = []
    for packet in packets:
        if packet.size == 0 or packet.is_discard:  # flush packets; frames an edit list cuts away
            continue
        pts.append(packet.pts)
        if packet.is_keyframe and packet.pts is not None:
            key_pts.append(packet.pts)
    if any(p is None for p in pts) or len(set(pts)) != len(pts):
        return VideoIndex(np.zeros(0, np.int64), np.zeros(1, np.int64), len(pts))
    ordered = np.array(sorted(pts), dtype=np.int64)
    keyframes = np.unique(np.concatenate([[0], np.searchsorted(ordered, key_pts)])).astype(np.int64)
    return VideoIndex(ordered, keyframes, len(pts), {int(p): i for i, p in enumerate(ordered)})
