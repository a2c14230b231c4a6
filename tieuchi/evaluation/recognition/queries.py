"""Reads for the recognition page: a unit's registrations, dossiers, councils and decisions."""

from django.db.models import Prefetch

from tieuchi.evaluation.models import (
    CouncilMember,
    MaintenanceCheck,
    RecognitionDecision,
    RecognitionDossier,
    Registration,
)


def recognition_of(unit) -> dict:
    """Everything the unit's recognition page shows, in a fixed number of queries."""
    members = CouncilMember.objects.order_by("id")
    dossiers = RecognitionDossier.objects.select_related("council", "decision", "run").order_by(
        "-id"
    )
    registrations = list(
        Registration.objects.filter(unit=unit)
        .select_related("catalog")
        .prefetch_related(
            "surveys",
            Prefetch("dossiers", queryset=dossiers),
            Prefetch("dossiers__council__members", queryset=members),
        )
        .order_by("-registered_on", "-id")
    )
    decisions = list(
        RecognitionDecision.objects.filter(unit=unit)
        .select_related("catalog")
        .prefetch_related(Prefetch("checks", queryset=MaintenanceCheck.objects.order_by("-year")))
    )
    return {"registrations": registrations, "decisions": decisions}
