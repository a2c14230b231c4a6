"""Excel import benchmark: a 100,000-row filled-in template, imported in full (check + commit),
against a bare python-calamine read of the same file, in the same run.

    .venv/bin/python bench/import.py [--rows 100000] [--repeat 5] [--keep]
        [--database-url postgres://postgres@127.0.0.1:5432/tieuchi_bench_import]

Everything happens in a throwaway directory (its own TIEUCHI_DATA_DIR and a SQLite
TIEUCHI_DATABASE_URL) or, with --database-url, in that PostgreSQL database (dropped and created
again; each run imports into a copy made with CREATE DATABASE … TEMPLATE): migrate, a synthetic ward with 2,000 tổ dân phố and a 50-measure catalog
created in code, a ward officer, then the template for the ward and all its TDPs written by the
same code as the download button, with every value cell filled in (ratios, yes/no, counts,
grades) as if typed by a user.

Each measurement runs in a fresh child process:
- `calamine`: CalamineWorkbook.from_path(file).get_sheet_by_name("Số liệu").to_python();
- `import`: what `tieuchi import_values FILE --user ...` does (archive checks, calamine read,
  validation of every row, the ImportBatch preview, the commit in one transaction with one
  audit record per value, figures_changed per unit), on a fresh copy of the database.
Times are the best of --repeat runs; peak memory is the import child's maximum resident set size
(resource.getrusage), Django and everything included.

Goals (issue 5): import ≤ 3 × the bare read; peak ≤ 500 MiB. The last line printed is one JSON
object: {"rows": N, "import_ratio": R, "peak_mib": P}.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
MEASURES = 50
USERNAME = "bench.officer"


def _django(database: str, data_dir: Path) -> None:
    """`database`: a SQLite file path or a PostgreSQL URL."""
    os.environ["TIEUCHI_DATA_DIR"] = str(data_dir)
    os.environ["TIEUCHI_DATABASE_URL"] = database if "://" in database else f"sqlite:///{database}"
    os.environ.setdefault("TIEUCHI_SECRET_KEY", "bench-only-not-secret")
    os.environ["DJANGO_SETTINGS_MODULE"] = "tieuchi.settings"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def _kind(index: int) -> str:
    """40 ratios, 4 yes/no, 4 counts, 2 grades per TDP."""
    if index < 40:
        return "ratio"
    if index < 44:
        return "boolean"
    if index < 48:
        return "count"
    return "level"


SCALE = ["yếu", "trung bình", "khá", "tốt"]


def _postgres(url: str, sql: str) -> None:
    """Run one statement (CREATE / DROP DATABASE) on the server's `postgres` database."""
    import psycopg

    parts = urlsplit(url)
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(sql)


def _database_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def _with_name(url: str, name: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


def build(work: Path, rows: int, url: str = "") -> tuple[str, Path, str]:
    """Create the database and the filled-in file; returns (database, file, period)."""
    database, data_dir = url or str(work / "bench.sqlite3"), work / "data"
    data_dir.mkdir()
    if url:
        name = _database_name(url)
        _postgres(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        _postgres(url, f'CREATE DATABASE "{name}"')
    _django(database, data_dir)
    from django.core.management import call_command
    from django.db import transaction

    from tieuchi.accounts.models import User
    from tieuchi.accounts.roles import Role
    from tieuchi.catalog.models import Catalog, CatalogNode, Measure
    from tieuchi.collection.excel.cells import Figures
    from tieuchi.collection.excel.template import build_template
    from tieuchi.collection.excel.template_rows import collect_rows
    from tieuchi.orgs.models import AdminUnit, LegalDocument, Membership

    call_command("migrate", verbosity=0)
    tdps = -(-rows // MEASURES)
    with transaction.atomic():
        document = LegalDocument.objects.create(
            number="BENCH/2026", doc_type="KH", title="Bộ chỉ tiêu thử", issuer="bench"
        )
        catalog = Catalog.objects.create(
            key="bench-import",
            version="1",
            name="Bộ chỉ tiêu thử nghiệm nhập Excel",
            kind=Catalog.Kind.PROGRAMME,
            legal_document=document,
            applies_to_unit_types=["phuong"],
        )
        group = CatalogNode.objects.create(
            catalog=catalog, code="1", node_type="group", name="Nhóm thử", position=0
        )
        for index in range(MEASURES):
            kind = _kind(index)
            node = CatalogNode.objects.create(
                catalog=catalog,
                parent=group,
                code=f"1.{index + 1}",
                node_type="indicator",
                name=f"Chỉ tiêu thử số {index + 1}",
                position=index + 1,
            )
            Measure.objects.create(
                node=node,
                code=f"1.{index + 1}",
                name=f"Tỷ lệ hộ gia đình đạt yêu cầu thử nghiệm số {index + 1} trên địa bàn",
                kind=kind,
                unit_of_measure={"ratio": "%", "count": "hộ"}.get(kind, ""),
                aggregation="ratio_of_sums" if kind == "ratio" else "sum",
                collected_at="residential_group",
                config={"scale": SCALE} if kind == "level" else {},
                position=0,
            )
        ward = AdminUnit.objects.create(
            official_code="99001", name="Thử Nghiệm", level="commune", unit_type="phuong"
        )
        for number in range(1, tdps + 1):
            AdminUnit.objects.create(
                official_code=f"99001-TDP{number:04d}",
                name=f"Tổ dân phố số {number}",
                level="residential_group",
                unit_type="to_dan_pho",
                parent=ward,
            )
        officer = User.objects.create(username=USERNAME, full_name="Cán bộ thử nghiệm")
        Membership.objects.create(user=officer, unit=ward, role=Role.IMPLEMENTER)

    period = "2025"
    template_rows = collect_rows(ward, catalog, period, include_subunits=True)[:rows]

    def typed(row) -> Figures:
        n = row.unit.pk * 7 + row.measure.pk
        kind = row.measure.kind
        if kind == "ratio":
            return Figures(numerator=n % 300, denominator=300 + n % 50)
        if kind == "boolean":
            return Figures(boolean_value=n % 5 != 0)
        if kind == "level":
            return Figures(level=SCALE[n % len(SCALE)])
        return Figures(value=n % 1000)

    started = time.perf_counter()
    content = build_template(
        ward,
        catalog,
        period,
        include_subunits=True,
        generated_by=USERNAME,
        rows=template_rows,
        fill=typed,
    )
    path = work / "mau-100k.xlsx"
    path.write_bytes(content)
    print(
        f"built: {len(template_rows)} rows for {tdps} TDPs × {MEASURES} measures, "
        f"{len(content) / 1024 / 1024:.1f} MiB file, written in {time.perf_counter() - started:.1f} s",
        flush=True,
    )
    from django.db import connection

    connection.close()
    return database, path, period


def child(args) -> None:
    """One measurement in this (fresh) process; prints one JSON line."""
    path = Path(args.file)
    if args.child == "calamine":
        from python_calamine import CalamineWorkbook

        started = time.perf_counter()
        data = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Số liệu").to_python()
        seconds = time.perf_counter() - started
        result = {"seconds": seconds, "rows": len(data)}
    else:
        _django(args.db, Path(args.data))
        from tieuchi.accounts.models import User
        from tieuchi.collection.excel.commit import import_file
        from tieuchi.collection.signals import figures_changed

        # The evaluation app refreshes stored results when figures_changed arrives (after the
        # commit, once per unit): timed separately, it is not part of checking and writing.
        refresh = [0.0]
        send = figures_changed.send

        def timed_send(*args, **kwargs):
            began = time.perf_counter()
            try:
                return send(*args, **kwargs)
            finally:
                refresh[0] += time.perf_counter() - began

        figures_changed.send = timed_send
        user = User.objects.get(username=USERNAME)
        started = time.perf_counter()
        outcome = import_file(path.read_bytes(), path.name, user)
        total = time.perf_counter() - started
        seconds = total - refresh[0]
        if not outcome.ok:
            print(
                json.dumps({"error": [str(p) for p in outcome.problems[:20]]}, ensure_ascii=False)
            )
            sys.exit(1)
        result = {
            "seconds": seconds,
            "refresh_seconds": refresh[0],
            "signals": len(outcome.report.unit_ids),
            "rows": len(outcome.result.rows),
            "written": outcome.report.written,
        }
    result["peak_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(result))


def measure(kind: str, file: Path, db: str = "", data: Path | None = None) -> dict:
    command = [sys.executable, __file__, "--child", kind, "--file", str(file)]
    if db:
        command += ["--db", db, "--data", str(data)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit(f"{kind} run failed")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    parser.add_argument("--child", choices=["calamine", "import"], help=argparse.SUPPRESS)
    parser.add_argument("--file", help=argparse.SUPPRESS)
    parser.add_argument(
        "--database-url",
        default="",
        help="a PostgreSQL URL to run in (the database is dropped and created); default SQLite",
    )
    parser.add_argument("--db", help=argparse.SUPPRESS)
    parser.add_argument("--data", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return

    work = Path(tempfile.mkdtemp(prefix="tieuchi-bench-import-"))
    try:
        url = args.database_url
        database, path, _period = build(work, args.rows, url)
        reads, imports = [], []
        for run in range(args.repeat):
            reads.append(measure("calamine", path))
            data = work / f"run{run}" / "data"
            data.mkdir(parents=True)
            if url:
                copy = f"{_database_name(url)}_run"
                _postgres(url, f'DROP DATABASE IF EXISTS "{copy}" WITH (FORCE)')
                _postgres(url, f'CREATE DATABASE "{copy}" TEMPLATE "{_database_name(url)}"')
                fresh = _with_name(url, copy)
            else:
                fresh = str(data.parent / "bench.sqlite3")
                shutil.copy(database, fresh)
            imports.append(measure("import", path, fresh, data))
            if url:
                _postgres(url, f'DROP DATABASE IF EXISTS "{copy}" WITH (FORCE)')
            print(
                f"run {run + 1}: calamine read {reads[-1]['seconds']:.2f} s; "
                f"full import {imports[-1]['seconds']:.2f} s "
                f"({imports[-1]['written']} figures written), "
                f"peak {imports[-1]['peak_mib']:.0f} MiB; then evaluation refresh "
                f"{imports[-1]['refresh_seconds']:.2f} s ({imports[-1]['signals']} figures_changed)",
                flush=True,
            )
        read = min(r["seconds"] for r in reads)
        full = min(r["seconds"] for r in imports)
        peak = max(r["peak_mib"] for r in imports)
        rows = imports[0]["rows"]
        engine = "PostgreSQL" if url else "SQLite"
        print(
            f"best ({engine}): calamine {read:.2f} s, import {full:.2f} s, ratio {full / read:.2f} "
            f"(goal ≤ 3); peak {peak:.0f} MiB (goal ≤ 500)"
        )
        print(
            json.dumps(
                {"rows": rows, "import_ratio": round(full / read, 2), "peak_mib": round(peak)}
            )
        )
    finally:
        if args.database_url and not args.keep:
            name = _database_name(args.database_url)
            _postgres(args.database_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if args.keep:
            print(f"kept {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
