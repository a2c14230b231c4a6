"""Keep the aggregate sets current after figures change: the ≤ 4 rows on the unit's path.

For a change at unit U the lowest stored unit on its path, K, is U itself or (for a TDP) its ward.
In one transaction the rows of K and its ancestors are locked (SELECT … FOR UPDATE, in id order),
K's below sums are read again from its sub-units (the TDPs' figures, the stored rows of kept
sub-units) together with K's own figure, and whatever moved in K's effective part walks up with
`batch.propagate`. Rows whose effective part moved are judged again by the same `ThresholdTable`.

Reading K again instead of adding (new − old) makes the upkeep idempotent: it may run twice, or
after a rebuild that already saw the change, and still give the rows a rebuild would give.
Two changes in one ward serialise on the ward's row; the deltas above it are taken under lock.
"""

from __future__ import annotations

from collections import defaultdict

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from tieuchi.catalog.models import Catalog
from tieuchi.collection.models import Observation
from tieuchi.evaluation import batch
from tieuchi.evaluation.aggregates import measure_definitions
from tieuchi.evaluation.batch.full import integral
from tieuchi.evaluation.batch.thresholds import VERDICTS
from tieuchi.evaluation.engine.types import RESIDENTIAL_TYPES
from tieuchi.evaluation.models import MeasureAggregate
from tieuchi.evaluation.models.aggregates import own_link
from tieuchi.orgs.models import AdminUnit

FIELDS = ("below_num", "below_den", "below_reported", "below_expected")
FIELDS += ("own_num", "own_den", "own_state", "verdict", "updated_at")


class _Moved(Exception):
    """The locked rows do not make whole paths: a rebuild has just replaced the set; read again."""


def refresh_after_figures_changed(
    sender,
    unit: AdminUnit,
    catalog: Catalog,
    measure=None,
    period: str = "",
    refreshed: set | None = None,
    **kwargs,
) -> int:
    """Signal receiver (after commit). A named figure refreshes one cell per set; other senders
    (Excel import, submission workflow, evidence) refresh every cell of the unit's path.

    A TDP's path is refreshed from its ward (the lowest stored unit), which is read again from
    all its TDPs: so of the signals sharing one `refreshed` set (one commit), the first for a
    ward does the work for every TDP of that ward."""
    if measure is not None:
        return refresh_path(unit, catalog, measure_ids=[measure.pk], periods=[period])
    if refreshed is not None:
        leaf = unit.unit_type in RESIDENTIAL_TYPES and unit.parent_id is not None
        key = ("aggregates", unit.parent_id if leaf else unit.pk)
        if key in refreshed:
            return 0
        refreshed.add(key)
    return refresh_path(unit, catalog)


def refresh_path(unit: AdminUnit, catalog: Catalog, *, measure_ids=None, periods=None) -> int:
    """Bring the rows of `unit`'s path up to date in every set of `catalog`; rows written."""
    for attempt in (1, 2):
        try:
            return _refresh(unit, catalog, measure_ids, periods)
        except _Moved:
            if attempt == 2:
                raise
    return 0  # pragma: no cover


def _cells(catalog: Catalog, measure_ids, periods):
    found = MeasureAggregate.objects.filter(catalog=catalog)
    if measure_ids is not None:
        found = found.filter(measure_id__in=measure_ids)
    if periods is not None:
        found = found.filter(period__in=periods)
    return found


def _refresh(unit: AdminUnit, catalog: Catalog, measure_ids, periods) -> int:
    path = [*unit.ancestor_ids, unit.pk]
    cells = _cells(catalog, measure_ids, periods).filter(unit_id__in=path)
    written = 0
    with transaction.atomic():
        locked = list(
            cells.select_for_update(of=("self",))
            .annotate(unit_type=F("unit__unit_type"), code=F("measure__code"))
            .order_by("pk")
        )
        if not locked:
            if cells.exists():  # rows deleted under the lock: a rebuild has just replaced them
                raise _Moved
            return 0  # no set holds this unit, measure and period
        by_set = defaultdict(dict)
        for row in locked:
            by_set[row.as_of][(row.measure_id, row.period, row.unit_id)] = row
        for as_of, rows in by_set.items():
            stored = {unit_id for _, _, unit_id in rows}
            chain = []
            for unit_id in reversed(path):  # the lowest stored unit, then its stored ancestors
                if unit_id in stored:
                    chain.append(unit_id)
                elif chain:
                    break  # a parent not valid that day: the unit is a root of that set
            written += _refresh_set(catalog, as_of, chain, rows)
    return written


def _refresh_set(catalog: Catalog, as_of, chain: list[int], rows: dict) -> int:
    keys = sorted({(m, p) for m, p, unit_id in rows if unit_id in chain})
    if any((m, p, u) not in rows for m, p in keys for u in chain):
        raise _Moved
    lowest = chain[0]
    kids, kept_units = [], set()
    kept, figures = defaultdict(list), {}
    for kind, unit_id, measure_id, period, *values in _below(catalog, as_of, lowest, keys):
        if kind == KID:
            kids.append(unit_id)
        elif kind == FIGURE:
            figures[(unit_id, measure_id, period)] = tuple(values[:2])
        else:  # a sub-unit with rows of its own: its effective part
            below, own = tuple(values[:4]), own_link(*values[4:7])
            link = batch.Link(below, own, bool(values[7]))  # type: ignore[arg-type]
            kept[(measure_id, period)].append(link.effective())
            kept_units.add(unit_id)
    leaves = [k for k in kids if k not in kept_units]
    return _apply(catalog, as_of, chain, rows, keys, leaves, kept, figures)


KID, FIGURE, ROW = 0, 1, 2


def _below(catalog: Catalog, as_of, lowest: int, keys) -> list[tuple]:
    """One query for what K's below sums are made of: its sub-units valid that day (KID), the
    figures of K and its sub-units (FIGURE; those of sub-units with rows are not used) and the
    rows of its sub-units that have rows (ROW)."""
    quote = connection.ops.quote_name
    units = quote(AdminUnit._meta.db_table)
    figures = quote(Observation._meta.db_table)
    aggregates = quote(MeasureAggregate._meta.db_table)
    day = connection.ops.adapt_datefield_value(as_of)
    measure_ids = sorted({m for m, _ in keys})
    periods = sorted({p for _, p in keys})
    in_measures = ", ".join(["%s"] * len(measure_ids))
    in_periods = ", ".join(["%s"] * len(periods))
    valid = (
        "(u.valid_from IS NULL OR u.valid_from <= %s) AND (u.valid_to IS NULL OR u.valid_to >= %s)"
    )
    sql = f"""
        SELECT {KID}, u.id, NULL, NULL, NULL, NULL, 0, 0, 0, 0, 0, 0
        FROM {units} u WHERE u.parent_id = %s AND {valid}
        UNION ALL
        SELECT {FIGURE}, o.unit_id, o.measure_id, o.period, o.numerator, o.denominator,
               0, 0, 0, 0, 0, 0
        FROM {figures} o JOIN {units} u ON u.id = o.unit_id
        WHERE (u.id = %s OR (u.parent_id = %s AND {valid}))
          AND o.measure_id IN ({in_measures}) AND o.period IN ({in_periods})
          AND o.period_start <= %s AND o.status <> %s  -- as aggregates.counted
        UNION ALL
        SELECT {ROW}, a.unit_id, a.measure_id, a.period, a.below_num, a.below_den,
               a.below_reported, a.below_expected, a.own_num, a.own_den, a.own_state,
               CASE WHEN a.reporter THEN 1 ELSE 0 END
        FROM {aggregates} a JOIN {units} u ON u.id = a.unit_id
        WHERE u.parent_id = %s AND {valid} AND a.catalog_id = %s AND a.as_of = %s
          AND a.measure_id IN ({in_measures}) AND a.period IN ({in_periods})
    """
    params = [lowest, day, day]
    params += [lowest, lowest, day, day, *measure_ids, *periods, day, Observation.Status.RETURNED]
    params += [lowest, day, day, catalog.pk, day, *measure_ids, *periods]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _whole(figure):
    return None if figure is None else (integral(figure[0]), integral(figure[1]))


def _apply(catalog, as_of, chain, rows, keys, leaves, kept, figures) -> int:
    """K's link read again per cell, the change walked up, moved rows judged; rows written."""
    definitions = measure_definitions(catalog)
    now = timezone.now()
    changed_rows, judged, dropped = [], defaultdict(list), set()
    for m, p in keys:
        try:
            parts = [batch.leaf_part(_whole(figures.get((leaf, m, p)))) for leaf in leaves]
            own = _whole(figures.get((chain[0], m, p)))
        except ValueError:
            # Not a whole number: a rebuild leaves the measure out of the set, so does this.
            MeasureAggregate.objects.filter(catalog=catalog, as_of=as_of, measure_id=m).delete()
            dropped.add(m)
            continue
        below = batch.below_of([*parts, *kept[(m, p)]])
        links = [rows[(m, p, unit_id)].link() for unit_id in chain]
        for i, link, moved in batch.refresh(links, below, own):
            row = rows[(m, p, chain[i])]
            row.set_link(link)
            row.updated_at = now
            changed_rows.append(row)
            if moved:
                judged[row.code].append((row, link.effective()))
    for code, cells in judged.items():
        types = sorted({row.unit_type for row, _ in cells})
        table = batch.ThresholdTable([definitions[code]], types)
        at = [types.index(row.unit_type) for row, _ in cells]
        verdicts = table.judge_parts([part for _, part in cells], at, 0)
        for (row, _), verdict in zip(cells, verdicts, strict=True):
            row.verdict = str(VERDICTS[verdict])
    live = [row for row in changed_rows if row.measure_id not in dropped]
    for start in range(0, len(live), WRITE_CHUNK):
        _write(live[start : start + WRITE_CHUNK])
    return len(live)


# Rows per UPDATE: 17 parameters a row stay far below the databases' limits on parameters.
WRITE_CHUNK = 200


def _write(rows: list[MeasureAggregate]) -> None:
    """One UPDATE statement for the changed rows, each column a CASE over the ids (one round
    trip; bulk_update's expressions cost more Python time than the rest of the upkeep)."""
    quote = connection.ops.quote_name
    table = quote(MeasureAggregate._meta.db_table)
    stamp = connection.ops.adapt_datetimefield_value(rows[0].updated_at)
    whens = " ".join(["WHEN %s THEN %s"] * len(rows))
    assignments, params = [], []
    for name in FIELDS[:-1]:
        assignments.append(f"{quote(name)} = CASE id {whens} END")
        for row in rows:
            params += [row.pk, getattr(row, name)]
    assignments.append(f"{quote(FIELDS[-1])} = %s")
    params.append(stamp)
    ids = ", ".join(["%s"] * len(rows))
    params += [row.pk for row in rows]
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET {', '.join(assignments)} WHERE id IN ({ids})", params)
