"""Evaluating trackers as the SiamFC paper does: OTB's OPE, TRE and SRE success and precision plots, VOT's
supervised protocol (accuracy, failures, EAO), one table and one HTML page. Used by `siamtrack eval` and
by the application."""
from core.evaluation.batch import ProgressCallback, evaluate
from core.evaluation.cache import RunCache, default_cache_dir
from core.evaluation.inputs import load_sequences, sequence_dirs
from core.evaluation.protocols import PROTOCOLS, get_protocol
from core.evaluation.report import html_report, markdown_table, overall_rows, terminal_report, write_outputs
from core.evaluation.results import EvaluationResult
from core.evaluation.runner import EvaluationCancelled
from core.evaluation.trackers import (
    DEFAULT_ENGINE,
    EVALUATED_TRACKERS,
    TrackerEntry,
    baseline_entry,
    plan_trackers,
    siamfc_entry,
)

__all__ = [
    "DEFAULT_ENGINE", "EVALUATED_TRACKERS",
    "PROTOCOLS",
    "EvaluationCancelled",
    "EvaluationResult",
    "ProgressCallback",
    "RunCache",
    "TrackerEntry",
    "baseline_entry",
    "default_cache_dir",
    "evaluate",
    "get_protocol",
    "html_report",
    "load_sequences",
    "markdown_table",
    "overall_rows",
    "plan_trackers",
    "sequence_dirs",
    "siamfc_entry",
    "terminal_report",
    "write_outputs",
]
