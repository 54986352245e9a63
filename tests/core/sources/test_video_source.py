"""VideoFileSource: exact frame-index access, checked against sequential decoding."""

from __future__ import annotations

import random
import shutil
import threading

import av
import cv2
import numpy as np
import pytest
from source_samples import (
    FRAMES_PER_VIDEO,
    HEIGHT,
    OPEN_GOP_OPTIONS,
    VIDEO_KINDS,
    WIDTH,
    frame_number,
    pattern_frame,
    write_with_pyav,
)

from core.errors import SourceError
from core.sources import FrameSource, VideoFileSource

BAG_FRAMES = 196


def sequential(source: VideoFileSource) -> list[np.ndarray]:
    pairs = list(source.frames())
    assert [index for index, _ in pairs] == list(range(source.frame_count))
    return [frame for _, frame in pairs]


def test_bag_random_backward_and_repeated_reads_equal_one_sequential_pass(bag_video):
    with VideoFileSource(bag_video) as source:
        reference = sequential(source)
    assert len(reference) == BAG_FRAMES
    order = list(range(BAG_FRAMES))
    random.Random(7).shuffle(order)
    with VideoFileSource(bag_video, cache_bytes=0) as source:  # no cache: every read decodes
        for index in order + [5, 5, 190, 3, 190]:
            assert np.array_equal(source.read(index), reference[index]), f"frame {index}"
        for index in range(BAG_FRAMES - 1, -1, -1):
            assert np.array_equal(source.read(index), reference[index]), f"frame {index} (backwards)"
        backward = list(source.frames(BAG_FRAMES - 1, step=-1))
    assert [index for index, _ in backward] == list(range(BAG_FRAMES - 1, -1, -1))
    assert all(np.array_equal(frame, reference[index]) for index, frame in backward)


def test_bag_frames_are_those_of_an_independent_sequential_decoder(bag_video, bag_frames):
    """OpenCV's own sequential decode: frame i read by index is nearer its frame i than any neighbour."""
    assert len(bag_frames) == BAG_FRAMES
    with VideoFileSource(bag_video) as source:
        for index in random.Random(3).sample(range(BAG_FRAMES), 40):
            frame = source.read(index).astype(np.int16)
            window = range(max(index - 2, 0), min(index + 3, BAG_FRAMES))
            distances = {j: np.abs(frame - bag_frames[j]).mean() for j in window}
            assert min(distances, key=distances.get) == index
            assert distances[index] < 1.0


def test_bag_properties(bag_video):
    with VideoFileSource(bag_video) as source:
        assert isinstance(source, FrameSource)
        assert (source.frame_count, source.fps, source.frame_size, source.is_live) == (
            BAG_FRAMES,
            25.0,
            (480, 360),
            False,
        )
        assert source.description == "bag.avi — 480×360, 25 fps, 196 frames"
        frame = source.read(0)
        assert frame.dtype == np.uint8 and frame.shape == (360, 480, 3) and frame.flags.c_contiguous


def test_generated_videos_read_exactly_in_any_order(generated_video):
    with VideoFileSource(generated_video) as source:
        assert source.frame_count == FRAMES_PER_VIDEO
        assert source.frame_size == (WIDTH, HEIGHT)
        reference = sequential(source)
    assert [frame_number(frame) for frame in reference] == list(range(FRAMES_PER_VIDEO))
    distances = [np.abs(reference[17].astype(int) - pattern_frame(j)).mean() for j in range(FRAMES_PER_VIDEO)]
    assert int(np.argmin(distances)) == 17  # the whole picture matches, not just the bars
    order = list(range(FRAMES_PER_VIDEO)) * 2
    random.Random(11).shuffle(order)
    with VideoFileSource(generated_video, cache_bytes=0) as source:
        for index in order:
            assert np.array_equal(source.read(index), reference[index]), f"frame {index}"
        backward = list(source.frames(FRAMES_PER_VIDEO - 1, step=-1))
        assert [i for i, _ in backward] == list(range(FRAMES_PER_VIDEO - 1, -1, -1))
        assert all(np.array_equal(frame, reference[i]) for i, frame in backward)


def test_open_gop_video_really_has_leading_pictures(tmp_path):
    """Guards the open-GOP case above: some frames follow their keyframe in decode order but precede it."""
    path = write_with_pyav(tmp_path / "open.mkv", "libx264", FRAMES_PER_VIDEO, OPEN_GOP_OPTIONS)
    with av.open(str(path)) as container:
        packets = [(p.pts, p.is_keyframe) for p in container.demux(video=0) if p.size]
    later_keyframes = [pts for pts, key in packets if key][1:]
    leading = [
        pts for (pts, _), (key_pts, key) in zip(packets[1:], packets) if key and pts < key_pts
    ]  # right after
    assert later_keyframes and leading


def test_raw_stream_really_has_no_timestamps(tmp_path):
    """Guards the raw-h264 case above, where frames are numbered by counting from the start."""
    name, write = VIDEO_KINDS["raw-h264-no-timestamps.h264"]
    with av.open(str(write(tmp_path / name, 10))) as container:
        assert all(p.pts is None for p in container.demux(video=0) if p.size)


def test_ranges_steps_and_bounds(short_video):
    with VideoFileSource(short_video) as source:
        reference = sequential(source)
        assert [i for i, _ in source.frames(3, 20, 4)] == [3, 7, 11, 15, 19]
        assert [i for i, _ in source.frames(30, 11, -7)] == [30, 23, 16]
        assert [i for i, _ in source.frames(12, 9, -1)] == [12, 11, 10]
        assert [i for i, _ in source.frames(37, 1000)] == [37, 38, 39]
        assert [i for i, _ in source.frames(0, step=-1)] == [0]
        assert all(np.array_equal(f, reference[i]) for i, f in source.frames(30, 11, -7))
        for bad in (FRAMES_PER_VIDEO, -1):
            with pytest.raises(IndexError):
                source.read(bad)
            with pytest.raises(IndexError):
                source.frames(bad)
        with pytest.raises(ValueError):
            source.frames(0, step=0)


def test_frames_are_read_only_and_cached(short_video):
    with VideoFileSource(short_video) as source:
        frame = source.read(9)
        with pytest.raises(ValueError):
            frame[0, 0, 0] = 1
        assert source.read(9) is frame
        assert source.read(8) is not None and source.read(9) is frame


def test_reads_from_another_thread_while_iterating_stay_exact(short_video):
    with VideoFileSource(short_video) as source:
        reference = sequential(source)
    errors: list[str] = []
    with VideoFileSource(short_video, cache_bytes=0) as source:

        def iterate_backward() -> None:
            for _ in range(3):
                for index, frame in source.frames(FRAMES_PER_VIDEO - 1, step=-1):
                    if not np.array_equal(frame, reference[index]):
                        errors.append(f"backward {index}")

        thread = threading.Thread(target=iterate_backward)
        thread.start()
        for index in random.Random(5).choices(range(FRAMES_PER_VIDEO), k=120):
            if not np.array_equal(source.read(index), reference[index]):
                errors.append(f"read {index}")
        thread.join()
    assert errors == []


def test_rotated_video_is_turned_upright_like_opencv_does(tmp_path):
    path = write_with_pyav(tmp_path / "rotated.mp4", "libx264", 6, rotation=90)
    with VideoFileSource(path) as source:
        assert source.frame_size == (HEIGHT, WIDTH)
        frame = source.read(3)
    capture = cv2.VideoCapture(str(path))  # OpenCV applies the display rotation by default
    for _ in range(4):
        ok, expected = capture.read()
    capture.release()
    assert ok and frame.shape == expected.shape
    assert np.abs(frame.astype(int) - cv2.cvtColor(expected, cv2.COLOR_BGR2RGB)).mean() < 2


def test_frame_count_comes_from_the_packets_when_the_header_lies(bag_video, tmp_path):
    data = bytearray(bag_video.read_bytes())
    claimed = (500).to_bytes(4, "little")
    avih, strh = data.find(b"avih"), data.find(b"strh")
    data[avih + 24 : avih + 28] = claimed  # dwTotalFrames
    data[strh + 40 : strh + 44] = claimed  # dwLength of the video stream
    path = tmp_path / "lying.avi"
    path.write_bytes(bytes(data))
    with av.open(str(path)) as container:
        assert container.streams.video[0].frames == 500  # the header does claim 500
    with VideoFileSource(path) as source:
        assert source.frame_count == BAG_FRAMES
        assert source.read(BAG_FRAMES - 1).shape == (360, 480, 3)
        with pytest.raises(IndexError):
            source.read(BAG_FRAMES)


def test_truncated_video_keeps_its_intact_frames_and_reports_the_broken_one(bag_video, tmp_path):
    data = bag_video.read_bytes()
    path = tmp_path / "truncated.avi"
    path.write_bytes(data[: len(data) // 2])
    with VideoFileSource(bag_video) as original:
        reference = sequential(original)
    with VideoFileSource(path) as source:
        count = source.frame_count
        assert 0 < count < BAG_FRAMES
        assert np.array_equal(source.read(count - 2), reference[count - 2])
        with pytest.raises(SourceError, match=r"truncated\.avi: frame \d+ cannot be decoded"):
            source.read(count - 1)
        seen = []
        with pytest.raises(SourceError):
            for index, frame in source.frames(count - 30):
                assert np.array_equal(frame, reference[index])
                seen.append(index)
        assert seen == list(range(count - 30, count - 1))
        with pytest.raises(SourceError):
            next(source.frames(count - 1, step=-1))


def test_video_cut_inside_its_header_is_refused(bag_video, tmp_path):
    path = tmp_path / "stub.avi"
    path.write_bytes(bag_video.read_bytes()[:3000])
    with pytest.raises(SourceError, match="stub.avi"):
        VideoFileSource(path)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("notes.mp4", b"this is a text file, not a video\n" * 20, "cannot open notes.mp4 as a video"),
        ("empty.avi", b"", "cannot open empty.avi as a video"),
    ],
)
def test_files_that_are_not_videos_raise_source_error(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(SourceError, match=message):
        VideoFileSource(path)


def test_missing_video_raises_source_error(tmp_path):
    with pytest.raises(SourceError, match="video file not found"):
        VideoFileSource(tmp_path / "missing.mp4")


def test_audio_only_file_raises_source_error(tmp_path):
    path = tmp_path / "tone.wav"
    with av.open(str(path), "w") as container:
        stream = container.add_stream("pcm_s16le", rate=8000)
        frame = av.AudioFrame.from_ndarray(np.zeros((1, 800), np.int16), format="s16", layout="mono")
        frame.sample_rate = 8000
        for packet in stream.encode(frame):
            container.mux(packet)
    with pytest.raises(SourceError, match="no video stream"):
        VideoFileSource(path)


def test_closed_source_refuses_reads(short_video):
    source = VideoFileSource(short_video)
    source.read(1)
    source.close()
    with pytest.raises(SourceError, match="closed"):
        source.read(20)


def test_copy_with_unknown_suffix_still_decodes(bag_video, tmp_path):
    path = tmp_path / "bag.data"
    shutil.copyfile(bag_video, path)
    with VideoFileSource(path) as source:
        assert source.frame_count == BAG_FRAMES
