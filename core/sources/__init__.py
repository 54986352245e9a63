"""Frame sources: video files, image folders and cameras behind one interface (see base.FrameSource)."""

from core.sources.base import FrameSource, frame_range
from core.sources.cache import FrameCache
from core.sources.folder import IMAGE_SUFFIXES, ImageFolderSource, list_images, natural_key, read_image
from core.sources.prefetch import PrefetchingReader
from core.sources.registry import SOURCE_KINDS, SourceKind, open_source
from core.sources.video import VIDEO_SUFFIXES, VideoFileSource
from core.sources.webcam import Capture, WebcamSource

__all__ = [
    "IMAGE_SUFFIXES",
    "SOURCE_KINDS",
    "VIDEO_SUFFIXES",
    "Capture",
    "FrameCache",
    "FrameSource",
    "ImageFolderSource",
    "PrefetchingReader",
    "SourceKind",
    "VideoFileSource",
    "WebcamSource",
    "frame_range",
    "list_images",
    "natural_key",
    "open_source",
    "read_image",
]
