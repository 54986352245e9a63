"""Evaluation protocols by name: OTB's OPE, TRE and SRE, and VOT's supervised protocol."""
from __future__ import annotations

from core.errors import SiamTrackError
from core.evaluation.protocols.base import EvaluationProtocol, Score
from core.evaluation.protocols.ope import OnePassEvaluation
from core.evaluation.protocols.sre import PERTURBATIONS, SpatialRobustnessEvaluation, perturbed_boxes
from core.evaluation.protocols.tre import TemporalRobustnessEvaluation, segment_starts
from core.evaluation.protocols.vot import SupervisedEvaluation

PROTOCOLS: dict[str, EvaluationProtocol] = {
    "ope": OnePassEvaluation(),
    "tre": TemporalRobustnessEvaluation(),
    "sre": SpatialRobustnessEvaluation(),
    "vot": SupervisedEvaluation(),
}


def get_protocol(name: str) -> EvaluationProtocol:
    try:
        return PROTOCOLS[name.lower()]
    except KeyError:
        raise SiamTrackError(f"unknown protocol {name!r}; choose from {', '.join(PROTOCOLS)}") from None


__all__ = [
    "PERTURBATIONS",
    "PROTOCOLS",
    "EvaluationProtocol",
    "OnePassEvaluation",
    "Score",
    "SpatialRobustnessEvaluation",
    "SupervisedEvaluation",
    "TemporalRobustnessEvaluation",
    "get_protocol",
    "perturbed_boxes",
    "segment_starts",
]
