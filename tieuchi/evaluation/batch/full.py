"""Full recompute: one DuckDB pass over a figure snapshot, then the upper levels in numpy.

The snapshot is any DuckDB relation with the columns

    unit_id BIGINT, measure INTEGER, period INTEGER, numerator BIGINT NULL, denominator BIGINT NULL

where `measure` and `period` index the lists given to `evaluate_full` (the exporter maps codes to
these numbers), one row per (unit, measure, period), rejected figures left out, and a NULL part
meaning the figure is incomplete. In production it is Parquet exported from PostgreSQL.

DuckDB does the one expensive step: joining every figure to its unit and summing the leaves'
(TDP) figures per parent, commune × measure × period. Those sums land in the dense arrays of
`State`; the levels above (province, nation: a few thousand units) are added up in numpy, level by
level, and every cell is judged at once.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal

import duckdb
import numpy as np

from tieuchi.evaluation.engine import Figure, MeasureDef, ThresholdDef

from .state import OWN_COMPLETE, OWN_INCOMPLETE, State
from .thresholds import ThresholdTable
from .units import UnitTable

COMPLETE = "f.numerator IS NOT NULL AND f.denominator IS NOT NULL"
ROLLUP_SQL = f"""
SELECT u.target AS pos, u.leaf, f.measure, f.period,
       coalesce(sum(f.numerator) FILTER (WHERE {COMPLETE}), 0)::BIGINT AS num,
       coalesce(sum(f.denominator) FILTER (WHERE {COMPLETE}), 0)::BIGINT AS den,
       count(*) FILTER (WHERE {COMPLETE})::BIGINT AS reported,
       count(*)::BIGINT AS rows
FROM {{figures}} AS f JOIN batch_units AS u ON f.unit_id = u.unit_id
WHERE f.measure BETWEEN 0 AND {{last_measure}} AND f.period BETWEEN 0 AND {{last_period}}
GROUP BY ALL
"""


def evaluate_full(
    con: duckdb.DuckDBPyConnection,
    figures: str,
    units: UnitTable,
    measures: Sequence[MeasureDef],
    periods: Sequence[str],
    extra: Sequence[ThresholdDef] = (),
) -> State:
    """Aggregates and verdicts of every kept unit × measure × period.

    `figures` is a relation usable in FROM: a table or view name, or
    "read_parquet('snapshot/figures-*.parquet')".
    """
    state = State(units, measures, periods, ThresholdTable(measures, units.type_names, extra))
    con.register("batch_units", units.duckdb_table())
    sql = ROLLUP_SQL.format(
        figures=figures, last_measure=len(measures) - 1, last_period=len(periods) - 1
    )
    found = con.execute(sql).fetchnumpy()
    con.unregister("batch_units")
    pos, leaf = np.asarray(found["pos"]), np.asarray(found["leaf"], dtype=bool)
    m, p = np.asarray(found["measure"]), np.asarray(found["period"])
    sums = [np.asarray(found[c]) for c in ("num", "den", "reported")]
    below = (pos[leaf], m[leaf], p[leaf])
    for i in range(3):
        state.below[i][below] = sums[i][leaf]
    own = ~leaf
    cells = (pos[own], m[own], p[own])
    state.own[0][cells], state.own[1][cells] = sums[0][own], sums[1][own]
    state.own_state[cells] = np.where(sums[2][own] > 0, OWN_COMPLETE, OWN_INCOMPLETE)
    state.roll_up()
    state.judge_all()
    return state


def integral(value) -> int | None:
    """A figure part as an integer; ratio figures are counts (people, households, schools)."""
    if value is None:
        return None
    number = Decimal(str(value)) if not isinstance(value, Decimal) else value
    if number != number.to_integral_value():
        raise ValueError(f"ratio figure {value} is not a whole number")
    return int(number)


def register_figures(
    con: duckdb.DuckDBPyConnection,
    name: str,
    figures: Iterable[Figure],
    measures: Sequence[MeasureDef],
    periods: Sequence[str],
) -> str:
    """Register engine `Figure`s (tests, small exports) as the snapshot view `name`.

    Rejected figures are left out; of several figures for one key the last wins (as in the
    engine); figures of other measures or periods are ignored.
    """
    measure_at = {m.code: i for i, m in enumerate(measures)}
    period_at = {p: i for i, p in enumerate(periods)}
    keyed = {}
    for f in figures:
        if f.status != "rejected" and f.measure_code in measure_at and str(f.period) in period_at:
            key = (f.unit_id, measure_at[f.measure_code], period_at[str(f.period)])
            keyed[key] = (integral(f.numerator), integral(f.denominator))
    keys = np.array(list(keyed), dtype=np.int64).reshape(-1, 3)
    nums = [n for n, _ in keyed.values()]
    dens = [d for _, d in keyed.values()]
    return register_arrays(con, name, keys[:, 0], keys[:, 1], keys[:, 2], nums, dens)


def register_arrays(con: duckdb.DuckDBPyConnection, name, unit_ids, measures, periods, nums, dens):
    """Register figure columns as the snapshot view `name`.

    `measures` and `periods` are indexes into the lists given to `evaluate_full`; `nums` and `dens`
    are whole numbers or None (an incomplete figure). One row per (unit, measure, period).
    """
    con.register(
        f"{name}_arrays",
        {
            "unit_id": np.asarray(unit_ids, dtype=np.int64),
            "measure": np.asarray(measures, dtype=np.int64),
            "period": np.asarray(periods, dtype=np.int64),
            "numerator": np.array([n or 0 for n in nums], dtype=np.int64),
            "denominator": np.array([d or 0 for d in dens], dtype=np.int64),
            "has_num": np.array([n is not None for n in nums], dtype=bool),
            "has_den": np.array([d is not None for d in dens], dtype=bool),
        },
    )
    con.execute(
        f"CREATE OR REPLACE TEMP VIEW {name} AS SELECT unit_id, measure::INTEGER AS measure, "
        "period::INTEGER AS period, CASE WHEN has_num THEN numerator END AS numerator, "
        f"CASE WHEN has_den THEN denominator END AS denominator FROM {name}_arrays"
    )
    return name
