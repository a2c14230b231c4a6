"""Full recompute runs as a database-backed background task, with progress and after catalog changes."""

import datetime as dt
import re
from decimal import Decimal
from io import StringIO
from unittest import mock

import pytest
import yaml
from django.core.management import call_command

from tieuchi.catalog.models import Catalog, Threshold
from tieuchi.catalog.services import load_catalog
from tieuchi.demo.build import DATA
from tieuchi.evaluation.jobs import request_full_recompute
from tieuchi.evaluation.models import EvaluationRun, NodeResult, RecomputeJob

AS_OF = dt.date(2023, 11, 30)


def run_worker() -> None:
    # The worker drops connections that are not in autocommit mode; inside a test transaction that
    # would be the test's own connection (on PostgreSQL), so that one call is neutralised here.
    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0, stdout=StringIO())


@pytest.mark.django_db
def test_a_queued_recompute_is_done_by_the_worker_with_progress(django_capture_on_commit_callbacks):
    catalog = Catalog.objects.get(key="qd04-2022")
    with django_capture_on_commit_callbacks(execute=True):
        job = request_full_recompute(catalog, AS_OF)
    job.refresh_from_db()
    assert (job.status, job.total, job.done) == ("queued", 14, 0)
    assert job.task_id
    run_worker()
    job.refresh_from_db()
    assert (job.status, job.done, job.percent) == ("done", 14, 100)
    # the demo already stored round-2 results for the other 13 wards; Giang Biên gets a plain run
    assert job.changed == 1


@pytest.mark.django_db
def test_changing_a_threshold_queues_a_recompute_that_updates_the_verdicts(
    tmp_path, django_capture_on_commit_callbacks
):
    catalog = Catalog.objects.get(key="qd04-2022")
    run_worker_results = EvaluationRun.objects.filter(
        catalog=catalog, is_current=True, round=None
    ).count()
    assert run_worker_results == 13
    data = yaml.safe_load((DATA / "catalogs/qd04-2022.yaml").read_text(encoding="utf-8"))
    schools = next(n for c in data["nodes"] for n in c["children"] if n["code"] == "8.3")
    schools["thresholds"][0]["value"] = 5  # stunting must now be at most 5%
    path = tmp_path / "qd04-2022.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with django_capture_on_commit_callbacks(execute=True):
        load_catalog(path)
    assert Threshold.objects.get(
        measure__code="8.3", measure__node__catalog=catalog
    ).value == Decimal(5)
    job = RecomputeJob.objects.get()
    assert (job.catalog, job.as_of, job.status) == (catalog, AS_OF, "queued")
    run_worker()
    job.refresh_from_db()
    assert job.status == "done"
    verdicts = NodeResult.objects.filter(
        run__catalog=catalog, run__is_current=True, run__round=None, code="8.3"
    )
    assert verdicts.exists()
    assert len(verdicts) == 14
    judged = [r.explanation for r in verdicts if r.verdict != "no_data"]
    assert judged and all(re.search(r"[≤>] 5%", text) for text in judged)


@pytest.mark.django_db
def test_the_command_runs_a_recompute_now():
    out = StringIO()
    call_command("recompute", "--as-of", "2023-11-30", "--now", stdout=out)
    assert "Hoàn thành – 14/14 đơn vị" in out.getvalue()


@pytest.mark.parametrize(
    ("username", "status"), [("admin", 200), ("kiemtra.longbien", 403), ("dong.giangbien", 403)]
)
@pytest.mark.django_db
def test_only_system_admins_see_and_request_recomputes(login, username, status):
    client = login(username)
    assert client.get("/evaluation/jobs/").status_code == status


@pytest.mark.django_db
def test_the_progress_partial_polls_while_the_job_is_queued(login):
    catalog = Catalog.objects.get(key="qd04-2022")
    client = login("admin")
    response = client.post("/evaluation/jobs/", {"catalog": catalog.pk, "as_of": "2023-11-30"})
    job = RecomputeJob.objects.get()
    assert response.headers["Location"] == f"/evaluation/jobs/{job.pk}/"
    partial = client.get(
        f"/evaluation/jobs/{job.pk}/", headers={"HX-Request": "true"}
    ).content.decode()
    assert 'hx-trigger="every 2s"' in partial and "0/14" in partial and "<html" not in partial
    bad = client.post("/evaluation/jobs/", {"catalog": catalog.pk, "as_of": "30/11/2023"})
    assert "Chọn bộ tiêu chí và ngày đánh giá hợp lệ." in bad.content.decode()
