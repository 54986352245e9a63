"""Turning an EvaluationResult into what people read: a table (terminal / markdown), PNG plots, one
self-contained HTML page (plots embedded as base64 PNG) and JSON."""
from __future__ import annotations

import base64
import datetime
import html
import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.atomic import atomic_write_bytes, atomic_write_text
from core.evaluation import plots
from core.evaluation.results import EvaluationResult

MISSING = "—"


@dataclass(frozen=True)
class Column:
    protocol: str | None  # None: not tied to a protocol (speed)
    key: str
    header: str
    digits: int = 3
    higher_is_better: bool = True


# Table II of the SiamFC paper (accuracy, failures, EAO, speed) with the OTB scores beside it.
COLUMNS = (
    Column("vot", "accuracy", "Accuracy"),
    Column("vot", "failures", "Failures", digits=2, higher_is_better=False),
    Column("vot", "eao", "EAO"),
    Column("ope", "auc", "OPE AUC"),
    Column("ope", "precision20", "OPE P@20"),
    Column("tre", "auc", "TRE AUC"),
    Column("sre", "auc", "SRE AUC"),
    Column(None, "fps", "fps", digits=1),
)
RANKING_KEYS = (("vot", "eao"), ("ope", "auc"), ("tre", "auc"), ("sre", "auc"))


def columns_for(result: EvaluationResult) -> list[Column]:
    return [c for c in COLUMNS if c.protocol is None or c.protocol in result.protocols]


def overall_rows(result: EvaluationResult) -> list[tuple[str, dict[str, Any]]]:
    """(label, {column header: value}) per tracker, ranked by the first of EAO, OPE/TRE/SRE AUC present."""
    rows = [(label, _values(result, result.overall(label), result.timing(label).fps)) for label in result.labels]
    rank_by = next((f"{p}.{k}" for p, k in RANKING_KEYS if p in result.protocols), None)
    if rank_by is not None:
        header = next(c.header for c in columns_for(result) if f"{c.protocol}.{c.key}" == rank_by)
        rows.sort(key=lambda row: -_sortable(row[1][header]))
    return rows


def sequence_rows(result: EvaluationResult, sequence: str) -> list[tuple[str, dict[str, Any]]]:
    return [
        (label, _values(result, result.sequence_metrics(label, sequence), result.timing(label, sequence).fps))
        for label in result.labels
    ]


def markdown_table(result: EvaluationResult, rows: list[tuple[str, dict[str, Any]]], first: str = "Tracker") -> str:
    headers = [first] + [c.header for c in columns_for(result)]
    body = [[label] + [_format(values[c.header], c) for c in columns_for(result)] for label, values in rows]
    widths = [max(len(str(r[i])) for r in [headers] + body) for i in range(len(headers))]
    lines = [_md_line(headers, widths), "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    lines += [_md_line(r, widths) for r in body]
    return "\n".join(lines)


def terminal_report(result: EvaluationResult) -> str:
    """Per-sequence tables, then the overall one (markdown, so it can be pasted as it is)."""
    parts = []
    for name in result.sequence_names:
        frames = next(s["frames"] for s in result.sequences if s["name"] == name)
        parts.append(f"{name} ({frames} frames)\n" + markdown_table(result, sequence_rows(result, name)))
    low, high = result.eao_interval
    note = f" (EAO over sequence lengths {low}-{high})" if "vot" in result.protocols else ""
    parts.append(f"Overall, {len(result.sequences)} sequences{note}\n" + markdown_table(result, overall_rows(result)))
    return "\n\n".join(parts)


# --- plots ---------------------------------------------------------------------------------------------


PlotMaker = Callable[[EvaluationResult, str, dict[str, dict[str, Any]], dict[str, str]], dict[str, bytes]]


def _overlap_plots(result, protocol, overall, colour) -> dict[str, bytes]:
    success = {label: overall[label][protocol]["success_curve"] for label in result.labels}
    precision = {label: overall[label][protocol]["precision_curve"] for label in result.labels}
    return {
        f"{protocol}_success.png": plots.success_plot(success, colour, f"Success plots of {protocol.upper()}"),
        f"{protocol}_precision.png": plots.precision_plot(precision, colour, f"Precision plots of {protocol.upper()}"),
    }


def _supervised_plots(result, protocol, overall, colour) -> dict[str, bytes]:
    points = {label: (overall[label][protocol]["failures"], overall[label][protocol]["accuracy"]) for label in result.labels}
    eao = {label: overall[label][protocol]["eao"] for label in result.labels}
    curves = {label: overall[label][protocol]["eao_curve"] for label in result.labels}
    return {
        f"{protocol}_ar.png": plots.accuracy_robustness_plot(points, colour, "Accuracy-robustness"),
        f"{protocol}_eao.png": plots.eao_ranking_plot(eao, colour, "Expected average overlap"),
        f"{protocol}_eao_curve.png": plots.eao_curve_plot(curves, colour, result.eao_interval,
                                                          "Expected overlap by sequence length"),
    }


PLOT_MAKERS: dict[str, PlotMaker] = {"success_curve": _overlap_plots, "eao_curve": _supervised_plots}


def plot_images(result: EvaluationResult) -> dict[str, dict[str, bytes]]:
    """{protocol: {file name: PNG bytes}}."""
    overall = {label: result.overall(label) for label in result.labels}
    colour = plots.colours(result.labels)
    images: dict[str, dict[str, bytes]] = {}
    for protocol in result.protocols:
        summary = overall[result.labels[0]][protocol]
        for marker, make in PLOT_MAKERS.items():
            if marker in summary:
                images.setdefault(protocol, {}).update(make(result, protocol, overall, colour))
    return images


# --- HTML ----------------------------------------------------------------------------------------------

STYLE = """
body{font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;margin:24px auto;max-width:1240px;color:#222}
h1{margin-bottom:4px} h2{border-bottom:1px solid #ccc;padding-bottom:4px;margin-top:32px}
.meta{color:#555} table{border-collapse:collapse;margin:8px 0 16px} th,td{padding:4px 10px;text-align:right}
th{background:#f0f0f0;border-bottom:2px solid #999} td:first-child,th:first-child{text-align:left}
tr:nth-child(even) td{background:#fafafa} td.best{font-weight:bold;color:#0b5d1e}
.plots{display:flex;flex-wrap:wrap;gap:12px;align-items:flex-start} .plots img{border:1px solid #ddd;width:calc(50% - 8px)}
code{background:#f4f4f4;padding:1px 4px} .note{font-size:0.9em;color:#444;max-width:1000px}
"""


def html_report(result: EvaluationResult, images: dict[str, dict[str, bytes]] | None = None) -> str:
    images = plot_images(result) if images is None else images
    frames = sum(s["frames"] for s in result.sequences)
    when = datetime.datetime.now().strftime("%Y-%m-%d %H:%M")
    parts = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
        "<title>SiamTrack evaluation</title>",
        f"<style>{STYLE}</style></head><body>",
        "<h1>SiamTrack evaluation</h1>",
        (f"<p class='meta'>{when} · {len(result.labels)} trackers · {len(result.sequences)} sequences, "
         f"{frames} frames · protocols: {', '.join(p.upper() for p in result.protocols)}</p>"),
        "<h2>Summary</h2>",
        _html_table(result, overall_rows(result)),
        f"<p class='note'>{html.escape(_summary_caption(result))}</p>",
    ]
    for protocol, files in images.items():
        parts.append(f"<h2>{html.escape(result.protocols[protocol]['title'])}</h2><div class='plots'>")
        parts += [f"<img alt='{html.escape(name)}' src='data:image/png;base64,{base64.b64encode(png).decode()}'>"
                  for name, png in files.items()]
        parts.append("</div>")
    parts.append("<h2>Per sequence</h2>")
    for sequence in result.sequences:
        parts.append(f"<h3>{html.escape(sequence['name'])} <span class='meta'>({sequence['frames']} frames)</span></h3>")
        parts.append(_html_table(result, sequence_rows(result, sequence["name"])))
    parts.append(_html_trackers(result))
    parts.append(_html_method(result))
    parts.append("</body></html>")
    return "\n".join(parts)


def _html_table(result: EvaluationResult, rows: list[tuple[str, dict[str, Any]]]) -> str:
    columns = columns_for(result)
    best = {c.header: _best([values[c.header] for _, values in rows], c) for c in columns if c.protocol is not None}
    head = "<tr><th>Tracker</th>" + "".join(f"<th>{html.escape(c.header)}</th>" for c in columns) + "</tr>"
    body = []
    for label, values in rows:
        cells = []
        for c in columns:
            value = values[c.header]
            mark = " class='best'" if best.get(c.header) is not None and value == best[c.header] else ""
            cells.append(f"<td{mark}>{_format(value, c)}</td>")
        body.append(f"<tr><td>{html.escape(label)}</td>{''.join(cells)}</tr>")
    return f"<table>{head}{''.join(body)}</table>"


def _summary_caption(result: EvaluationResult) -> str:
    parts = []
    if "vot" in result.protocols:
        parts.append("Accuracy, Failures (mean per sequence) and EAO: VOT supervised protocol")
    parts += [f"{p.upper()} AUC: area under the {p.upper()} success plot" for p in ("ope", "tre", "sre")
              if p in result.protocols]
    if "ope" in result.protocols:
        parts.append("OPE P@20: precision at 20 px")
    parts.append("fps: tracking speed on this machine, frames decoded beforehand. Best in each column in bold")
    return "; ".join(parts) + "."


def _html_trackers(result: EvaluationResult) -> str:
    items = []
    for tracker in result.trackers:
        identity = ", ".join(f"{k}: {v}" for k, v in tracker["identity"].items())
        items.append(f"<li><b>{html.escape(tracker['label'])}</b>: {html.escape(tracker['description'])} "
                     f"<span class='meta'>({html.escape(identity)})</span></li>")
    return "<h2>Trackers</h2><ul>" + "".join(items) + "</ul>"


def _html_method(result: EvaluationResult) -> str:
    low, high = result.eao_interval
    notes = [
        ("Success: fraction of frames whose IoU with the ground truth exceeds a threshold (0 to 1 in steps of "
         "0.05); AUC is the mean of that curve. Precision: fraction of frames whose centre error is at most a "
         "threshold (0 to 50 px); P@20 is its value at 20 px. Frames without ground truth are left out. "
         "Summaries average the per-sequence curves."),
        ("OPE: one run from the first annotated frame. TRE: 20 runs starting at evenly spaced annotated frames, "
         "each to the end of the sequence, frames pooled. SRE: 12 runs from perturbed first boxes (4 centre "
         "shifts and 4 corner shifts of 10 % of the box size, scalings 0.8, 0.9, 1.1, 1.2), frames pooled."),
        ("VOT: re-initialised 5 frames after the box stops overlapping the target (a failure). Accuracy: mean "
         "IoU without the 10 frames from each initialisation; averaged over sequences. Failures: mean per "
         "sequence. EAO: expected average overlap of fragments between initialisations (zero after a failure), "
         f"averaged over sequence lengths {low} to {high}, an interval holding half of a kernel density of "
         "the sequences' lengths around its peak."),
        "fps: frames tracked per second of the trackers' own work (frames decoded beforehand), over every run.",
    ]
    return "<h2>How the scores are made</h2>" + "".join(f"<p class='note'>{html.escape(n)}</p>" for n in notes)


# --- writing files -------------------------------------------------------------------------------------


def write_outputs(result: EvaluationResult, plots_dir: Path | None = None, report_dir: Path | None = None,
                  json_path: Path | None = None) -> list[Path]:
    """Write whatever was asked for; returns the files written."""
    written: list[Path] = []
    images = plot_images(result) if plots_dir is not None or report_dir is not None else {}
    if plots_dir is not None:
        for files in images.values():
            for name, png in files.items():
                atomic_write_bytes(plots_dir / name, png)
                written.append(plots_dir / name)
    document = json.dumps(result.to_json(), indent=1)
    if report_dir is not None:
        atomic_write_text(report_dir / "report.html", html_report(result, images))
        atomic_write_text(report_dir / "report.json", document)
        written += [report_dir / "report.html", report_dir / "report.json"]
    if json_path is not None:
        atomic_write_text(json_path, document)
        written.append(json_path)
    return written


def _values(result: EvaluationResult, metrics_by_protocol: dict[str, dict[str, Any]], fps: float) -> dict[str, Any]:
    values = {}
    for c in columns_for(result):
        values[c.header] = fps if c.protocol is None else metrics_by_protocol[c.protocol][c.key]
    return values


def _best(values: list[Any], column: Column) -> Any:
    numbers = [v for v in values if isinstance(v, (int, float)) and not math.isnan(v)]
    if len(numbers) < 2:
        return None
    return max(numbers) if column.higher_is_better else min(numbers)


def _sortable(value: Any) -> float:
    return value if isinstance(value, (int, float)) and not math.isnan(value) else -math.inf


def _format(value: Any, column: Column) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return MISSING
    if isinstance(value, int):
        return str(value)
    return f"{value:.{column.digits}f}"


def _md_line(cells: list[str], widths: list[int]) -> str:
    return "| " + " | ".join(str(c).ljust(w) for c, w in zip(cells, widths)) + " |"
