"""Full rebuild of an aggregate set (catalog, as_of) by the batch path, stored as `MeasureAggregate`.

The units valid on the day and the figures that count are read with one query each, handed to
DuckDB as arrays, summed and judged by `batch.evaluate_full` (the function `bench/evaluate.py`
times at national scale), and the set's rows are replaced in one transaction: COPY on PostgreSQL,
executemany elsewhere, and one audit record. `aggregates_upkeep.py` keeps the rows current after
each change of figures.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb
import numpy as np
from django.db import connection, transaction
from django.utils import timezone

from tieuchi.accounts import audit
from tieuchi.accounts.audit import copy_field, copy_lines
from tieuchi.catalog.models import Catalog, Measure
from tieuchi.collection.models import Observation
from tieuchi.evaluation import batch
from tieuchi.evaluation.batch.thresholds import VERDICTS
from tieuchi.evaluation.engine import MeasureDef
from tieuchi.evaluation.engine.types import RESIDENTIAL_TYPES
from tieuchi.evaluation.inputs import node_defs
from tieuchi.evaluation.models import MeasureAggregate
from tieuchi.orgs.models import AdminUnit, UnitType

COLUMNS = (
    "catalog_id",
    "as_of",
    "unit_id",
    "measure_id",
    "period",
    "below_num",
    "below_den",
    "below_reported",
    "below_expected",
    "own_num",
    "own_den",
    "own_state",
    "reporter",
    "verdict",
    "updated_at",
)


def year_periods(year: int) -> tuple[str, ...]:
    """The periods of a set, spelled as figures are entered (`collection.services.period_bounds`)."""
    quarters = tuple(f"{year}-Q{q}" for q in range(1, 5))
    months = tuple(f"{year}-{m:02d}" for m in range(1, 13))
    return (str(year), *quarters, *months)


def counted(queryset):
    """Figures that count, as in the engine: every status except returned ("rejected")."""
    return queryset.exclude(status=Observation.Status.RETURNED)


# Per catalog: (its node tree as read by `node_defs`, the measures by code). The tree object is
# cached by `inputs` per catalog version, so the walk is redone only when the catalog changes.
_DEFINITIONS: dict[int, tuple] = {}


def measure_definitions(catalog: Catalog) -> dict[str, MeasureDef]:
    """Every measure of the catalog as the engine defines it, by code."""
    nodes = node_defs(catalog)
    cached = _DEFINITIONS.get(catalog.pk)
    if cached is None or cached[0] is not nodes:
        found, stack = {}, list(nodes)
        while stack:
            node = stack.pop()
            stack.extend(node.children)
            found.update((measure.code, measure) for measure in node.measures)
        cached = _DEFINITIONS[catalog.pk] = (nodes, found)
    return cached[1]


def ratio_measures(catalog: Catalog) -> list[MeasureDef]:
    """The catalog's measures the batch path judges (ratios with supported comparators)."""
    found = []
    for measure in measure_definitions(catalog).values():
        try:
            batch.check_measure(measure)
        except batch.UnsupportedMeasure:
            continue
        found.append(measure)
    found.sort(key=lambda m: m.code)
    return batch.supported(found, UnitType.values)


@dataclass(frozen=True)
class Rebuilt:
    rows: int
    measures: int
    units: int
    figures: int
    skipped: tuple[str, ...]  # measures left out: a figure is not a whole number
    counts: dict[str, int]


def _figures(as_of: dt.date, measure_ids: list[int], periods: tuple[str, ...]) -> list[tuple]:
    """(unit, measure, period, numerator, denominator, whole) of the figures that count
    (`counted`), the parts as integers; `whole` is 0 when a part is not a whole number.

    Plain SQL: the ORM's per-value Decimal conversion was a third of a rebuild's time."""
    quote = connection.ops.quote_name
    table = quote(Observation._meta.db_table)
    parts = ("numerator", "denominator")
    whole = " AND ".join(f"(o.{n} IS NULL OR o.{n} = CAST(o.{n} AS BIGINT))" for n in parts)
    sql = f"""
        SELECT o.unit_id, o.measure_id, o.period, CAST(o.numerator AS BIGINT),
               CAST(o.denominator AS BIGINT), CASE WHEN {whole} THEN 1 ELSE 0 END
        FROM {table} o
        WHERE o.measure_id IN ({", ".join(["%s"] * len(measure_ids))})
          AND o.period IN ({", ".join(["%s"] * len(periods))})
          AND o.period_start <= %s AND o.status <> %s
    """
    params = [*measure_ids, *periods, connection.ops.adapt_datefield_value(as_of)]
    params.append(Observation.Status.RETURNED)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def rebuild(catalog: Catalog, as_of: dt.date, *, actor=None, channel: str = "system") -> Rebuilt:
    """Replace the (catalog, as_of) set with a fresh batch evaluation of every unit."""
    measures = ratio_measures(catalog)
    codes = dict(
        Measure.objects.filter(
            node__catalog=catalog, code__in=[m.code for m in measures]
        ).values_list("code", "pk")
    )
    measures = [m for m in measures if m.code in codes]
    periods = year_periods(as_of.year)
    with transaction.atomic():
        # Deleting first locks the old rows: an upkeep running now waits, then reads the new set,
        # and every figure committed before the reads below is in it.
        _delete(catalog, as_of)
        # No measure the batch path judges: the set stays empty (the rebuild is still recorded).
        result = _evaluate(catalog, as_of, measures, codes, periods) if measures else EMPTY
        audit.record(
            actor,
            "rebuild_aggregates",
            catalog,
            after={"as_of": as_of.isoformat()} | _summary(result),
            channel=channel,
        )
    return result


EMPTY = Rebuilt(0, 0, 0, 0, (), {})


def _evaluate(catalog: Catalog, as_of: dt.date, measures, codes: dict, periods) -> Rebuilt:
    """Read units and figures, evaluate them all with the batch path, write the rows."""
    units = list(AdminUnit.objects.valid_on(as_of).values_list("pk", "parent_id", "unit_type"))
    figures = list(_figures(as_of, list(codes.values()), periods))
    measures, skipped, columns = _columns(figures, measures, codes, periods)
    table = batch.UnitTable(
        [u[0] for u in units],
        [u[1] for u in units],
        [u[2] for u in units],
        leaf_types=RESIDENTIAL_TYPES,
    )
    con = duckdb.connect()
    try:
        view = batch.register_arrays(con, "figures", *columns)
        state = batch.evaluate_full(con, view, table, measures, periods)
    finally:
        con.close()
    written = _write(catalog, as_of, state, [codes[m.code] for m in measures])
    return Rebuilt(written, len(measures), len(table), len(figures), skipped, state.counts())


def _delete(catalog: Catalog, as_of: dt.date) -> None:
    """One DELETE statement (a queryset's delete() would load every row to send its signals)."""
    table = connection.ops.quote_name(MeasureAggregate._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {table} WHERE catalog_id = %s AND as_of = %s",
            [catalog.pk, connection.ops.adapt_datefield_value(as_of)],
        )


def _summary(result: Rebuilt) -> dict:
    return {
        "rows": result.rows,
        "measures": result.measures,
        "units": result.units,
        "figures": result.figures,
        "skipped": list(result.skipped),
        "verdicts": result.counts,
    }


def _columns(figures, measures: list[MeasureDef], codes: dict[str, int], periods):
    """Figures as arrays of measure and period indexes; a measure with a figure that is not a whole
    number is left out of the set (the batch path sums counts; the engine still judges it)."""
    period_at = {p: i for i, p in enumerate(periods)}
    bad = {row[1] for row in figures if not row[5]}
    kept = [m for m in measures if codes[m.code] not in bad]
    at = {codes[m.code]: i for i, m in enumerate(kept)}
    rows = [row for row in figures if row[1] in at] if bad else figures
    columns = (
        [row[0] for row in rows],
        [at[row[1]] for row in rows],
        [period_at[row[2]] for row in rows],
        [row[3] for row in rows],
        [row[4] for row in rows],
    )
    skipped = tuple(sorted(m.code for m in measures if codes[m.code] in bad))
    return kept, skipped, columns


def _write(catalog: Catalog, as_of: dt.date, state: batch.State, measure_ids: list[int]) -> int:
    shape = state.verdict.shape
    u, m, p = np.indices(shape).reshape(3, -1)
    verdicts = np.array([str(v) for v in VERDICTS], dtype=object)
    data = [
        state.units.kept_ids[u].tolist(),
        np.asarray(measure_ids, dtype=np.int64)[m].tolist() if measure_ids else [],
        np.asarray(state.periods, dtype=object)[p].tolist(),
        *(column.tolist() for column in state.below.reshape(4, -1)),
        *(column.tolist() for column in state.own.reshape(2, -1)),
        state.own_state.ravel().tolist(),
        np.broadcast_to(state.reporter[:, :, None], shape).ravel().tolist(),
        verdicts[state.verdict.ravel()].tolist(),
    ]
    if not measure_ids:
        return 0
    now = timezone.now()
    if connection.vendor == "postgresql":
        # Every value is a number, a period or a verdict: nothing to escape in COPY's text format.
        data[10] = ["t" if flag else "f" for flag in data[10]]
        fixed = f"{catalog.pk}\t{as_of.isoformat()}"
        stamp = copy_field(now)
        lines = ("\t".join((fixed, *map(str, row), stamp)) for row in zip(*data, strict=True))
        return copy_lines(MeasureAggregate._meta.db_table, COLUMNS, lines)
    # SQLite: the driver's own executemany, without Django's per-row parameter conversion.
    quote = connection.ops.quote_name
    sql = (
        f"INSERT INTO {quote(MeasureAggregate._meta.db_table)} "
        f"({', '.join(map(quote, COLUMNS))}) VALUES ({', '.join(['?'] * len(COLUMNS))})"
    )
    day = connection.ops.adapt_datefield_value(as_of)
    stamp = connection.ops.adapt_datetimefield_value(now)
    params = [(catalog.pk, day, *row, stamp) for row in zip(*data, strict=True)]
    connection.ensure_connection()
    connection.connection.executemany(sql, params)
    return len(params)
