"""Other tools' annotation formats, by name. Each module holds one format's reader and writer; conventions
(1-based frames or pixels, corner boxes, class numbers) are converted there and nowhere else."""

from __future__ import annotations

from core.annotations.formats import coco_vid, cvat_video, imagenet_vid, mot, single_object, voc, yolo
from core.annotations.formats.base import AnnotationFormat
from core.errors import SiamTrackError

FORMATS: dict[str, AnnotationFormat] = {
    f.name: f
    for f in (
        mot.FORMAT,
        coco_vid.FORMAT,
        yolo.FORMAT,
        voc.FORMAT,
        cvat_video.FORMAT,
        single_object.GOT10K_FORMAT,
        single_object.OTB_FORMAT,
        imagenet_vid.FORMAT,
    )
}


def get_format(name: str) -> AnnotationFormat:
    try:
        return FORMATS[name]
    except KeyError:
        raise SiamTrackError(
            f"unknown annotation format {name!r}; choose one of {', '.join(FORMATS)}"
        ) from None


__all__ = ["FORMATS", "AnnotationFormat", "get_format"]
