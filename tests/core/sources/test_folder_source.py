"""ImageFolderSource: natural order, every image type converted to RGB uint8, clear errors."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from core.errors import SourceError
from core.sources import FrameSource, ImageFolderSource, list_images, natural_key


def write_bgr(path: Path, image: np.ndarray) -> Path:
    assert cv2.imwrite(str(path), image), path
    return path


def solid_rgb(value: tuple[int, int, int], size: tuple[int, int] = (8, 6)) -> np.ndarray:
    return np.full((size[1], size[0], 3), value, np.uint8)


def test_natural_key_and_list_images_order(tmp_path):
    for name in ("frame10.png", "frame2.png", "Frame1.jpg", "frame02b.bmp", "notes.txt"):
        (tmp_path / name).write_bytes(b"")
    (tmp_path / "frame3.png").mkdir()
    assert [p.name for p in list_images(tmp_path)] == [
        "Frame1.jpg",
        "frame2.png",
        "frame02b.bmp",
        "frame10.png",
    ]
    assert sorted(["a10", "a9", "a100"], key=natural_key) == ["a9", "a10", "a100"]


def test_frames_follow_natural_order_across_suffixes(tmp_path):
    suffixes = ["jpg", "png", "bmp", "tif", "webp", "jpeg", "tiff"]
    for number, suffix in zip((1, 2, 3, 10, 11, 20, 100), suffixes):
        # lossless except jpeg: a solid colour survives jpeg closely enough
        write_bgr(tmp_path / f"frame{number}.{suffix}", np.full((6, 8, 3), (0, number, 200), np.uint8))
    with ImageFolderSource(tmp_path) as source:
        assert isinstance(source, FrameSource)
        assert source.frame_count == 7 and source.frame_size == (8, 6) and not source.is_live
        greens = [round(float(frame[..., 1].mean())) for _, frame in source.frames()]
        reds = {round(float(frame[..., 0].mean())) for _, frame in source.frames()}
    assert all(abs(g - n) <= 2 for g, n in zip(greens, (1, 2, 3, 10, 11, 20, 100))), greens
    assert max(abs(r - 200) for r in reds) <= 2  # BGR on disk → RGB in memory


def test_gray_rgba_and_16_bit_images_become_rgb_uint8(tmp_path):
    write_bgr(tmp_path / "0.png", np.full((6, 8, 3), (10, 20, 30), np.uint8))
    write_bgr(tmp_path / "1.png", np.full((6, 8), 77, np.uint8))  # gray
    write_bgr(tmp_path / "2.png", np.full((6, 8, 4), (10, 20, 30, 40), np.uint8))  # BGRA
    write_bgr(tmp_path / "3.png", np.full((6, 8), 65535, np.uint16))  # 16-bit gray
    write_bgr(tmp_path / "4.tif", np.full((6, 8, 3), (257 * 10, 257 * 20, 257 * 30), np.uint16))  # 16-bit BGR
    with ImageFolderSource(tmp_path) as source:
        frames = [source.read(i) for i in range(5)]
    for frame in frames:
        assert frame.dtype == np.uint8 and frame.shape == (6, 8, 3)
    assert frames[0][0, 0].tolist() == [30, 20, 10]
    assert frames[1][0, 0].tolist() == [77, 77, 77]
    assert frames[2][0, 0].tolist() == [30, 20, 10]
    assert frames[3][0, 0].tolist() == [255, 255, 255]
    assert frames[4][0, 0].tolist() == [30, 20, 10]


def test_random_and_backward_access(tmp_path):
    for number in range(12):
        write_bgr(tmp_path / f"{number}.png", np.full((4, 5, 3), number * 10, np.uint8))
    with ImageFolderSource(tmp_path, cache_bytes=0) as source:
        assert [int(source.read(i)[0, 0, 0]) for i in (7, 2, 11, 2, 0)] == [70, 20, 110, 20, 0]
        assert [(i, int(f[0, 0, 0])) for i, f in source.frames(5, step=-2)] == [(5, 50), (3, 30), (1, 10)]
        with pytest.raises(IndexError):
            source.read(12)
        with pytest.raises(IndexError):
            source.frames(-1)
    with pytest.raises(SourceError, match="closed"):
        source.read(0)


def test_unreadable_image_names_the_file(tmp_path):
    write_bgr(tmp_path / "frame1.png", solid_rgb((1, 2, 3)))
    (tmp_path / "frame2.png").write_bytes(b"not a png at all")
    with ImageFolderSource(tmp_path) as source:
        source.read(0)
        with pytest.raises(SourceError, match="frame2.png"):
            source.read(1)
        with pytest.raises(SourceError, match="frame2.png"):
            list(source.frames())


def test_first_image_unreadable_fails_at_open(tmp_path):
    (tmp_path / "a.jpg").write_bytes(b"")
    with pytest.raises(SourceError, match="a.jpg"):
        ImageFolderSource(tmp_path)


def test_image_of_another_size_is_reported(tmp_path):
    write_bgr(tmp_path / "1.png", solid_rgb((1, 2, 3), (8, 6)))
    write_bgr(tmp_path / "2.png", solid_rgb((1, 2, 3), (9, 6)))
    with ImageFolderSource(tmp_path) as source, pytest.raises(SourceError, match=r"2.png is 9×6, but .* 8×6"):
        source.read(1)


def test_empty_and_missing_folders(tmp_path):
    (tmp_path / "readme.txt").write_text("no images here")
    with pytest.raises(SourceError, match="no images"):
        ImageFolderSource(tmp_path)
    with pytest.raises(SourceError, match="not found"):
        ImageFolderSource(tmp_path / "missing")


def test_real_sequence_matches_opencv(shared_data):
    folder = shared_data / "sequences" / "vot15_ball1" / "img"
    with ImageFolderSource(folder, fps=30) as source:
        assert source.frame_count == 105 and source.frame_size == (1280, 720)
        assert source.description == "vot15_ball1/img — 1280×720, 30 fps, 105 images"
        expected = cv2.cvtColor(cv2.imread(str(list_images(folder)[42])), cv2.COLOR_BGR2RGB)
        assert np.array_equal(source.read(42), expected)
