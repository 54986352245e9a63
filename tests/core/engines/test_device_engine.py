"""The device engine (the CUDA path) run on the CPU: same maps, same decisions and same boxes as the
reference fp32 path. The same class runs on CUDA in the tests marked gpu."""
import dataclasses

import numpy as np
import pytest
import torch

from core.boxes import center_distance, iou
from core.config import PRESETS
from core.engines import DeviceEngine, create_engine
from core.engines.base import PeakSearch
from core.engines.graphs import CapturedStep
from core.engines.host_link import HostLink
from core.errors import SiamTrackError
from core.tracking import SiamFCMultiTracker, SiamFCTracker, siamfc_config
from core.tracking.response import cosine_window, locate_peaks

CPU = torch.device("cpu")
CENTERS = np.array([[150.0, 120.0], [60.0, 70.0], [300.0, 10.0]])  # the last one's crops leave the frame
EXEMPLAR_SIDES = np.array([60.0, 45.0, 80.0])
SIDES = np.array([[115.0, 120.0, 125.0], [88.0, 90.0, 92.0], [150.0, 160.0, 170.0]])


def maps_of(engine, frame):
    features = engine.exemplar_features(frame, CENTERS, EXEMPLAR_SIDES, 127)
    return features, engine.responses(frame, features, CENTERS, SIDES, 255)


@pytest.mark.parametrize(
    "dtype, tolerance", [(torch.float32, 3e-4), (torch.bfloat16, 3e-2), (torch.float16, 1e-2)]
)
def test_device_engine_responses_match_fp32(alexnet_model, frame, dtype, tolerance):
    _, reference = maps_of(create_engine(alexnet_model, "cpu", "fp32"), frame)
    _, device = maps_of(DeviceEngine(alexnet_model.net, CPU, dtype), frame)
    assert device.shape == reference.shape == (3, 3, 17, 17)
    assert device.dtype == np.float32
    assert np.abs(device - reference).max() <= tolerance * np.abs(reference).max()


@pytest.mark.parametrize("want_maps", [True, False])
def test_locate_is_responses_then_locate_peaks(alexnet_model, frame, want_maps):
    engine = DeviceEngine(alexnet_model.net, CPU, torch.float32)
    features, raw = maps_of(engine, frame)
    c = PRESETS["3s"]
    host = locate_peaks(raw, 16, c.scale_penalty, c.window_influence, cosine_window(272))
    search = PeakSearch(16, c.scale_penalty, c.window_influence)
    maps, peaks = engine.locate(frame, features, CENTERS, SIDES, 255, search, want_maps)
    np.testing.assert_array_equal(peaks.scale_index, host.scale_index)
    np.testing.assert_array_equal(peaks.position, host.position)
    np.testing.assert_allclose(peaks.contrast, host.contrast, rtol=1e-5)
    if want_maps:
        np.testing.assert_array_equal(maps, raw)
        assert np.abs(peaks.chosen - host.chosen).max() <= 1e-5 * np.abs(host.chosen).max()
    else:
        assert maps is None and peaks.chosen is None


def track(engine, model, frames, boxes, preset="3s", want_maps=True):
    tracker = SiamFCMultiTracker(engine, siamfc_config(model, preset), want_maps=want_maps)
    tracker.init(frames[0], boxes)
    return [tracker.update(f) for f in frames[1:]]


@pytest.fixture(scope="module")
def two_targets(cfnet_model, bag):
    """Two targets of vot15_bag (the bag and a patch of background) and their reference fp32 tracks."""
    seq, frames = bag
    boxes = [tuple(seq.boxes[0]), (30.0, 40.0, 60.0, 50.0)]
    return boxes, track(create_engine(cfnet_model, "cpu", "fp32"), cfnet_model, frames[:12], boxes)


@pytest.mark.parametrize("dtype", [torch.float32, torch.float16])
def test_tracker_boxes_match_the_reference_path(cfnet_model, bag, two_targets, dtype):
    boxes, reference = two_targets
    device = track(DeviceEngine(cfnet_model.net, CPU, dtype), cfnet_model, bag[1][:12], boxes)
    for target in range(len(boxes)):
        ours = np.array([frame_results[target].box for frame_results in device])
        theirs = np.array([frame_results[target].box for frame_results in reference])
        assert center_distance(ours, theirs).max() <= 1.0
        assert iou(ours, theirs).min() >= 0.98
    assert [r.scale_index for f in device for r in f] == [r.scale_index for f in reference for r in f]


def test_maps_come_back_only_when_wanted(cfnet_model, bag):
    seq, frames = bag
    engines = (DeviceEngine(cfnet_model.net, CPU, torch.float32), create_engine(cfnet_model, "cpu", "fp32"))
    for engine in engines:
        with_maps = track(engine, cfnet_model, frames[:2], [tuple(seq.boxes[0])])[0][0]
        without = track(engine, cfnet_model, frames[:2], [tuple(seq.boxes[0])], want_maps=False)[0][0]
        assert with_maps.response.shape == (33 * 16, 33 * 16)
        assert with_maps.scale_maps.shape == (3, 33, 33)
        assert without.response is None and without.scale_maps is None
        assert without.box == with_maps.box


def test_single_target_tracker_forwards_want_maps(cfnet_model, bag):
    seq, frames = bag
    tracker = SiamFCTracker(DeviceEngine(cfnet_model.net, CPU, torch.float32), siamfc_config(cfnet_model))
    tracker.want_maps = False
    tracker.init(frames[0], tuple(seq.boxes[0]))
    assert tracker.update(frames[1]).response is None


def test_targets_added_and_removed_keep_their_tracks(alexnet_model, frame):
    """Changing the number of targets changes the step's shape (a new static slot); with room for one slot
    only, every change evicts the previous one."""
    config = dataclasses.replace(PRESETS["3s"], window_influence=0.3)
    rng = np.random.default_rng(3)
    frames = [np.clip(frame.astype(int) + rng.integers(-20, 20, frame.shape), 0, 255).astype(np.uint8)
              for _ in range(5)]
    boxes = [(100.0, 80.0, 40.0, 30.0), (200.0, 150.0, 30.0, 50.0), (20.0, 20.0, 25.0, 25.0)]
    results = {}
    for name, engine in (("reference", create_engine(alexnet_model, "cpu", "fp32")),
                         ("device", DeviceEngine(alexnet_model.net, CPU, torch.float32, max_graphs=1))):
        tracker = SiamFCMultiTracker(engine, config, want_maps=False)
        tracker.init(frames[0], boxes[:2])
        steps = [tracker.update(frames[1])]
        tracker.add(frames[1], boxes[2])
        steps.append(tracker.update(frames[2]))
        tracker.remove(0)
        steps += [tracker.update(frames[3]), tracker.update(frames[4])]
        results[name] = [[r.box for r in step] for step in steps]
    assert [len(step) for step in results["device"]] == [2, 3, 2, 2]
    for ours, theirs in zip(results["device"], results["reference"]):
        assert center_distance(np.array(ours), np.array(theirs)).max() <= 1.0


def test_an_embedding_that_overflows_fp16_is_reported(alexnet_model, frame):
    net = dataclasses.replace(alexnet_model).net
    engine = DeviceEngine(net, CPU, torch.float16)
    with torch.no_grad():
        engine.net.backbone.conv1[0].weight.mul_(1e4)
    with pytest.raises(SiamTrackError, match="overflows"):
        engine.exemplar_features(frame, CENTERS, EXEMPLAR_SIDES, 127)


def test_host_link_round_trip_with_staging_reuse():
    link = HostLink(CPU)
    for shape in [(4, 5, 3), (4, 5, 3), (7, 2, 3)]:
        array = np.random.default_rng(len(shape)).integers(0, 256, size=shape).astype(np.uint8)
        params = np.random.default_rng(1).normal(size=(3, 5))
        frame_tensor = torch.empty(shape, dtype=torch.uint8)
        params_tensor = torch.empty((3, 5), dtype=torch.float32)
        link.upload([(array, frame_tensor), (params, params_tensor)])
        frame_back, params_back = link.download([frame_tensor, params_tensor])
        np.testing.assert_array_equal(frame_back, array)
        np.testing.assert_allclose(params_back, params.astype(np.float32))
        frame_tensor.zero_()  # what came back is a copy, not a view of a buffer that will be reused
        assert frame_back.any()


def test_captured_step_on_the_cpu_is_eager_and_reads_refilled_inputs():
    source = torch.zeros(3)
    step = CapturedStep(lambda: {"double": source * 2}, CPU, use_graph=True, warmup_calls=1)
    for value in range(4):
        source.fill_(value)
        assert step()["double"].tolist() == [2.0 * value] * 3
    assert not step.captured
