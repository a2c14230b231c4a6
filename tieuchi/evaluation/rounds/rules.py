"""The rules every round write follows: the day a round judges, which verdicts conclude, when a
departure from the computed verdict needs a remark, and how a stale form is detected."""

import datetime as dt
import hashlib
from dataclasses import dataclass

from tieuchi.catalog.models import CatalogNode
from tieuchi.evaluation.models import ItemAssessment, RoundAssessment, Verdict
from tieuchi.evaluation.workflow import TransitionRefused
from tieuchi.plans.models import EvaluationRound

Stage = RoundAssessment.Stage
Status = RoundAssessment.Status
LEAF_TYPES = (CatalogNode.NodeType.SUBCRITERION, CatalogNode.NodeType.INDICATOR)
EDITABLE = frozenset({Status.DRAFT, Status.RETURNED})
# An item is assessed when it concludes met or not met; "not enough data" is not a conclusion.
CONCLUSIVE = frozenset({Verdict.MET, Verdict.NOT_MET})


class ItemsRefused(TransitionRefused):
    """Some items could not be saved; `errors` maps item id → the reason, nothing was written."""

    def __init__(self, errors: dict[int, str]):
        self.errors = errors
        super().__init__(" ".join(errors.values()))


@dataclass(frozen=True)
class ItemChange:
    """What a form says about one item: the new verdict and remark, and the version it was read at."""

    item_id: int
    verdict: str
    remark: str
    version: str


def round_day(evaluation_round: EvaluationRound) -> dt.date:
    """The date a round judges: the last day of its scheduled month."""
    return evaluation_round.judged_on


def item_version(item: ItemAssessment) -> str:
    """A short fingerprint of what the form showed, so a stale form never overwrites."""
    return hashlib.sha1(f"{item.verdict}\x00{item.remark}".encode()).hexdigest()[:12]


def remark_missing(item: ItemAssessment) -> bool:
    """A verdict that departs from the computed one must say why."""
    return bool(
        item.computed_verdict and item.verdict != item.computed_verdict and not item.remark.strip()
    )
