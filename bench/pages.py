"""Benchmark of the district dashboard against a trivial page, on a real server over loopback.

    .venv/bin/python bench/pages.py                         # 14 wards, 4 clients
    .venv/bin/python bench/pages.py --wards 100 --clients 8 # a district of 114 wards
    .venv/bin/python bench/pages.py --requests 5 --rounds 1 --warmup 2   # smoke test
    .venv/bin/python bench/pages.py --cold                  # the board built on every request
    .venv/bin/python bench/pages.py --no-keep-alive         # a new connection per request

Builds the demo in a temporary data directory (`tieuchi demo --no-server`), optionally adds
generated wards to quận Long Biên (copies of a demo ward's 2023 figures, each evaluated and stored
like the real wards), then starts `tieuchi runserver --noreload` with TIEUCHI_DEBUG=0 (gunicorn is
not a dependency; runserver is threaded, one thread per connection). Logs in as the district
inspector (kiemtra.longbien) and warms both pages up.

Then, in alternating phases (dashboard, trivial, dashboard, trivial…) so both see the same
machine conditions, N client threads each send requests over their own keep-alive HTTP/1.1
connection (http.client), or with --no-keep-alive a new connection per request: runserver writes
a response's headers and body in separate small sends, so on a keep-alive connection each
response waits ~40 ms for the client's delayed ACK (Nagle), which bounds a trivial page's
throughput by latency rather than CPU. Per page: p50/p95 latency and throughput = requests ÷
phase time. The district board is cached until the results change (tieuchi/dashboards/page_cache.py), so by
default this measures a board built once and served many times. With --cold every dashboard
request asks for another day (?as_of=…, a different cache key), so the board is built each time.
The last line printed is one JSON object: {"dashboard_vs_trivial": R, "p95_ms": P} where R is the
dashboard's throughput ÷ the trivial page's (goal ≥ 0.30) and P the dashboard's p95 latency.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import itertools
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser import DEMO_PASSWORD, _tieuchi, _wait_until_healthy, free_port  # noqa: E402

INSPECTOR = "kiemtra.longbien"
TRIVIAL = "/healthz"
# Run inside `tieuchi shell`: add generated wards, print Long Biên's id last.
SETUP = """
import datetime as dt, random
from tieuchi.catalog.models import Catalog
from tieuchi.collection.models import Observation
from tieuchi.evaluation.services import evaluate_unit
from tieuchi.orgs.models import AdminUnit
district = AdminUnit.objects.filter(official_code="004").order_by("-valid_from")[0]
model = AdminUnit.objects.get(official_code="00136")
catalog = Catalog.objects.filter(key="qd04-2022").order_by("-version")[0]
figures = list(Observation.objects.filter(unit=model, measure__node__catalog=catalog))
rng = random.Random(2023)
for number in range({wards}):
    ward, _ = AdminUnit.objects.get_or_create(
        official_code=f"9{{number:04d}}", valid_from=model.valid_from,
        defaults=dict(name=f"Phường thử {{number + 1}}", level=model.level,
                      unit_type=model.unit_type, parent=district, valid_to=model.valid_to))
    for figure in figures:
        figure.pk, figure.unit = None, ward
        if figure.numerator is not None and figure.denominator:
            figure.numerator = min(figure.denominator, round(float(figure.denominator) * rng.uniform(0.8, 1.02)))
    Observation.objects.bulk_create(figures, ignore_conflicts=True)
    evaluate_unit(ward, catalog, dt.date(2023, 11, 30), trigger="round")
print("DISTRICT", district.pk)
"""


def _env(data_dir: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("TIEUCHI_")}
    env.update(
        TIEUCHI_DATA_DIR=str(data_dir),
        TIEUCHI_DATABASE_URL=f"sqlite:///{data_dir / 'tieuchi.sqlite3'}",
        TIEUCHI_DEBUG="0",
        TIEUCHI_HTTPS="0",
        TIEUCHI_LANGUAGE="vi",
        DJANGO_SETTINGS_MODULE="tieuchi.settings",
        PYTHONUNBUFFERED="1",
    )
    return env


def prepare(data_dir: Path, wards: int) -> int:
    """Build the demo (and the extra wards); return Long Biên's id."""
    env = _env(data_dir)
    for args in (["demo", "--no-server"], ["shell", "-c", SETUP.format(wards=wards)]):
        done = subprocess.run(
            [_tieuchi(), *args], cwd=data_dir, env=env, capture_output=True, text=True
        )
        if done.returncode:
            raise RuntimeError(f"tieuchi {args[0]} failed:\n{done.stderr[-3000:]}")
    return int(re.search(r"DISTRICT (\d+)", done.stdout).group(1))


class Session:
    """One keep-alive connection carrying the inspector's session cookie (or, with
    keep_alive=False, a new connection for every request)."""

    def __init__(self, port: int, cookies: dict[str, str], keep_alive: bool = True):
        self.port, self.keep_alive = port, keep_alive
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.cookies = cookies

    def request(self, method: str, path: str, body: str | None = None, headers=None):
        headers = dict(headers or {})
        if not self.keep_alive:
            self.connection.close()
            self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            headers["Connection"] = "close"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        self.connection.request(method, path, body=body, headers=headers)
        response = self.connection.getresponse()
        data = response.read()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        return response.status, data


def log_in(port: int) -> dict[str, str]:
    session = Session(port, {})
    _status, page = session.request("GET", "/login/")
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
    body = urllib.parse.urlencode(
        {"username": INSPECTOR, "password": DEMO_PASSWORD, "csrfmiddlewaretoken": token}
    )
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Referer": "/login/"}
    status, _ = session.request("POST", "/login/", body, headers)
    if status != 302 or "sessionid" not in session.cookies:
        raise RuntimeError(f"login as {INSPECTOR} failed (HTTP {status})")
    return session.cookies


def phase(
    port, cookies, path, clients, requests, check, keep_alive=True
) -> tuple[float, list[float]]:
    """`clients` threads × `requests` each on one page; (elapsed seconds, latencies in ms).

    `path` is an address, or a function giving a new address on each call (--cold)."""
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    sessions = [Session(port, dict(cookies), keep_alive) for _ in range(clients)]

    def work(session: Session) -> None:
        mine = []
        for _ in range(requests):
            started = time.perf_counter()
            status, body = session.request("GET", path() if callable(path) else path)
            mine.append((time.perf_counter() - started) * 1000)
            if status != 200 or not check(body):
                errors.append(f"{path}: HTTP {status}")
                break
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=work, args=(s,)) for s in sessions]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    for session in sessions:
        session.connection.close()
    if errors:
        raise RuntimeError(errors[0])
    return elapsed, latencies


def _days(address: str):
    """A new address on each call: the dashboard as of another day (all after the demo's results,
    so every board shows them), never asked before in this run."""
    days = itertools.count()
    lock = threading.Lock()

    def next_address() -> str:
        with lock:
            day = dt.date(2024, 1, 1) + dt.timedelta(days=next(days))
        return f"{address}?as_of={day.isoformat()}"

    return next_address


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=4, help="concurrent clients")
    parser.add_argument("--requests", type=int, default=50, help="per client, per phase")
    parser.add_argument("--rounds", type=int, default=4, help="dashboard/trivial phase pairs")
    parser.add_argument("--warmup", type=int, default=10, help="requests per page before")
    parser.add_argument("--wards", type=int, default=0, help="generated wards added to Long Biên")
    parser.add_argument(
        "--no-keep-alive",
        dest="keep_alive",
        action="store_false",
        help="a new connection per request (avoids the ~40 ms delayed-ACK stall of keep-alive)",
    )
    parser.add_argument(
        "--cold", action="store_true", help="another day on every request: no cached board"
    )
    args = parser.parse_args()

    data_dir = Path(tempfile.mkdtemp(prefix="tieuchi-bench-pages-"))
    process = None
    try:
        district = prepare(data_dir, args.wards)
        port = free_port()
        log = data_dir / "server.log"
        with log.open("w", encoding="utf-8") as out:
            process = subprocess.Popen(
                [_tieuchi(), "runserver", f"127.0.0.1:{port}", "--noreload"],
                cwd=data_dir,
                env=_env(data_dir),
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        _wait_until_healthy(f"http://127.0.0.1:{port}", process, log, 30)
        cookies = log_in(port)
        dashboard = f"/dashboards/district/{district}/"
        pages = {
            "dashboard": (_days(dashboard) if args.cold else dashboard, lambda b: b"Long Bi" in b),
            "trivial": (TRIVIAL, lambda body: b'"ok"' in body),
        }
        for path, check in pages.values():
            phase(port, cookies, path, 1, args.warmup, check)
        totals = {name: [0.0, []] for name in pages}
        for _round in range(args.rounds):
            for name, (path, check) in pages.items():
                elapsed, latencies = phase(
                    port, cookies, path, args.clients, args.requests, check, args.keep_alive
                )
                totals[name][0] += elapsed
                totals[name][1].extend(latencies)
        wards = args.wards + 14
        print(
            f"tieuchi runserver --noreload (TIEUCHI_DEBUG=0, SQLite), Python {platform.python_version()}"
        )
        cached = "built on every request (--cold)" if args.cold else "cached board"
        connections = "keep-alive" if args.keep_alive else "a connection per request"
        print(
            f"district {dashboard} with {wards} wards, {cached}; {args.clients} clients, {connections}"
        )
        throughput = {}
        for name, (elapsed, latencies) in totals.items():
            throughput[name] = len(latencies) / elapsed
            print(
                f"{name:9} {(dashboard if name == 'dashboard' else TRIVIAL):32} n={len(latencies):5}  "
                f"p50 {statistics.median(latencies):7.1f} ms  "
                f"p95 {percentile(latencies, 0.95):7.1f} ms  {throughput[name]:8.1f} req/s"
            )
        ratio = throughput["dashboard"] / throughput["trivial"]
        p95 = percentile(totals["dashboard"][1], 0.95)
        print(json.dumps({"dashboard_vs_trivial": round(ratio, 3), "p95_ms": round(p95, 1)}))
    finally:
        if process is not None and process.poll() is None:
            process.terminate()
            process.wait(timeout=10)
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
