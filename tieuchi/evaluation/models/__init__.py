"""Stored evaluation results, round assessments and the recognition workflow."""

from tieuchi.evaluation.models.aggregates import MeasureAggregate
from tieuchi.evaluation.models.jobs import RecomputeJob
from tieuchi.evaluation.models.recognition import (
    Council,
    CouncilMember,
    MaintenanceCheck,
    RecognitionDecision,
    RecognitionDossier,
    Registration,
    SatisfactionSurvey,
)
from tieuchi.evaluation.models.results import EvaluationRun, NodeResult, Verdict
from tieuchi.evaluation.models.rounds import (
    CorrectiveAction,
    ItemAssessment,
    RoundAssessment,
    Transition,
)

__all__ = [
    "CorrectiveAction",
    "Council",
    "CouncilMember",
    "EvaluationRun",
    "ItemAssessment",
    "MaintenanceCheck",
    "MeasureAggregate",
    "NodeResult",
    "RecognitionDecision",
    "RecognitionDossier",
    "RecomputeJob",
    "Registration",
    "RoundAssessment",
    "SatisfactionSurvey",
    "Transition",
    "Verdict",
]
