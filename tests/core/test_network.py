import numpy as np
import pytest
import torch

from core.network import ARCHITECTURES, build_network, cross_correlate


def brute_force_xcorr(z: np.ndarray, x: np.ndarray) -> np.ndarray:
    h, w = z.shape[1:]
    _, big_h, big_w = x.shape
    out = np.zeros((big_h - h + 1, big_w - w + 1))
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            out[i, j] = (z * x[:, i : i + h, j : j + w]).sum()
    return out


def test_cross_correlation_equals_brute_force_loop():
    gen = torch.Generator().manual_seed(0)
    exemplars = torch.randn(2, 4, 3, 3, generator=gen, dtype=torch.float64)
    searches = torch.randn(6, 4, 9, 8, generator=gen, dtype=torch.float64)  # 3 search images per exemplar
    out = cross_correlate(exemplars, searches)
    assert out.shape == (6, 1, 7, 6)
    for row in range(6):
        expected = brute_force_xcorr(exemplars[row // 3].numpy(), searches[row].numpy())
        np.testing.assert_allclose(out[row, 0].numpy(), expected, rtol=1e-10, atol=1e-10)


def test_cross_correlation_rejects_mismatched_shapes():
    with pytest.raises(ValueError):
        cross_correlate(torch.zeros(2, 4, 3, 3), torch.zeros(3, 4, 9, 9))


@pytest.mark.parametrize(
    "name, exemplar_shape, search_shape, response",
    [("siamfc-alexnet", (256, 6, 6), (256, 22, 22), 17), ("cfnet-baseline-conv3", (32, 21, 21), (32, 53, 53), 33)],
)
def test_architecture_shapes(name, exemplar_shape, search_shape, response):
    net = build_network(name).eval()
    with torch.no_grad():
        z = net.embed(torch.zeros(1, 3, 127, 127))
        x = net.embed(torch.zeros(3, 3, 255, 255))
        r = net.correlate(z, x)
    assert z.shape[1:] == exemplar_shape
    assert x.shape[1:] == search_shape
    assert r.shape == (3, 1, response, response)
    assert ARCHITECTURES[name].response_size() == response


def test_alexnet_matches_the_paper_table():
    net = build_network("siamfc-alexnet")
    convs = [m for m in net.backbone.modules() if isinstance(m, torch.nn.Conv2d)]
    assert [(c.in_channels, c.out_channels, c.kernel_size[0], c.stride[0], c.groups) for c in convs] == [
        (3, 96, 11, 2, 1), (96, 256, 5, 1, 2), (256, 384, 3, 1, 1), (384, 384, 3, 1, 2), (384, 256, 3, 1, 2)]
    assert all(c.padding == (0, 0) for c in convs)
    assert net.gain.item() == pytest.approx(0.001) and not net.gain.requires_grad
    assert net.bias.requires_grad


def test_network_is_translation_equivariant():
    """Shifting the search image by the total stride shifts the response by exactly one cell."""
    torch.manual_seed(0)
    net = build_network("siamfc-alexnet").eval()
    big = torch.rand(1, 3, 255 + 8, 255 + 8) * 255
    z = torch.rand(1, 3, 127, 127) * 255
    with torch.no_grad():
        r0 = net(z, big[..., :255, :255])
        r1 = net(z, big[..., 8:, 8:])
    torch.testing.assert_close(r0[..., 1:, 1:], r1[..., :-1, :-1], rtol=1e-4, atol=1e-6)
