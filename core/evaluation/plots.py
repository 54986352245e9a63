"""Evaluation plots as PNG bytes (matplotlib's Agg canvas; no pyplot, so no global figure state).

Every function takes {tracker label: values} and a colour per label so one tracker keeps its colour on
every plot of a report.
"""
from __future__ import annotations

import io
import math
from collections.abc import Mapping

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from core.evaluation import metrics

SIZE = (5.6, 4.2)
DPI = 110
PALETTE = ("#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#7f7f7f",
           "#bcbd22")


def colours(labels: list[str]) -> dict[str, str]:
    return {label: PALETTE[i % len(PALETTE)] for i, label in enumerate(labels)}


def success_plot(curves: Mapping[str, np.ndarray], colour: Mapping[str, str], title: str) -> bytes:
    """OTB success plot; the legend gives each tracker's AUC, best first."""
    ranked = _ranked({k: metrics.area_under_curve(v) for k, v in curves.items()})
    figure, axes = _figure()
    for label, auc in ranked:
        axes.plot(metrics.OVERLAP_THRESHOLDS, curves[label], color=colour[label], lw=2, label=f"{label} [{auc:.3f}]")
    _finish(axes, title, "Overlap threshold", "Success rate", (0, 1), legend_loc="lower left")
    return _png(figure)


def precision_plot(curves: Mapping[str, np.ndarray], colour: Mapping[str, str], title: str) -> bytes:
    """OTB precision plot; the legend gives each tracker's precision at 20 px, best first."""
    ranked = _ranked({k: metrics.precision_at(v) for k, v in curves.items()})
    figure, axes = _figure()
    for label, value in ranked:
        axes.plot(metrics.ERROR_THRESHOLDS, curves[label], color=colour[label], lw=2, label=f"{label} [{value:.3f}]")
    axes.axvline(metrics.PRECISION_PIXELS, color="#999999", lw=0.8, ls=":")
    _finish(axes, title, "Location error threshold (px)", "Precision", (0, metrics.ERROR_THRESHOLDS[-1]),
            legend_loc="lower right")
    return _png(figure)


def accuracy_robustness_plot(points: Mapping[str, tuple[float, float]], colour: Mapping[str, str], title: str) -> bytes:
    """VOT AR plot: failures per sequence (x, fewer to the right) against accuracy (y); best is top right."""
    figure, axes = _figure()
    finite = [(f, a) for f, a in points.values() if not (math.isnan(f) or math.isnan(a))]
    for label, (failures, accuracy) in points.items():
        if math.isnan(failures) or math.isnan(accuracy):
            continue
        axes.scatter([failures], [accuracy], s=70, color=colour[label], edgecolor="black", zorder=3, label=label)
    worst = max([f for f, _ in finite] + [1.0])
    axes.set_xlim(worst * 1.1, -worst * 0.05)  # inverted: robust trackers sit on the right
    axes.set_ylim(0, 1.02)
    _finish(axes, title, "Failures per sequence (fewer →)", "Accuracy", None, legend_loc="lower left")
    return _png(figure)


def eao_ranking_plot(eao: Mapping[str, float], colour: Mapping[str, str], title: str) -> bytes:
    """Horizontal bars, best tracker on top."""
    ranked = [(k, v) for k, v in _ranked(eao) if not math.isnan(v)]
    figure, axes = _figure(height=max(1.8, 0.5 * len(ranked) + 1.2))
    labels = [k for k, _ in ranked][::-1]
    values = [v for _, v in ranked][::-1]
    axes.barh(labels, values, color=[colour[k] for k in labels], edgecolor="black")
    for y, value in enumerate(values):
        axes.text(value + 0.01, y, f"{value:.3f}", va="center")
    axes.set_xlim(0, max(values + [0.5]) * 1.2)
    axes.set_xlabel("Expected average overlap")
    axes.set_title(title)
    axes.grid(axis="x", alpha=0.3)
    return _png(figure)


def eao_curve_plot(curves: Mapping[str, np.ndarray], colour: Mapping[str, str], interval: tuple[int, int],
                   title: str) -> bytes:
    """Expected overlap against sequence length, the averaging interval shaded."""
    figure, axes = _figure()
    axes.axvspan(interval[0], interval[1], color="#dddddd", label=f"interval [{interval[0]}, {interval[1]}]")
    for label, curve in curves.items():
        axes.plot(np.arange(1, len(curve) + 1), curve, color=colour[label], lw=2, label=label)
    longest = max(len(c) for c in curves.values()) if curves else interval[1]
    _finish(axes, title, "Sequence length (frames)", "Expected average overlap", (1, longest), legend_loc="upper right")
    return _png(figure)


def _ranked(values: Mapping[str, float]) -> list[tuple[str, float]]:
    return sorted(values.items(), key=lambda kv: -kv[1] if not math.isnan(kv[1]) else math.inf)


def _figure(height: float = SIZE[1]):
    figure = Figure(figsize=(SIZE[0], height), dpi=DPI)
    FigureCanvasAgg(figure)
    return figure, figure.add_subplot(1, 1, 1)


def _finish(axes, title: str, xlabel: str, ylabel: str, xlim, legend_loc: str) -> None:
    axes.set_title(title)
    axes.set_xlabel(xlabel)
    axes.set_ylabel(ylabel)
    if xlim is not None:
        axes.set_xlim(*xlim)
        axes.set_ylim(0, 1.02)  # a curve at 1.0 stays visible above the frame line
    axes.grid(alpha=0.3)
    if axes.get_legend_handles_labels()[0]:
        axes.legend(loc=legend_loc, fontsize=8, framealpha=0.9)


def _png(figure: Figure) -> bytes:
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()
