"""The one way to write the audit log; called only from services."""

from typing import Any

from django.db import models

from tieuchi.accounts.models import AuditEvent


def record(
    actor: Any,
    action: str,
    obj: models.Model,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    channel: str = AuditEvent.Channel.SYSTEM,
    note: str = "",
) -> AuditEvent:
    """Write one audit event for `obj`. `actor` may be None for system jobs (seeding, loading)."""
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        channel=channel,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:255],
        before=before,
        after=after,
        note=note,
    )
