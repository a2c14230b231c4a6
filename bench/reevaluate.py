"""Re-evaluation in the product, on PostgreSQL: one value changed → stored results current again.

    .venv/bin/python bench/reevaluate.py                      # PostgreSQL tieuchi_bench, 200 changes
    .venv/bin/python bench/reevaluate.py --database-url sqlite:////tmp/bench.sqlite3
    .venv/bin/python bench/reevaluate.py --wards 4 --tdps 5 --changes 20   # smoke test

It creates the database (PostgreSQL: drops and creates `--database-url`'s database, and drops it
again at the end unless --keep), migrates, builds the demo, then a generated district of
`--wards` wards × `--tdps` TDPs with the demo's 2023 figures for every ward and TDP, plus a
year of monthly TDP figures (the engine judges the year; months are the volume a ward really
holds). It then times, in the same run:

- one full recompute job (`jobs.recompute_catalog`) over every unit of QĐ 04/2022, then the
  same job again (nothing changed, nothing stored), and for comparison the same units read and
  judged one by one with their own queries (`services.compute`, as the job did before);
- `--changes` single-value changes through `collection.services.save_observation`, with its
  `figures_changed` signal, until the new stored results are committed (`incremental`);
- the same saves re-evaluating every current run of the unit and its ancestors whole, as the
  product did before (`whole`, printed only);
- the same saves with the re-evaluation receivers disconnected: the bare write + audit record
  (`reference`). The three rotate, change by change, on different TDP figures.

The recompute job starts with the batch rebuild of the (catalog, as_of) aggregate set
(`aggregates.rebuild`: DuckDB over every ward, TDP, indicator, month, quarter and the year); it
is also timed alone. The `incremental` and `whole` saves include the aggregate upkeep
(`aggregates_upkeep`: the ≤ 4 rows on the TDP's path, locked, re-read and propagated), which is
timed on its own too.

Afterwards it checks that every changed ward's current run has the hash a from-scratch
evaluation gives, and that the aggregate rows after all the changes equal a fresh rebuild. The
last line is one JSON object:
{"changes": N, "incremental_ms": M, "reference_ms": R, "ratio": M/R, "full_recompute_s": S,
 "units": U, "rebuild_s": B, "aggregate_rows": A, "upkeep_ms": K}
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
AS_OF = dt.date(2023, 11, 30)
YEAR = 2023

from reevaluate_checks import check_aggregates, check_identity  # noqa: E402


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/tieuchi_bench"
    )
    parser.add_argument("--wards", type=int, default=40)
    parser.add_argument("--tdps", type=int, default=20)
    parser.add_argument("--changes", type=int, default=200)
    parser.add_argument("--seed", type=int, default=2023)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument(
        "--without-aggregates",
        action="store_true",
        help="disconnect the aggregate upkeep (the product before it), for comparison",
    )
    return parser.parse_args()


def recreate_database(url: str, *, drop_only: bool = False) -> None:
    """PostgreSQL: (re)create the named database through the maintenance database."""
    parts = urlsplit(url)
    if not parts.scheme.startswith("postgres"):
        path = Path(parts.path)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    import psycopg

    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not drop_only:
            connection.execute(f'CREATE DATABASE "{name}"')


def build_district(wards: int, tdps: int, rng: random.Random):
    """A district beside Long Biên: wards × TDPs, the demo's ward figures, yearly and monthly TDP
    figures (submitted, so they can still be edited). Returns the editable yearly TDP figures."""
    from django.db import transaction

    from tieuchi.catalog.models import Measure
    from tieuchi.collection.models import Observation
    from tieuchi.demo.units import DISTRICT_FOUNDED
    from tieuchi.demo.values import TDP_FIGURES, WARD_FIGURES, _store
    from tieuchi.orgs.models import AdminUnit, UnitLevel, UnitType

    measures = {m.code: m for m in Measure.objects.filter(node__catalog__key="qd04-2022")}
    hanoi = AdminUnit.objects.get(official_code="01")
    rows = []
    with transaction.atomic():
        district = AdminUnit.objects.create(
            official_code="999",
            name="Quận Thử Nghiệm",
            level=UnitLevel.DISTRICT,
            unit_type=UnitType.QUAN,
            parent=hanoi,
            valid_from=DISTRICT_FOUNDED,
        )
        for w in range(1, wards + 1):
            ward = AdminUnit.objects.create(
                official_code=f"99{w:03d}",
                name=f"Phường Thử {w}",
                level=UnitLevel.COMMUNE,
                unit_type=UnitType.PHUONG,
                parent=district,
                valid_from=DISTRICT_FOUNDED,
            )
            for code, value in WARD_FIGURES.items():
                if code in measures:
                    _store(ward, measures[code], YEAR, value, None)
            for t in range(1, tdps + 1):
                tdp = AdminUnit.objects.create(
                    official_code=f"99{w:03d}-TDP{t:02d}",
                    name=f"Tổ dân phố số {t}",
                    level=UnitLevel.RESIDENTIAL_GROUP,
                    unit_type=UnitType.TO_DAN_PHO,
                    parent=ward,
                    valid_from=DISTRICT_FOUNDED,
                )
                households = rng.randint(180, 320)
                for code, share in TDP_FIGURES.items():
                    base = households * 3 if code in {"6.1", "8.2"} else households
                    for month in range(0, 13):  # 0: the year the engine judges; 1–12: months
                        period = f"{YEAR}-{month:02d}" if month else str(YEAR)
                        met = min(base, round(base * (share + rng.uniform(-0.03, 0.0))))
                        start = dt.date(YEAR, month or 1, 1)
                        end = dt.date(YEAR, 12, 31) if not month else _month_end(month)
                        rows.append(
                            Observation(
                                unit=tdp,
                                measure=measures[code],
                                period=period,
                                period_start=start,
                                period_end=end,
                                numerator=Decimal(met),
                                denominator=Decimal(base),
                                status=Observation.Status.SUBMITTED,
                                source="Số liệu sinh tự động (bench)",
                            )
                        )
        Observation.objects.bulk_create(rows, batch_size=5000)
    return list(
        Observation.objects.filter(unit__parent__parent=district, period=str(YEAR))
        .select_related("unit", "measure")
        .order_by("pk")
    )


def _month_end(month: int) -> dt.date:
    following = dt.date(YEAR + (month == 12), month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def full_recompute(catalog) -> tuple[float, int]:
    from tieuchi.evaluation.jobs import recompute_catalog, request_full_recompute

    job = request_full_recompute(catalog, AS_OF, enqueue=False, channel="system")
    started = time.perf_counter()
    recompute_catalog.call(job.pk)
    elapsed = time.perf_counter() - started
    job.refresh_from_db()
    assert job.status == "done", job.error
    return elapsed, job.total


def per_unit_compute(catalog) -> float:
    """The same units read and judged one by one with their own queries (not stored)."""
    from tieuchi.evaluation.jobs import units_for
    from tieuchi.evaluation.services import compute

    started = time.perf_counter()
    for unit in units_for(catalog, AS_OF):
        compute(unit, catalog, AS_OF)
    return time.perf_counter() - started


def _whole_unit(sender, unit, catalog, **kwargs) -> None:
    """The receiver as it was before: every current run of the unit and its ancestors, whole."""
    from tieuchi.evaluation.services import reevaluate_after_change

    reevaluate_after_change(unit, catalog)


def change_values(figures, changes: int, rng: random.Random, actor, upkeep_on=True) -> dict:
    """Rotate three ways of saving one figure; returns the ms of each and the wards touched.

    "incremental": the product's receiver; "whole": the same save re-evaluating the whole unit
    and its ancestors (what the product did before, and still does for imports); "reference":
    no re-evaluation at all. Reference saves go to odd wards, so they never leave a ward whose
    stored results the other two keep current with a stale figure.
    """
    from tieuchi.collection.services import save_observation
    from tieuchi.collection.signals import figures_changed
    from tieuchi.evaluation.aggregates_upkeep import refresh_after_figures_changed
    from tieuchi.evaluation.services import reevaluate_after_figures_changed

    upkeep = []

    def timed_upkeep(sender, **kwargs) -> None:
        started = time.perf_counter()
        refresh_after_figures_changed(sender, **kwargs)
        upkeep.append((time.perf_counter() - started) * 1000)

    odd = [o for o in figures if int(o.unit.official_code[2:5]) % 2]
    even = [o for o in figures if not int(o.unit.official_code[2:5]) % 2] or odd
    picks = rng.sample(even, min(len(even), 2 * changes))
    triples = zip(picks[0::2], picks[1::2], rng.sample(odd, min(len(odd), changes)), strict=False)
    times = {"incremental": [], "whole": [], "reference": []}
    touched, stale = set(), []
    for triple in triples:
        for mode, observation in zip(times, triple, strict=True):
            figures_changed.disconnect(dispatch_uid="evaluation-aggregates")
            if mode != "reference" and upkeep_on:
                figures_changed.connect(timed_upkeep, dispatch_uid="evaluation-aggregates")
            if mode != "incremental":
                figures_changed.disconnect(dispatch_uid="evaluation-incremental")
            if mode == "whole":
                figures_changed.connect(_whole_unit, dispatch_uid="bench-whole")
            numerator = observation.numerator + (-1 if observation.numerator > 0 else 1)
            try:
                started = time.perf_counter()
                save_observation(
                    actor,
                    observation.unit,
                    observation.measure,
                    observation.period,
                    {"numerator": numerator, "denominator": observation.denominator},
                    expected_version=observation.version,
                    channel="bench",
                )
                times[mode].append((time.perf_counter() - started) * 1000)
            finally:
                figures_changed.disconnect(dispatch_uid="bench-whole")
                figures_changed.disconnect(dispatch_uid="evaluation-aggregates")
                figures_changed.connect(
                    reevaluate_after_figures_changed, dispatch_uid="evaluation-incremental"
                )
                if upkeep_on:
                    figures_changed.connect(
                        refresh_after_figures_changed, dispatch_uid="evaluation-aggregates"
                    )
            if mode != "reference":
                touched.add(observation.unit.parent_id)
            else:
                stale.append(observation)
    # The reference saves ran without the upkeep: bring their rows current (untimed).
    for observation in stale if upkeep_on else ():
        refresh_after_figures_changed(
            None,
            unit=observation.unit,
            catalog=observation.measure.node.catalog,
            measure=observation.measure,
            period=observation.period,
        )
    times["upkeep"] = upkeep
    return times, touched


def rebuild_time(catalog) -> tuple[float, int]:
    """The batch rebuild of the aggregate set alone (the recompute job's first phase)."""
    from tieuchi.evaluation.aggregates import rebuild

    started = time.perf_counter()
    rows = rebuild(catalog, AS_OF).rows
    return time.perf_counter() - started, rows


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    args = parse_args()
    os.environ["TIEUCHI_DATABASE_URL"] = args.database_url
    data_dir = tempfile.mkdtemp(prefix="tieuchi-reevaluate-")  # uploads, logs: deleted at the end
    os.environ.setdefault("TIEUCHI_DATA_DIR", data_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tieuchi.settings")
    recreate_database(args.database_url)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from tieuchi.accounts.models import User
    from tieuchi.catalog.models import Catalog
    from tieuchi.demo.build import build_demo

    try:
        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        build_demo()
        rng = random.Random(args.seed)
        figures = build_district(args.wards, args.tdps, rng)
        catalog = Catalog.objects.get(key="qd04-2022")
        print(
            f"built: demo + {args.wards} wards × {args.tdps} TDPs, {len(figures)} yearly and "
            f"{len(figures) * 12} monthly TDP figures on {connection.vendor} "
            f"in {time.perf_counter() - started:.1f} s"
        )
        full_s, units = full_recompute(catalog)
        print(f"full recompute job, {units} units, every run new     {full_s:8.2f} s")
        again_s, _ = full_recompute(catalog)
        print(f"the same job again, nothing changed           {again_s:8.2f} s")
        print(f"read and judge unit by unit, not stored       {per_unit_compute(catalog):8.2f} s")
        rebuild_s, rows = rebuild_time(catalog)
        print(f"aggregate set rebuilt alone, {rows} rows    {rebuild_s:8.2f} s")
        actor = User.objects.get(username="admin")
        upkeep_on = not args.without_aggregates
        times, wards = change_values(figures, args.changes, rng, actor, upkeep_on)
        checked = check_identity(catalog, wards)
        equal_rows = check_aggregates(catalog) if upkeep_on else 0
        labels = {
            "incremental": "re-judging the measure",
            "whole": "re-evaluating whole units",
            "reference": "reference (no re-eval)",
        }
        for mode, label in labels.items():
            print(
                f"one value saved, {label:26s} median {statistics.median(times[mode]):7.1f} ms"
                f"  p95 {percentile(times[mode], 0.95):7.1f} ms  ({len(times[mode])} changes)"
            )
        upkeep = times.pop("upkeep") or [0.0]
        print(
            f"  of which the aggregate upkeep             median {statistics.median(upkeep):7.1f} ms"
            f"  p95 {percentile(upkeep, 0.95):7.1f} ms  ({len(upkeep)} changes)"
        )
        print(f"changed wards whose current run hashes like a fresh evaluation: {checked}")
        print(f"aggregate rows equal to a fresh rebuild after the changes: {equal_rows}")
        incremental, reference = times["incremental"], times["reference"]
        median_inc, median_ref = statistics.median(incremental), statistics.median(reference)
        print(
            json.dumps(
                {
                    "changes": len(incremental),
                    "incremental_ms": round(median_inc, 2),
                    "reference_ms": round(median_ref, 2),
                    "ratio": round(median_inc / median_ref, 2),
                    "full_recompute_s": round(full_s, 2),
                    "units": units,
                    "rebuild_s": round(rebuild_s, 3),
                    "aggregate_rows": rows,
                    "upkeep_ms": round(statistics.median(upkeep), 2),
                }
            )
        )
    finally:
        connection.close()
        shutil.rmtree(data_dir, ignore_errors=True)
        if not args.keep:
            recreate_database(args.database_url, drop_only=True)


if __name__ == "__main__":
    main()
