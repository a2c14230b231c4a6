"""The Programme 02 dashboard: stored results, trajectory status, scope, fixed query count."""

import datetime as dt
import html
import re

import pytest
from django.urls import reverse

from tieuchi.catalog.models import Catalog
from tieuchi.core.formatting import vn_number
from tieuchi.evaluation.models import EvaluationRun, NodeResult
from tieuchi.evaluation.services import evaluate_unit
from tieuchi.orgs.models import AdminUnit

pytestmark = pytest.mark.django_db
KEY = "ctr02-longbien-2020-2025"


@pytest.fixture
def long_bien():
    return AdminUnit.objects.get(official_code="004")


def _url(unit, key=KEY):
    return reverse("dashboards:programme", kwargs={"catalog_key": key, "unit_id": unit.pk})


def _row(page: str, code: str) -> str:
    match = re.search(rf'<tr id="measure-{re.escape(code)}".*?</tr>', page, re.S)
    assert match, f"no row for {code}"
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match.group(0))))


def _newest_stored(unit) -> tuple[EvaluationRun, dict[str, dict]]:
    run = (
        EvaluationRun.objects.filter(unit=unit, catalog__key=KEY, is_current=True)
        .order_by("-as_of", "-computed_at")
        .first()
    )
    measures = {}
    for figures in NodeResult.objects.filter(run=run).values_list("figures", flat=True):
        for measure in figures.get("measures", []):
            measures[measure["code"]] = measure
    return run, measures


def test_each_measure_shows_its_stored_current_value_and_verdict(login, long_bien):
    response = login("kiemtra.longbien").get(_url(long_bien))
    assert response.status_code == 200
    page = response.content.decode()
    run, stored = _newest_stored(long_bien)
    assert run is not None and len(stored) >= 32
    assert run.as_of.strftime("%d/%m/%Y") in page
    for code, measure in stored.items():
        row = _row(page, code)
        figures = measure["figures"]
        value = figures.get("value", figures.get("events"))
        if value is not None:
            assert re.search(rf"(^| ){re.escape(vn_number(value, 2))}(%| )", row), (code, row)
            assert f"năm {run.as_of.year}" in row
        if measure["verdict"] == "met":
            assert "Đã đạt chỉ tiêu" in row, (code, row)
        else:
            assert "Đã đạt chỉ tiêu" not in row, (code, row)


def test_trajectory_status_follows_the_baseline_and_target(login, long_bien):
    page = login("kiemtra.longbien").get(_url(long_bien)).content.decode()
    _run, stored = _newest_stored(long_bien)
    # 3.3b: ≤ 35 minutes in 2025 from 56 in 2020 → 39,2 required in 2024.
    outage = _row(page, "3.3b")
    value = stored["3.3b"]["figures"]["value"]
    required = 56 - (56 - 35) * 4 / 5
    assert "56 phút/khách hàng/năm (năm 2020)" in outage
    assert f"{vn_number(required, 2)} phút/khách hàng/năm" in outage
    expected = "Đúng lộ trình" if value <= required else "Chậm so với lộ trình"
    assert expected in outage
    # 1.2: 70% due at the end of 2024, not reached in 2024 → behind, whatever the slope.
    streets = _row(page, "1.2")
    assert stored["1.2"]["verdict"] == "not_met"
    assert f"{vn_number(stored['1.2']['figures']['value'], 2)}% (năm 2024)" in streets
    assert "Chậm so với lộ trình" in streets
    # 4.1a: the reduction is measured from the baseline the engine used (early 2021).
    poor = _row(page, "4.1a")
    baseline = stored["4.1a"]["figures"]["baseline"]
    assert f"{vn_number(baseline, 2)} hộ (năm 2021)" in poor
    assert f"{vn_number(baseline * 0.25, 2)} hộ (năm 2025)" in poor


def test_each_measure_has_a_chart_with_a_table_fallback(login, long_bien):
    page = login("kiemtra.longbien").get(_url(long_bien)).content.decode()
    canvases = re.findall(r'<canvas role="img" aria-label="[^"]+" data-chart="([^"]+)"', page)
    assert "chart-3.3b-data" in canvases
    for chart_id in canvases:
        assert f'<script id="{chart_id}" type="application/json">' in page
    assert page.count('class="chart-table"') == len(canvases)
    assert "js/charts.js" in page and "vendor/chart-4.6.1.umd.min.js" in page
    assert "<script>" not in page  # data through json_script only, no inline code


def test_a_change_of_figures_shows_after_re_evaluation(login, long_bien):
    catalog = Catalog.objects.get(key=KEY)
    from tieuchi.collection.models import Observation

    observation = Observation.objects.get(unit=long_bien, measure__code="3.3b", period="2024")
    observation.value = 33
    observation.save()
    evaluate_unit(long_bien, catalog, dt.date(2024, 12, 31))
    row = _row(login("kiemtra.longbien").get(_url(long_bien)).content.decode(), "3.3b")
    assert "33 phút" in row and "Đã đạt chỉ tiêu" in row


@pytest.mark.parametrize("username", ["dong.giangbien", "lanhdao.phucloi", "tdp01.giangbien"])
def test_units_outside_the_scope_answer_404(login, long_bien, username):
    response = login(username).get(_url(long_bien))
    assert response.status_code == 404
    assert "không có quyền xem" in response.content.decode()


def test_a_criteria_set_or_unknown_key_is_not_a_programme(login, long_bien):
    client = login("kiemtra.longbien")
    assert client.get(_url(long_bien, "qd04-2022")).status_code == 404
    assert client.get(_url(long_bien, "khong-co")).status_code == 404


def test_anonymous_users_are_sent_to_login(client, long_bien):
    response = client.get(_url(long_bien))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_a_ward_without_programme_results_says_so(login):
    phuc_loi = AdminUnit.objects.get(official_code="00136")
    assert not EvaluationRun.objects.filter(unit=phuc_loi, catalog__key=KEY).exists()
    page = login("lanhdao.phucloi").get(_url(phuc_loi)).content.decode()
    assert "Chưa có kết quả đánh giá" in page
    assert "Đã đạt chỉ tiêu" in page and "Chưa đủ dữ liệu" in page


def test_the_query_count_does_not_grow_with_years_or_measures(
    login, long_bien, django_assert_num_queries
):
    client = login("kiemtra.longbien")
    client.get(_url(long_bien))  # session and caches warm
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as first:
        client.get(_url(long_bien))
    catalog = Catalog.objects.get(key=KEY)
    evaluate_unit(long_bien, catalog, dt.date(2025, 6, 30))  # one more year of results
    with django_assert_num_queries(len(first.captured_queries)):
        page = client.get(_url(long_bien)).content.decode()
    assert "30/06/2025" in page
