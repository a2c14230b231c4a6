"""The plan cascade page: KH 72's targets with every ward's rows, task counts and verdicts."""

import re
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from tieuchi.dashboards.tests.cascade_fixtures import ward_plan
from tieuchi.evaluation.models import EvaluationRun, NodeResult
from tieuchi.plans.models import PlanRow, Task
from tieuchi.plans.tasks_service import post_update

URL = "/dashboards/plans/long-bien-2023/cascade/"
XLSX = "/dashboards/plans/long-bien-2023/cascade.xlsx"
ON = "?on=2023-10-15"

pytestmark = pytest.mark.django_db


def wards_in(html: str, code: str) -> list[str]:
    """The ward codes shown under the district target `code`, in order."""
    block = re.search(rf'<tbody id="target-{re.escape(code)}">(.*?)</tbody>', html, re.S).group(1)
    return re.findall(r'data-ward="(\d+)"', block)


def counts_in(html: str, ward: str, code: str) -> dict[str, str]:
    block = re.search(rf'<tbody id="target-{re.escape(code)}">(.*?)</tbody>', html, re.S).group(1)
    row = re.search(rf'<tr data-ward="{ward}">(.*?)</tr>', block, re.S).group(1)
    return {
        name: re.sub(r"<[^>]+>", "", value).strip()
        for name, value in re.findall(r'data-count="(\w+)">(.*?)</td>', row, re.S)
    }


def test_the_demo_links_giang_bien_to_kh72_row_by_subcriterion():
    rows = PlanRow.objects.filter(plan__key="giang-bien-2023").select_related(
        "parent_row__plan", "plan__parent_plan"
    )
    assert rows.count() == 52
    for row in rows:
        assert row.plan.parent_plan.key == "long-bien-2023"
        assert row.parent_row.plan.key == "long-bien-2023"
        assert row.parent_row.criterion_code == row.criterion_code


def test_the_district_inspector_sees_every_wards_rows_under_each_target(login):
    ward_plan("00136", {"1.1": "Tháng 10/2023", "3.5": "Năm 2023"})
    html = login("kiemtra.longbien").get(URL + ON).content.decode()
    assert wards_in(html, "1.1") == ["00121", "00136"]
    assert wards_in(html, "3.5") == ["00121", "00136"]
    assert wards_in(html, "2.1") == ["00121"]
    assert "Thượng Thanh" in html  # listed among the wards with no linked plan
    assert 'data-ward-plans="2"' in html


@pytest.mark.parametrize(
    ("username", "wards"),
    [("dong.giangbien", ["00121"]), ("xem.giangbien", ["00121"]), ("lanhdao.phucloi", ["00136"])],
)
def test_a_ward_sees_only_its_own_rows(login, username, wards):
    ward_plan("00136", {"1.1": "Tháng 10/2023"})
    response = login(username).get(URL + ON)
    assert response.status_code == 200
    assert wards_in(response.content.decode(), "1.1") == wards
    assert "Thượng Thanh" not in response.content.decode()


def test_a_ward_without_a_linked_plan_gets_a_404_in_vietnamese(login):
    response = login("lanhdao.phucloi").get(URL)
    assert response.status_code == 404
    assert login("lanhdao.phucloi").get(XLSX).status_code == 404


def test_task_counts_split_done_on_time_at_risk_and_overdue(login):
    plan = ward_plan(
        "00136",
        {"1.1": "Tháng 05/2023", "1.2": "Tháng 10/2023", "1.3": "Tháng 12/2023"},
        units="Bộ phận ĐC-XD, Công an phường",
    )
    tasks = {(t.row.criterion_code, t.party_text): t for t in Task.objects.filter(row__plan=plan)}
    post_update(None, tasks["1.1", "Bộ phận ĐC-XD"], note="Xong", status="done", channel="system")
    post_update(None, tasks["1.3", "Công an phường"], note="Chậm", status="at_risk")
    html = login("kiemtra.longbien").get(URL + "?on=2023-10-27").content.decode()
    # 1.1 due 31/05: one done, one overdue. 1.2 due 31/10: 4 days left, not started → at risk.
    # 1.3 due 31/12: one not started (on time), one reported at risk.
    assert counts_in(html, "00136", "1.1") == {
        "done": "1",
        "on_time": "0",
        "at_risk": "0",
        "overdue": "1",
    }
    assert counts_in(html, "00136", "1.2")["at_risk"] == "2"
    assert counts_in(html, "00136", "1.3") == {
        "done": "0",
        "on_time": "1",
        "at_risk": "1",
        "overdue": "0",
    }


def test_each_ward_row_shows_its_wards_latest_stored_verdict(login):
    run = (
        EvaluationRun.objects.filter(
            unit__official_code="00121", catalog__key="qd04-2022", is_current=True
        )
        .order_by("-as_of", "-computed_at", "-pk")
        .first()
    )
    result = NodeResult.objects.get(run=run, code="8.4")
    html = login("kiemtra.longbien").get(URL + ON).content.decode()
    block = re.search(r'<tbody id="target-8.4">(.*?)</tbody>', html, re.S).group(1)
    assert f"verdict-{result.verdict}" in block
    assert f"tính đến {run.as_of:%d/%m/%Y}" in block


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(URL + ON).status_code == 200
    return len(captured)


def test_the_page_reads_a_fixed_number_of_queries_whatever_the_number_of_wards(
    login, django_assert_max_num_queries
):
    client = login("kiemtra.longbien")
    one_ward = _queries(client)
    for code in ("00115", "00118", "00136", "00139"):
        ward_plan(code, {"1.1": "Tháng 10/2023", "2.1": "Thường xuyên", "5.2": "Hàng tuần"})
    assert _queries(client) == one_ward
    with django_assert_max_num_queries(12):
        client.get(URL + ON)
    assert one_ward <= 12


def test_the_xlsx_download_has_one_line_per_ward_row_as_on_the_page(login):
    ward_plan("00136", {"1.1": "Tháng 10/2023"})
    response = login("kiemtra.longbien").get(XLSX + ON)
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    header = next(i for i, row in enumerate(values) if row[0] == "Mã tiêu chí")
    data = [row for row in values[header + 1 :] if row[0]]
    assert len(data) == 52 + 1
    phuc_loi = next(row for row in data if row[2] == "Phúc Lợi")
    assert phuc_loi[0] == "1.1"
    assert phuc_loi[5] == "Tháng 10/2023"
    assert phuc_loi[6].date().isoformat() == "2023-10-31"
    assert list(phuc_loi[7:11]) == [0, 1, 0, 0]  # done, on time, at risk, overdue
