"""Links between dashboards that depend on the reader: the programme dashboards (Programme 02)
of the units the reader may see, and a ward's publication switch and public address.

They are looked up here so the home, ward and district pages link to them without each view
building its own context; the district board is cached for everyone in a scope, and these links
are per reader, so they stay outside it. The programme links are cached too (one query when
built, none afterwards, so the cached district page reads no more than before), under the same
scope signature and register generation as the board (`page_cache`). New programme results of a
unit that had none show their link within `LINKS_TTL_SECONDS`.
"""

import hashlib

from django import template
from django.core.cache import cache
from django.urls import reverse

from tieuchi.catalog.models import Catalog
from tieuchi.dashboards.models import Publication
from tieuchi.dashboards.page_cache import register_generation, scope_signature
from tieuchi.dashboards.services import can_publish
from tieuchi.evaluation.models import EvaluationRun
from tieuchi.evaluation.queries_scorecard import cached_visible_unit_ids
from tieuchi.orgs.models import AdminUnit

LINKS_TTL_SECONDS = 300
register = template.Library()


def _unit_ids(units) -> list[int]:
    """Units, (unit, address) pairs as the home page lists them, or a single unit or id."""
    if units is None or units == "":
        return []
    if isinstance(units, AdminUnit | int | str):
        units = [units]
    ids = []
    for item in units:
        unit = item[0] if isinstance(item, tuple) else item
        ids.append(unit.pk if isinstance(unit, AdminUnit) else int(unit))
    return ids


def _programmes(user, ids: list[int]) -> list[dict]:
    rows = (
        EvaluationRun.objects.filter(
            unit_id__in=ids, is_current=True, catalog__kind=Catalog.Kind.PROGRAMME
        )
        .filter(unit__in=cached_visible_unit_ids(user))
        .values("unit_id", "catalog__key", "catalog__legal_document__number", "catalog__name")
        .order_by("unit_id", "catalog__key")
        .distinct()
    )
    return [
        {
            "unit_id": row["unit_id"],
            "number": row["catalog__legal_document__number"],
            "name": row["catalog__name"],
            "url": reverse(
                "dashboards:programme",
                kwargs={"catalog_key": row["catalog__key"], "unit_id": row["unit_id"]},
            ),
        }
        for row in rows
    ]


@register.simple_tag(takes_context=True)
def programme_links(context, units) -> list[dict]:
    """[{unit_id, number, name, url}]: one per programme with stored results for one of `units`
    that the reader may see. A ward user on the district page gets none: the programme page of
    the district would answer 404 to them."""
    ids = _unit_ids(units)
    if not ids:
        return []
    user = context["request"].user
    parts = [",".join(map(str, ids)), scope_signature(user), register_generation()]
    digest = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()
    return cache.get_or_set(
        f"dashboards:programme-links:{digest}", lambda: _programmes(user, ids), LINKS_TTL_SECONDS
    )


@register.simple_tag(takes_context=True)
def publication_links(context, unit: AdminUnit) -> dict:
    """{manage_url, public_url}: the publication page for those who may publish (ward leaders),
    and the public page's full address once the ward's results are published (public anyway)."""
    request = context["request"]
    published = Publication.objects.filter(unit=unit, is_public=True).exists()
    public = reverse("public:unit", args=[unit.official_code]) if published else None
    allowed = can_publish(request.user, unit)
    return {
        "manage_url": reverse("dashboards:publication", args=[unit.pk]) if allowed else None,
        "public_url": request.build_absolute_uri(public) if public else None,
    }
