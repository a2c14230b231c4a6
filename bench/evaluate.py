"""Benchmark of tieuchi's evaluation at national scale (issue 4, "Stored results and speed").

    .venv/bin/python bench/evaluate.py              # scale 0.1: ~7.2M figures
    .venv/bin/python bench/evaluate.py --scale 1    # 34 provinces, 3,321 communes, ~72M figures
    .venv/bin/python bench/evaluate.py --scale 0.01 # smoke test, a few seconds

Generates the data set in code (fixed seed) as Parquet in a temporary directory, then measures
in the same run:
  (a) the full evaluation (tieuchi.evaluation.batch: sums at every level + verdicts) against a
      hand-written DuckDB query computing the same rollups over the same Parquet files. It times
      `evaluate_full`, the same function the product's recompute job calls on its database
      snapshot (`tieuchi.evaluation.aggregates.rebuild`, before the per-unit engine phase);
  (b) the median time to re-evaluate after one value changes (random single-value changes,
      in memory and with the aggregates stored in an SQLite table);
  (c) the peak memory of the process (resident set size).
The last line printed is one JSON object: {"values", "full_ratio", "incremental_ms", "peak_mib"}.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import Dataset, generate  # noqa: E402
from stored import StoredAggregates  # noqa: E402

from tieuchi.evaluation.batch import State, UnitTable, evaluate_full  # noqa: E402

COMPLETE = "numerator IS NOT NULL AND denominator IS NOT NULL"
REFERENCE_SQL = f"""
CREATE OR REPLACE TEMP TABLE reference AS
WITH units AS (SELECT * FROM read_parquet('{{units}}')),
leaf AS (
    SELECT t.unit_id, t.parent_id AS commune_id, c.parent_id AS province_id
    FROM units t JOIN units c ON t.parent_id = c.unit_id
    WHERE t.unit_type IN ('to_dan_pho', 'thon')),
commune_expected AS (
    SELECT commune_id, any_value(province_id) AS province_id, count(*) AS expected
    FROM leaf GROUP BY commune_id),
province_expected AS (
    SELECT province_id, sum(expected) AS expected FROM commune_expected GROUP BY province_id),
commune AS (
    SELECT l.commune_id, f.measure, f.period,
           sum(f.numerator) FILTER (WHERE {COMPLETE}) AS num,
           sum(f.denominator) FILTER (WHERE {COMPLETE}) AS den,
           count(*) FILTER (WHERE {COMPLETE}) AS reported
    FROM {{figures}} f JOIN leaf l ON f.unit_id = l.unit_id
    GROUP BY l.commune_id, f.measure, f.period),
commune_rows AS (
    SELECT c.commune_id AS unit_id, e.province_id, c.measure, c.period, c.num, c.den,
           c.reported, e.expected
    FROM commune c JOIN commune_expected e USING (commune_id)),
province_rows AS (
    SELECT r.province_id AS unit_id, r.measure, r.period, sum(r.num) AS num, sum(r.den) AS den,
           sum(r.reported) AS reported, any_value(e.expected) AS expected
    FROM commune_rows r JOIN province_expected e USING (province_id)
    GROUP BY r.province_id, r.measure, r.period),
nation_rows AS (
    SELECT 1 AS unit_id, measure, period, sum(num) AS num, sum(den) AS den,
           sum(reported) AS reported, (SELECT count(*) FROM leaf) AS expected
    FROM province_rows GROUP BY measure, period),
all_rows AS (
    SELECT unit_id, measure, period, num, den, reported, expected FROM commune_rows
    UNION ALL SELECT unit_id, measure, period, num, den, reported, expected FROM province_rows
    UNION ALL SELECT * FROM nation_rows)
SELECT *, CASE WHEN reported = expected AND den <> 0 THEN num * 100.0 / den END AS percent
FROM all_rows
"""


def run_reference(data: Dataset) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute(REFERENCE_SQL.format(units=data.units_parquet, figures=data.read_figures()))
    return con


def run_tieuchi(data: Dataset) -> State:
    con = duckdb.connect()
    rows = con.execute(
        f"SELECT unit_id, parent_id, unit_type FROM read_parquet('{data.units_parquet}')"
    ).fetchnumpy()
    units = UnitTable(rows["unit_id"], rows["parent_id"], rows["unit_type"])
    state = evaluate_full(con, data.read_figures(), units, data.measures, data.periods)
    con.close()
    return state


def check_agreement(reference: duckdb.DuckDBPyConnection, state: State) -> int:
    """Every reference row has the same Σnum, Σden, reported and expected in tieuchi's state."""
    ref = reference.execute(
        "SELECT unit_id, measure, period, coalesce(num, 0)::BIGINT AS num, "
        "coalesce(den, 0)::BIGINT AS den, reported, expected FROM reference"
    ).fetchnumpy()
    pos = state.units.pos[state.units.index_of(ref["unit_id"])]
    eff = state.effective()[:, pos, ref["measure"], ref["period"]]
    for i, column in enumerate(("num", "den", "reported", "expected")):
        if not np.array_equal(eff[i], np.asarray(ref[column])):
            raise AssertionError(f"tieuchi and the reference disagree on {column}")
    return len(pos)


def pick_changes(data: Dataset, count: int, seed: int) -> list[tuple]:
    """`count` distinct random (TDP, indicator, month) cells, their current and new figures."""
    rng = np.random.default_rng(seed)
    con = duckdb.connect()
    leaf_ids = con.execute(
        f"SELECT unit_id FROM read_parquet('{data.units_parquet}') "
        "WHERE unit_type IN ('to_dan_pho', 'thon') ORDER BY unit_id"
    ).fetchnumpy()["unit_id"]
    keys = {
        (int(rng.choice(leaf_ids)), int(rng.integers(len(data.measures))), int(rng.integers(12)))
        for _ in range(count * 2)
    }
    keys = sorted(keys)[:count]
    con.register("keys", {k: np.array([key[i] for key in keys]) for i, k in enumerate("ump")})
    found = con.execute(
        f"SELECT k.u, k.m, k.p, f.numerator, f.denominator FROM keys k LEFT JOIN "
        f"{data.read_figures()} f ON f.unit_id = k.u AND f.measure = k.m AND f.period = k.p"
    ).fetchall()
    changes = []
    for unit_id, m, p, num, den in found:
        old = None if den is None else (num, den)
        new_den = int(rng.integers(20, 400))
        new = None if rng.random() < 0.05 else (int(rng.binomial(new_den, 0.8)), new_den)
        changes.append((unit_id, data.measures[m].code, data.periods[p], new, old))
    rng.shuffle(changes)
    return changes


def time_changes(apply, changes) -> list[float]:
    times = []
    for unit_id, measure, period, new, old in changes:
        started = time.perf_counter()
        apply(unit_id, measure, period, new=new, old=old)
        times.append((time.perf_counter() - started) * 1000)
    return times


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=float, default=0.1, help="1.0 = national (~72M values)")
    parser.add_argument("--repeat", type=int, default=3, help="full evaluations of each side")
    parser.add_argument("--changes", type=int, default=200, help="single-value changes timed")
    parser.add_argument("--seed", type=int, default=2025)
    args = parser.parse_args(argv)
    out = print
    with tempfile.TemporaryDirectory(prefix="tieuchi-bench-") as tmp:
        started = time.perf_counter()
        data = generate(Path(tmp), args.scale, args.seed)
        generated = time.perf_counter() - started
        size = sum(f.stat().st_size for f in Path(tmp).iterdir()) / 2**20
        out(f"tieuchi evaluation benchmark, scale {args.scale} (seed {args.seed})")
        out(
            f"machine: {os.cpu_count()} cores, {platform.machine()}, Python "
            f"{platform.python_version()}, duckdb {duckdb.__version__}, numpy {np.__version__}"
        )
        out(
            f"data: {data.provinces} provinces, {data.communes:,} communes, {data.leaves:,} TDP/thôn, "
            f"{len(data.measures)} indicators × {len(data.periods)} months = {data.values:,} "
            f"values ({size:,.0f} MiB Parquet, generated in {generated:.1f} s)"
        )
        ref_times, our_times = [], []
        for _ in range(args.repeat):
            started = time.perf_counter()
            reference = run_reference(data)
            ref_times.append(time.perf_counter() - started)
            started = time.perf_counter()
            state = run_tieuchi(data)
            our_times.append(time.perf_counter() - started)
        agreed = check_agreement(reference, state)
        reference.close()
        counts = state.counts()
        changes = pick_changes(data, args.changes, args.seed)
        started = time.perf_counter()
        stored = StoredAggregates(Path(tmp) / "aggregates.sqlite3", state)
        store_s = time.perf_counter() - started
        stored_times = time_changes(stored.apply, changes)
        memory_times = time_changes(state.apply, changes)
        if not stored.matches(state):
            raise AssertionError("the stored aggregates disagree with the in-memory state")
        stored.close()
    ref_med, our_med = statistics.median(ref_times), statistics.median(our_times)
    ratio = our_med / ref_med
    inc = statistics.median(stored_times)
    rows = [
        (
            "(a) DuckDB reference query: sums at every level (median)",
            f"{ref_med:.3f} s",
            f"min {min(ref_times):.3f} s of {args.repeat}",
        ),
        (
            "(a) tieuchi full evaluation: sums + verdicts (median)",
            f"{our_med:.3f} s",
            f"min {min(our_times):.3f} s; {ratio:.2f}× reference (goal ≤ 3×)",
        ),
        (
            "    cells judged (units × indicators × months)",
            f"{sum(counts.values()):,}",
            ", ".join(f"{k} {v:,}" for k, v in counts.items()),
        ),
        (
            "    cells checked equal to the reference",
            f"{agreed:,}",
            "Σnum, Σden, reported, expected",
        ),
        (
            "(b) one value changed, aggregates in memory (median)",
            f"{statistics.median(memory_times):.3f} ms",
            f"p95 {np.percentile(memory_times, 95):.3f} ms, {len(memory_times)} changes",
        ),
        (
            "(b) one value changed, aggregates in SQLite (median)",
            f"{inc:.3f} ms",
            f"p95 {np.percentile(stored_times, 95):.3f} ms, one transaction each (goal ≤ 50 ms)",
        ),
        ("    writing the aggregates to SQLite (once)", f"{store_s:.1f} s", "not part of (a)"),
        ("(c) peak memory of the process (RSS)", f"{peak_mib():,.0f} MiB", "goal ≤ 4,096 MiB"),
    ]
    width = max(len(r[0]) for r in rows)
    for label, value, note in rows:
        out(f"{label:<{width}}  {value:>12}  {note}")
    out(
        json.dumps(
            {
                "values": data.values,
                "full_ratio": round(ratio, 3),
                "incremental_ms": round(inc, 3),
                "peak_mib": round(peak_mib()),
            }
        )
    )


if __name__ == "__main__":
    main()
