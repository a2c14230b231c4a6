"""Publishing a unit's results on the public page: one transaction, one audit record each."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tieuchi.accounts import audit
from tieuchi.accounts.roles import Role
from tieuchi.dashboards.models import Publication
from tieuchi.evaluation.models import EvaluationRun
from tieuchi.orgs.models import AdminUnit
from tieuchi.orgs.scope import can_act_on_unit

PUBLISHER_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.WARD_LEADER})


def can_publish(user, unit: AdminUnit) -> bool:
    """Only the ward's leaders (or a system administrator) decide what the public sees."""
    return can_act_on_unit(user, unit, PUBLISHER_ROLES)


def _state(publication: Publication) -> dict:
    return {
        "is_public": publication.is_public,
        "run": publication.published_run_id,
        "note": publication.note,
    }


def publish(unit: AdminUnit, run: EvaluationRun, *, actor, note: str = "", channel="web"):
    """Show `run` (a current run of `unit`) on /public/<unit code>/."""
    if not can_publish(actor, unit):
        raise PermissionDenied(_("Chỉ lãnh đạo phường mới được công khai kết quả của phường."))
    if run.unit_id != unit.pk or not run.is_current:
        raise ValidationError(_("Chỉ công khai được kết quả hiện hành của chính đơn vị này."))
    with transaction.atomic():
        publication, _created = Publication.objects.select_for_update().get_or_create(unit=unit)
        before = _state(publication)
        publication.is_public = True
        publication.published_run = run
        publication.published_by = actor
        publication.published_at = timezone.now()
        publication.note = note.strip()
        publication.save()
        audit.record(
            actor, "publish", publication, before=before, after=_state(publication), channel=channel
        )
    return publication


def unpublish(unit: AdminUnit, *, actor, channel="web") -> Publication | None:
    """Take the unit's page down; nothing to do when it is not public."""
    if not can_publish(actor, unit):
        raise PermissionDenied(_("Chỉ lãnh đạo phường mới được thôi công khai kết quả."))
    with transaction.atomic():
        publication = Publication.objects.select_for_update().filter(unit=unit).first()
        if publication is None or not publication.is_public:
            return publication
        before = _state(publication)
        publication.is_public = False
        publication.save(update_fields=["is_public", "updated_at"])
        audit.record(
            actor,
            "unpublish",
            publication,
            before=before,
            after=_state(publication),
            channel=channel,
        )
    return publication
