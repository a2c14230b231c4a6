"""Every input of one catalog on one date, read once, for a full recompute of all its units.

`DatabaseSource` (inputs.py) reads one unit's subtree with a few queries; a full recompute would
repeat them for every unit and read each TDP's figures once per ancestor. This source reads each
table once and answers the same questions from memory, in the same order, so `build_input`
gives the very inputs — and hashes — the per-unit path gives.
"""

import bisect
import datetime as dt
from collections import defaultdict

from tieuchi.catalog.models import Catalog
from tieuchi.collection.models import Benchmark, TitleAward
from tieuchi.evaluation import inputs
from tieuchi.evaluation.models import Registration
from tieuchi.orgs.models import AdminUnit
from tieuchi.plans.models import Plan, Target


def _grouped(rows, key) -> dict:
    groups = defaultdict(list)
    for row in rows:
        groups[key(row)].append(row)
    return groups


class PreloadedSource:
    def __init__(self, catalog: Catalog, as_of: dt.date):
        self.catalog, self.as_of = catalog, as_of
        self._units = sorted(AdminUnit.objects.valid_on(as_of), key=inputs.unit_order)
        self._paths = [unit.path for unit in self._units]
        found = inputs.observations(catalog, as_of)
        self._figures = _grouped((inputs.figure_of(o) for o in found), lambda f: f.unit_id)
        found = inputs.events(catalog, as_of)
        self._events = _grouped((inputs.event_of(e) for e in found), lambda e: e.unit_id)
        found = TitleAward.objects.select_related("decision").order_by(*inputs.TITLE_ORDER)
        self._titles = _grouped((inputs.title_of(t) for t in found), lambda t: t.unit_id)
        self._benchmarks = list(
            Benchmark.objects.order_by(*inputs.BENCHMARK_ORDER).select_related("scope_unit")
        )
        plans = Plan.objects.filter(
            catalog__key=catalog.key, period_start__lte=as_of, period_end__gte=as_of
        ).select_related("legal_document")
        self._plans = _grouped(plans, lambda p: p.unit_id)
        targets = Target.objects.filter(plan__in=plans, measure__isnull=False).select_related(
            "measure"
        )
        self._targets = _grouped(targets, lambda t: t.plan_id)
        registrations = Registration.objects.filter(
            catalog__key=catalog.key, registered_on__lte=as_of
        ).prefetch_related("surveys")
        self._registrations = _grouped(registrations, lambda r: r.unit_id)

    def plan(self, unit: AdminUnit) -> Plan | None:
        found = self._plans.get(unit.pk)
        return found[0] if found else None

    def units_below(self, unit: AdminUnit) -> list[AdminUnit]:
        start = bisect.bisect_left(self._paths, unit.path)
        end = bisect.bisect_left(self._paths, unit.path + "\uffff")
        return [u for u in self._units[start:end] if u.path.startswith(unit.path)]

    def figures(self, unit_ids: list[int]):
        return [f for unit_id in unit_ids for f in self._figures.get(unit_id, ())]

    def events(self, unit_ids: list[int]):
        return [e for unit_id in unit_ids for e in self._events.get(unit_id, ())]

    def titles(self, unit_ids: list[int]):
        return [t for unit_id in sorted(unit_ids) for t in self._titles.get(unit_id, ())]

    def benchmarks(self, scope_ids: list[int]):
        wanted = set(scope_ids)
        return [inputs.benchmark_of(b) for b in self._benchmarks if b.scope_unit_id in wanted]

    def plan_targets(self, plan: Plan):
        return [inputs.target_of(t, plan) for t in self._targets.get(plan.pk, ())]

    def registration(self, unit: AdminUnit):
        found = self._registrations.get(unit.pk)
        return inputs.registration_of(found[0] if found else None, self.as_of)
