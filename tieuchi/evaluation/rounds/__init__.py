"""Rounds of a plan: the ward's self-assessment, the inspection by the level above, and the
corrective actions for items that failed. Every write is one transaction with its audit record.

The services are also importable from the package itself (`rounds.update_items(...)`), the way the
tests call them; application code imports them from their own module.
"""

from tieuchi.evaluation.rounds.assessments import (
    confirm_inspection,
    return_self_assessment,
    start_inspection,
    start_self_assessment,
    submit_self_assessment,
    update_items,
)
from tieuchi.evaluation.rounds.corrective_actions import (
    add_corrective_action,
    close_corrective_action,
)
from tieuchi.evaluation.rounds.rules import CONCLUSIVE, item_version

__all__ = [
    "CONCLUSIVE",
    "add_corrective_action",
    "close_corrective_action",
    "confirm_inspection",
    "item_version",
    "return_self_assessment",
    "start_inspection",
    "start_self_assessment",
    "submit_self_assessment",
    "update_items",
]
