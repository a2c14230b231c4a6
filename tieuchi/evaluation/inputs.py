"""Read the database into the engine's plain records (the only place evaluation touches the ORM)."""

import dataclasses
import datetime as dt
import hashlib
import json
from decimal import Decimal

from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Length

from tieuchi.catalog.models import Catalog, CatalogNode
from tieuchi.catalog.queries import NodeView, catalog_tree
from tieuchi.collection.models import Benchmark, Event, Evidence, Observation, TitleAward
from tieuchi.evaluation import engine
from tieuchi.evaluation.models import Registration
from tieuchi.orgs.models import AdminUnit
from tieuchi.plans.models import Plan, Target

# Observation workflow states as the engine understands them: returned values are not counted.
STATUS = {
    "draft": "draft",
    "submitted": "submitted",
    "approved": "verified",
    "returned": "rejected",
}


def _threshold(t, measure_code: str = "") -> engine.ThresholdDef:
    return engine.ThresholdDef(
        layer=t.layer,
        unit_type=t.unit_type,
        comparator=t.comparator,
        value=t.value,
        value_max=t.value_max,
        level=t.level,
        benchmark=t.benchmark,
        baseline_value=t.baseline_value,
        baseline_text=t.baseline_text,
        target_year=t.target_year,
        text=t.text,
        source=t.source_document.number if t.source_document_id else "",
        measure_code=measure_code,
    )


# Catalog trees by (catalog, file hash, load time, document): a catalog changes only by loading
# its file again, so a tree read once stays right for as long as that key does.
_TREES: dict[tuple, tuple[tuple[engine.NodeDef, ...], dict[str, int]]] = {}


def _tree_key(catalog: Catalog) -> tuple:
    return (catalog.pk, catalog.source_sha256, catalog.loaded_at, catalog.legal_document_id)


def node_defs(catalog: Catalog) -> tuple[engine.NodeDef, ...]:
    """The catalog as the engine's node tree (read once per catalog version)."""
    return _tree(catalog)[0]


def node_ids(catalog: Catalog) -> dict[str, int]:
    """Catalog node ids by code, for the stored per-node results."""
    return _tree(catalog)[1]


def _tree(catalog: Catalog):
    key = _tree_key(catalog)
    if key not in _TREES:
        if len(_TREES) >= 16:
            _TREES.clear()
        ids = dict(CatalogNode.objects.filter(catalog=catalog).values_list("code", "pk"))
        _TREES[key] = (_read_node_defs(catalog), ids)
    return _TREES[key]


def _read_node_defs(catalog: Catalog) -> tuple[engine.NodeDef, ...]:
    source = catalog.legal_document.number

    def convert(view: NodeView) -> engine.NodeDef:
        node = view.node
        measures = tuple(
            engine.MeasureDef(
                code=m.code,
                name=m.name,
                kind=m.kind,
                unit=m.unit_of_measure,
                aggregation=m.aggregation,
                collected_at=m.collected_at or "ward",
                config={
                    **m.config,
                    **({"evidence_required": True} if node.evidence_required else {}),
                },
                thresholds=tuple(
                    dataclasses.replace(_threshold(t), source=_threshold(t).source or source)
                    for t in m.thresholds.all()
                ),
            )
            for m in view.measures
        )
        return engine.NodeDef(
            code=node.code,
            name=node.short_name or node.name,
            node_type=node.node_type,
            children=tuple(convert(child) for child in view.children),
            measures=measures,
            evidence_required=node.evidence_required,
        )

    return tuple(convert(view) for view in catalog_tree(catalog))


def unit_info(unit: AdminUnit) -> engine.UnitInfo:
    return engine.UnitInfo(
        id=unit.pk,
        code=unit.official_code,
        name=unit.name,
        unit_type=unit.unit_type,
        parent_id=unit.parent_id,
    )


# The engine judges a year ("2023"), its previous years and baselines; other monthly and quarterly
# figures are never read, so they are neither loaded nor part of the stored inputs.
def is_year(period: str) -> bool:
    """Periods are checked on entry ("2023", "2023-Q4", "2023-11"): four characters is a year."""
    return len(period) == 4


def other_baselines(catalog: Catalog) -> set[tuple[str, str]]:
    """(measure, period) of baselines that are not a year ("2021-Q1"): the engine reads those too."""
    found = set()
    stack = list(node_defs(catalog))
    while stack:
        node = stack.pop()
        stack.extend(node.children)
        for measure in node.measures:
            period = str(measure.config.get("baseline_period") or "")
            if period and not is_year(period):
                found.add((measure.code, period))
    return found


def figure_of(o: Observation) -> engine.Figure:
    return engine.Figure(
        unit_id=o.unit_id,
        measure_code=o.measure.code,
        period=o.period,
        numerator=o.numerator,
        denominator=o.denominator,
        value=o.value,
        boolean=o.boolean_value,
        level=o.level or None,
        status=STATUS.get(o.status, o.status),
        source=o.source,
        has_evidence=o.has_evidence,
    )


def event_of(e: Event) -> engine.EventRecord:
    return engine.EventRecord(
        unit_id=e.unit_id,
        measure_code=e.measure.code,
        occurred_on=e.occurred_on,
        description=e.description,
        source=e.source,
        cases=e.cases,
    )


def title_of(t: TitleAward) -> engine.TitleRecord:
    return engine.TitleRecord(
        unit_id=t.unit_id,
        title_code=t.title_code,
        title_name=t.title_name,
        valid_from=t.valid_from,
        valid_to=t.valid_to,
        revoked_on=t.revoked_on,
        decision=t.decision_text or (t.decision.number if t.decision_id else ""),
    )


def benchmark_of(b: Benchmark) -> engine.BenchmarkValue:
    return engine.BenchmarkValue(
        key=b.key, period=b.period, value=b.value, source=b.source, published_on=b.published_on
    )


def target_of(t: Target, plan: Plan) -> engine.ThresholdDef:
    return engine.ThresholdDef(
        layer=t.layer,
        comparator=t.comparator,
        value=t.value,
        value_max=t.value_max,
        text=t.text,
        source=plan.legal_document.number,
        measure_code=t.measure.code,
    )


def registration_of(registration: Registration | None, as_of: dt.date):
    """(engine registration, engine survey): the latest survey closed by the date."""
    if registration is None:
        return None, None
    done = [s for s in registration.surveys.all() if s.closed_on <= as_of]
    survey = (
        engine.Survey(respondents=done[0].respondents, satisfied=done[0].satisfied)
        if done
        else None
    )
    return engine.Registration(registration.registered_on, registration.kind), survey


def observations(catalog: Catalog, as_of: dt.date, codes: set[str] | None = None):
    """The year figures of the catalog entered for periods starting by the date."""
    wanted = Q(period_length=4)  # a year (see is_year)
    for code, period in other_baselines(catalog):
        wanted |= Q(measure__code=code, period=period)
    query = (
        Observation.objects.annotate(period_length=Length("period"))
        .filter(measure__node__catalog=catalog, period_start__lte=as_of)
        .filter(wanted)
    )
    if codes is not None:
        query = query.filter(measure__code__in=codes)
    evidence = Evidence.objects.filter(observation=OuterRef("pk"))
    return query.annotate(has_evidence=Exists(evidence)).select_related("measure")


def events(catalog: Catalog, as_of: dt.date, codes: set[str] | None = None):
    query = Event.objects.filter(measure__node__catalog=catalog, occurred_on__lte=as_of)
    if codes is not None:
        query = query.filter(measure__code__in=codes)
    return query.select_related("measure")


class DatabaseSource:
    """One unit's inputs read with a few queries; `codes` limits figures and events to measures."""

    def __init__(self, catalog: Catalog, as_of: dt.date, codes: set[str] | None = None):
        self.catalog, self.as_of, self.codes = catalog, as_of, codes

    def units_below(self, unit: AdminUnit) -> list[AdminUnit]:
        return list(AdminUnit.objects.filter(path__startswith=unit.path).valid_on(self.as_of))

    def figures(self, unit_ids: list[int]) -> list[engine.Figure]:
        found = observations(self.catalog, self.as_of, self.codes).filter(unit_id__in=unit_ids)
        return [figure_of(o) for o in found]

    def events(self, unit_ids: list[int]) -> list[engine.EventRecord]:
        found = events(self.catalog, self.as_of, self.codes).filter(unit_id__in=unit_ids)
        return [event_of(e) for e in found]

    def titles(self, unit_ids: list[int]) -> list[engine.TitleRecord]:
        found = (
            TitleAward.objects.filter(unit_id__in=unit_ids)
            .select_related("decision")
            .order_by(*TITLE_ORDER)
        )
        return [title_of(t) for t in found]

    def benchmarks(self, scope_ids: list[int]) -> list[engine.BenchmarkValue]:
        found = Benchmark.objects.filter(scope_unit_id__in=scope_ids).order_by(*BENCHMARK_ORDER)
        return [benchmark_of(b) for b in found]

    def plan_targets(self, plan: Plan) -> list[engine.ThresholdDef]:
        found = plan.targets.filter(measure__isnull=False).select_related("measure")
        return [target_of(t, plan) for t in found]

    def registration(self, unit: AdminUnit):
        found = (
            Registration.objects.filter(
                unit=unit, catalog__key=self.catalog.key, registered_on__lte=self.as_of
            )
            .prefetch_related("surveys")
            .first()
        )
        return registration_of(found, self.as_of)


BENCHMARK_ORDER = ("scope_unit__path", "key", "period", "pk")
TITLE_ORDER = ("unit_id", "title_code", "-valid_from", "pk")


def unit_order(unit: AdminUnit) -> tuple:
    """Units in tree order, by Python's string order (a database collation may differ)."""
    return (unit.path, unit.official_code)


def figure_order(figure) -> tuple:
    """Stored inputs list figures in this order, so that equal inputs hash equally."""
    get = figure.get if isinstance(figure, dict) else figure.__getattribute__
    return (get("unit_id"), get("measure_code"), str(get("period")))


def event_order(event) -> tuple:
    get = event.get if isinstance(event, dict) else event.__getattribute__
    return (
        get("unit_id"),
        get("measure_code"),
        str(get("occurred_on")),
        get("description"),
        get("source"),
    )


def build_input(
    unit: AdminUnit,
    catalog: Catalog,
    as_of: dt.date,
    *,
    plan: Plan | None = None,
    period: str = "",
    source=None,
    nodes: tuple[engine.NodeDef, ...] | None = None,
) -> engine.EvaluationInput:
    """Everything the engine needs for `unit` (and the units below it) on `as_of`."""
    source = source or DatabaseSource(catalog, as_of)
    units = sorted(source.units_below(unit), key=unit_order)
    if unit not in units:
        units.insert(0, unit)
    unit_ids = [u.pk for u in units]
    registration, survey = source.registration(unit)
    return engine.EvaluationInput(
        as_of=as_of,
        unit=unit_info(unit),
        catalog_key=catalog.key,
        period=period or str(as_of.year),
        units=tuple(unit_info(u) for u in units),
        nodes=nodes if nodes is not None else node_defs(catalog),
        figures=tuple(sorted(source.figures(unit_ids), key=figure_order)),
        events=tuple(sorted(source.events(unit_ids), key=event_order)),
        titles=tuple(source.titles(unit_ids)),
        benchmarks=tuple(source.benchmarks([*unit.ancestor_ids, unit.pk])),
        extra_thresholds=tuple(source.plan_targets(plan)) if plan is not None else (),
        registration=registration,
        survey=survey,
        recognition_rule=catalog.recognition_rule,
    )


def snapshot(inp: engine.EvaluationInput) -> tuple[dict, str]:
    """A JSON copy of the inputs (without the catalog tree, which is versioned) and its hash."""

    def plain(value):
        if isinstance(value, Decimal):
            return str(value)
        if isinstance(value, dt.date):
            return value.isoformat()
        return value

    def row(record) -> dict:  # flat frozen dataclasses: vars() is asdict() without deep copies
        return {k: plain(v) for k, v in vars(record).items()}

    data = {
        "as_of": inp.as_of.isoformat(),
        "period": inp.period,
        "catalog": inp.catalog_key,
        "units": [dict(vars(u)) for u in inp.units],
        "figures": [row(f) for f in inp.figures],
        "events": [row(e) for e in inp.events],
        "titles": [row(t) for t in inp.titles],
        "benchmarks": [row(b) for b in inp.benchmarks],
        "plan_targets": [row(t) for t in inp.extra_thresholds],
        "registration": row(inp.registration) if inp.registration else None,
        "survey": dict(vars(inp.survey)) if inp.survey else None,
    }
    return data, hash_inputs(data)


def hash_inputs(data: dict) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


def units_needing(unit: AdminUnit) -> Q:
    """The unit and its ancestors: the only results a change of this unit's figures can affect."""
    return Q(pk__in=[*unit.ancestor_ids, unit.pk])
