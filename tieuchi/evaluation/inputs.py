"""Read the database into the engine's plain records (the only place evaluation touches the ORM)."""

import dataclasses
import datetime as dt
import hashlib
import json
from decimal import Decimal

from django.db.models import Exists, OuterRef, Q

from tieuchi.catalog.models import Catalog
from tieuchi.catalog.queries import NodeView, catalog_tree
from tieuchi.collection.models import Benchmark, Event, Evidence, Observation, TitleAward
from tieuchi.evaluation import engine
from tieuchi.evaluation.models import Registration
from tieuchi.orgs.models import AdminUnit
from tieuchi.plans.models import Plan

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


def node_defs(catalog: Catalog) -> tuple[engine.NodeDef, ...]:
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


def build_input(
    unit: AdminUnit, catalog: Catalog, as_of: dt.date, *, plan: Plan | None = None, period: str = ""
) -> engine.EvaluationInput:
    """Everything the engine needs for `unit` (and the units below it) on `as_of`."""
    units = list(AdminUnit.objects.filter(path__startswith=unit.path).valid_on(as_of))
    if unit not in units:
        units.insert(0, unit)
    unit_ids = [u.pk for u in units]
    year = as_of.year
    evidence = Evidence.objects.filter(observation=OuterRef("pk"))
    observations = (
        Observation.objects.filter(
            unit_id__in=unit_ids, measure__node__catalog=catalog, period_start__lte=as_of
        )
        .annotate(has_evidence=Exists(evidence))
        .select_related("measure")
    )
    figures = tuple(
        engine.Figure(
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
        for o in observations
    )
    events = tuple(
        engine.EventRecord(
            unit_id=e.unit_id,
            measure_code=e.measure.code,
            occurred_on=e.occurred_on,
            description=e.description,
            source=e.source,
            cases=e.cases,
        )
        for e in Event.objects.filter(
            unit_id__in=unit_ids, measure__node__catalog=catalog, occurred_on__lte=as_of
        ).select_related("measure")
    )
    titles = tuple(
        engine.TitleRecord(
            unit_id=t.unit_id,
            title_code=t.title_code,
            title_name=t.title_name,
            valid_from=t.valid_from,
            valid_to=t.valid_to,
            revoked_on=t.revoked_on,
            decision=t.decision_text or (t.decision.number if t.decision_id else ""),
        )
        for t in TitleAward.objects.filter(unit_id__in=unit_ids).select_related("decision")
    )
    scope_ids = [*unit.ancestor_ids, unit.pk]
    benchmarks = tuple(
        engine.BenchmarkValue(
            key=b.key, period=b.period, value=b.value, source=b.source, published_on=b.published_on
        )
        for b in Benchmark.objects.filter(scope_unit_id__in=scope_ids).order_by("scope_unit__path")
    )
    extra = ()
    if plan is not None:
        extra = tuple(
            engine.ThresholdDef(
                layer=t.layer,
                comparator=t.comparator,
                value=t.value,
                value_max=t.value_max,
                text=t.text,
                source=plan.legal_document.number,
                measure_code=t.measure.code,
            )
            for t in plan.targets.filter(measure__isnull=False).select_related("measure")
        )
    registration = (
        Registration.objects.filter(unit=unit, catalog__key=catalog.key, registered_on__lte=as_of)
        .prefetch_related("surveys")
        .first()
    )
    survey = None
    if registration:
        done = [s for s in registration.surveys.all() if s.closed_on <= as_of]
        survey = (
            engine.Survey(respondents=done[0].respondents, satisfied=done[0].satisfied)
            if done
            else None
        )
    return engine.EvaluationInput(
        as_of=as_of,
        unit=unit_info(unit),
        catalog_key=catalog.key,
        period=period or str(year),
        units=tuple(unit_info(u) for u in units),
        nodes=node_defs(catalog),
        figures=figures,
        events=events,
        titles=titles,
        benchmarks=benchmarks,
        extra_thresholds=extra,
        registration=engine.Registration(registration.registered_on, registration.kind)
        if registration
        else None,
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

    data = {
        "as_of": inp.as_of.isoformat(),
        "period": inp.period,
        "catalog": inp.catalog_key,
        "units": [dataclasses.asdict(u) for u in inp.units],
        "figures": [{k: plain(v) for k, v in dataclasses.asdict(f).items()} for f in inp.figures],
        "events": [{k: plain(v) for k, v in dataclasses.asdict(e).items()} for e in inp.events],
        "titles": [{k: plain(v) for k, v in dataclasses.asdict(t).items()} for t in inp.titles],
        "benchmarks": [
            {k: plain(v) for k, v in dataclasses.asdict(b).items()} for b in inp.benchmarks
        ],
        "plan_targets": [
            {k: plain(v) for k, v in dataclasses.asdict(t).items()} for t in inp.extra_thresholds
        ],
        "registration": {k: plain(v) for k, v in dataclasses.asdict(inp.registration).items()}
        if inp.registration
        else None,
        "survey": dataclasses.asdict(inp.survey) if inp.survey else None,
    }
    digest = hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()
    return data, digest


def units_needing(unit: AdminUnit) -> Q:
    """The unit and its ancestors: the only results a change of this unit's figures can affect."""
    return Q(pk__in=[*unit.ancestor_ids, unit.pk])
