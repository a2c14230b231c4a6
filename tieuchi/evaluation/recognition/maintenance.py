"""After the recognition decision (QĐ 04/2022 Điều 9): the yearly check that the ward still keeps
all criteria, and revoking the recognition. One transaction per step."""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tieuchi.evaluation import workflow
from tieuchi.evaluation.models import MaintenanceCheck, RecognitionDecision
from tieuchi.evaluation.services import evaluate_unit
from tieuchi.evaluation.workflow import TransitionRefused


def maintenance_check(
    actor,
    decision: RecognitionDecision,
    *,
    year: int,
    checked_on: dt.date | None = None,
    note: str = "",
    channel: str = "web",
) -> MaintenanceCheck:
    """The yearly check that the unit still keeps all criteria, from a fresh evaluation."""
    checked_on = checked_on or timezone.localdate()
    with transaction.atomic():
        workflow.check(actor, decision, "check")
        if decision.checks.filter(year=year).exists():
            raise TransitionRefused(
                _("Năm %(year)s đã có kết quả kiểm tra duy trì.") % {"year": year}
            )
        if not decision.decided_on.year <= year <= decision.valid_until.year:
            raise TransitionRefused(
                _("Năm %(year)s nằm ngoài thời hạn của quyết định.") % {"year": year}
            )
        run = evaluate_unit(decision.unit, decision.catalog, checked_on, actor=actor)
        criteria = next(
            (c for c in run.result.get("conditions", []) if c["code"] == "criteria"), None
        )
        verdict = criteria["verdict"] if criteria else run.verdict
        check = MaintenanceCheck.objects.create(
            decision=decision,
            year=year,
            run=run,
            verdict=verdict,
            note=note.strip() or (criteria or {}).get("explanation", ""),
            checked_on=checked_on,
        )
        workflow.apply(
            actor,
            decision,
            "check",
            note,
            after={"year": year, "verdict": verdict, "run": run.pk},
            channel=channel,
        )
    return check


def revoke(
    actor,
    decision: RecognitionDecision,
    note: str,
    *,
    revoked_on: dt.date | None = None,
    channel: str = "web",
) -> RecognitionDecision:
    """Withdraw the recognition, with the reason."""
    workflow.apply(
        actor,
        decision,
        "revoke",
        note,
        changes={
            "revoked_on": revoked_on or timezone.localdate(),
            "revoke_reason": note.strip(),
            "revoked_by": actor if getattr(actor, "pk", None) else None,
        },
        channel=channel,
    )
    return decision
