"""The evaluation engine: pure Python (no Django), from plain records to a verdict tree.

    result = evaluate(EvaluationInput(as_of=…, unit=…, units=…, nodes=…, figures=…))
    result.to_dict()  # {"code", "verdict": "met" | "not_met" | "no_data", "figures", …}

Modules: `types` (inputs), `results` (outputs), `rollup` (sums over the unit tree, verdicts up the
criteria tree), `thresholds` (which threshold applies), `observe` (observed values), `judge` and
`special` (comparators), `recognition` (unit conditions), `explain` (Vietnamese wording),
`evaluate` (entry points).
"""

from .evaluate import conclude, evaluate, evaluate_measure, evaluate_node
from .observe import Context
from .results import Condition, MeasureResult, NodeResult, UnitResult
from .types import (
    BenchmarkValue,
    EvaluationInput,
    EventRecord,
    Figure,
    MeasureDef,
    NodeDef,
    PlanTarget,
    Registration,
    Survey,
    ThresholdDef,
    TitleRecord,
    UnitInfo,
    Verdict,
)

__all__ = [
    "BenchmarkValue",
    "Condition",
    "Context",
    "EvaluationInput",
    "EventRecord",
    "Figure",
    "MeasureDef",
    "MeasureResult",
    "NodeDef",
    "NodeResult",
    "PlanTarget",
    "Registration",
    "Survey",
    "ThresholdDef",
    "TitleRecord",
    "UnitInfo",
    "UnitResult",
    "Verdict",
    "conclude",
    "evaluate",
    "evaluate_measure",
    "evaluate_node",
]
