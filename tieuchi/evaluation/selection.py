"""What the scorecard and the matrix show, chosen from the query string the same way everywhere.

The pages, their .xlsx downloads and the district's summary report (`bao-cao-tong-hop`) call
these functions, so a download or a document never holds other rows, runs or days than the page.
"""

import datetime as dt
from dataclasses import dataclass

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from tieuchi.catalog.models import Catalog
from tieuchi.catalog.services import latest_catalog
from tieuchi.evaluation.models import EvaluationRun
from tieuchi.evaluation.queries_matrix import Matrix, matrix, matrix_parent, newest_child_run
from tieuchi.evaluation.queries_scorecard import current_run, default_catalog
from tieuchi.orgs.models import AdminUnit
from tieuchi.plans.models import EvaluationRound, Plan


def parse_day(text: str | None) -> dt.date | None:
    """ "2023-11-30" or "30/11/2023"; None when it is neither."""
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime((text or "").strip(), pattern).date()
        except ValueError:
            continue
    return None


def unit_or_404(user, pk: int) -> AdminUnit:
    """The unit with this id, if the user may see it (with its parent, for the headings)."""
    units = AdminUnit.objects.visible_to(user).select_related("parent")
    return get_object_or_404(units, pk=pk)


def catalog_or_404(key: str | None) -> Catalog | None:
    """The newest version of the catalog `key`; None when no key is given."""
    if not key:
        return None
    catalog = latest_catalog(key)
    if catalog is None:
        raise Http404(_("Không có bộ tiêu chí “%(key)s”.") % {"key": key})
    return catalog


def round_or_404(unit: AdminUnit, value: str | None) -> EvaluationRound | None:
    """A round of one of the unit's plans, by id; None when none is asked for."""
    if not value:
        return None
    if not value.isdigit():
        raise Http404
    rounds = EvaluationRound.objects.filter(plan__unit=unit).select_related("plan")
    return get_object_or_404(rounds, pk=int(value))


@dataclass(frozen=True)
class ScorecardSelection:
    catalog: Catalog | None
    round: EvaluationRound | None
    as_of: dt.date | None
    run: EvaluationRun | None


def selected_run(unit: AdminUnit, data) -> ScorecardSelection:
    """The catalog, round, day and run chosen by `?catalog=&round=&as_of=`; the newest run by
    default, and its catalog when none was asked for."""
    catalog = catalog_or_404(data.get("catalog"))
    chosen_round = round_or_404(unit, data.get("round"))
    as_of = parse_day(data.get("as_of"))
    run = current_run(unit, catalog, round=chosen_round, as_of=as_of)
    if catalog is None and run is not None:
        catalog = run.catalog
    return ScorecardSelection(catalog, chosen_round, as_of, run)


def run_plan(run: EvaluationRun | None, chosen_round: EvaluationRound | None) -> Plan | None:
    """The plan a result belongs to: the round's, else the run's own."""
    if chosen_round is not None:
        return chosen_round.plan
    if run is None or run.plan_id is None:
        return None
    return Plan.objects.select_related("legal_document").filter(pk=run.plan_id).first()


def matrix_for(
    user, parent: AdminUnit, catalog: Catalog | None = None, as_of: dt.date | None = None
) -> Matrix | None:
    """The matrix of `parent`'s children: by default in the catalog of the newest result below
    it (else the default catalog) and as of that result's day; None when there is no catalog."""
    newest = newest_child_run(user, parent, catalog)
    if catalog is None:
        catalog = latest_catalog(newest.catalog.key) if newest else default_catalog()
        if catalog is None:
            return None
    as_of = as_of or (newest.as_of if newest else dt.date.today())
    return matrix(user, parent, catalog, as_of)


def selected_matrix(user, pk: int, data) -> Matrix:
    """The matrix page's table for `?catalog=&as_of=`; 404 when the user may not see it."""
    parent = matrix_parent(user, pk)
    if parent is None:
        raise Http404
    table = matrix_for(
        user, parent, catalog_or_404(data.get("catalog")), parse_day(data.get("as_of"))
    )
    if table is None:
        raise Http404
    return table
