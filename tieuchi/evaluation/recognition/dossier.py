"""The recognition dossier (QĐ 04/2022 Điều 6–7): opening it, ticking its documents, submitting it
after a fresh evaluation, and the district accepting or returning it. One transaction per step."""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tieuchi.accounts import audit
from tieuchi.evaluation import workflow
from tieuchi.evaluation.models import RecognitionDossier, Registration
from tieuchi.evaluation.recognition.rules import (
    CHECKLIST,
    CLOSED,
    failed_conditions,
    missing_documents,
)
from tieuchi.evaluation.services import evaluate_unit
from tieuchi.evaluation.workflow import TransitionRefused


def lock_dossier(dossier: RecognitionDossier) -> RecognitionDossier:
    """Re-read the dossier in place under a row lock (the caller's object stays current)."""
    dossier.refresh_from_db(
        from_queryset=RecognitionDossier.objects.select_for_update(of=("self",))
    )
    return dossier


def open_dossier(actor, registration: Registration, *, channel: str = "web") -> RecognitionDossier:
    """Start the dossier of a registration with the standard checklist, nothing ticked yet."""
    dossier = RecognitionDossier(
        registration=registration, checklist={key: False for key, _label in CHECKLIST}
    )
    workflow.check(actor, dossier, "open")
    with transaction.atomic():
        if registration.dossiers.exclude(status__in=CLOSED).exists():
            raise TransitionRefused(_("Đăng ký này đã có một hồ sơ đang xử lý."))
        workflow.apply(actor, dossier, "open", channel=channel)
    return dossier


def update_checklist(
    actor, dossier: RecognitionDossier, done: set[str], *, channel: str = "web"
) -> RecognitionDossier:
    """Tick the documents the dossier holds (while it is being prepared or was returned)."""
    with transaction.atomic():
        dossier = lock_dossier(dossier)
        workflow.check(actor, dossier, "edit")
        before = dict(dossier.checklist)
        dossier.checklist = {key: key in done for key, _label in CHECKLIST}
        dossier.save(update_fields=["checklist"])
        audit.record(
            actor, "checklist", dossier, before=before, after=dossier.checklist, channel=channel
        )
    return dossier


def submit_dossier(
    actor,
    dossier: RecognitionDossier,
    note: str = "",
    *,
    on: dt.date | None = None,
    channel: str = "web",
) -> RecognitionDossier:
    """Send the dossier up. Refused until the checklist is complete and a fresh evaluation on the
    submission date says the unit is recognisable (all criteria, registration age, survey)."""
    on = on or timezone.localdate()
    with transaction.atomic():
        dossier = lock_dossier(dossier)
        workflow.check(actor, dossier, "submit", note)
        missing = missing_documents(dossier)
        if missing:
            raise TransitionRefused(
                _("Hồ sơ chưa đủ, còn thiếu: %(docs)s.") % {"docs": "; ".join(missing)}
            )
        registration = dossier.registration
        run = evaluate_unit(
            registration.unit, registration.catalog, on, actor=actor, channel=channel
        )
        if run.recognisable is not True:
            reasons = failed_conditions(run) or [run.result.get("explanation", "")]
            raise TransitionRefused(
                _("Chưa đủ điều kiện đề nghị công nhận (đánh giá ngày %(day)s): %(reasons)s.")
                % {"day": on.strftime("%d/%m/%Y"), "reasons": "; ".join(reasons)}
            )
        workflow.apply(
            actor,
            dossier,
            "submit",
            note,
            changes={"run": run, "submitted_on": on},
            after={"run": run.pk},
            channel=channel,
        )
    return dossier


def accept_dossier(
    actor,
    dossier: RecognitionDossier,
    note: str = "",
    *,
    on: dt.date | None = None,
    channel: str = "web",
) -> RecognitionDossier:
    """The district receives a complete dossier (the 13 working days start here)."""
    workflow.apply(
        actor,
        dossier,
        "accept",
        note,
        changes={"accepted_on": on or timezone.localdate()},
        channel=channel,
    )
    return dossier


def return_dossier(
    actor, dossier: RecognitionDossier, note: str, *, channel: str = "web"
) -> RecognitionDossier:
    """Send the dossier back for completion, with the reason."""
    workflow.apply(actor, dossier, "return", note, channel=channel)
    return dossier
