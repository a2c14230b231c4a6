"""Excel downloads of the task lists: the rows, order and filters of the page, the same scope."""

import pytest

from tieuchi.core.tests.xlsx_readback import read_download
from tieuchi.orgs.models import Person
from tieuchi.plans.models import Plan

pytestmark = pytest.mark.django_db
ON = "2023-10-15"


def leader(short_name: str) -> Person:
    return Person.objects.get(short_name=short_name, user__isnull=False)


def page_tasks(response) -> list:
    if "person" in response.context:  # the leader page groups tasks by plan row
        return [task for _row, tasks in response.context["rows"] for task in tasks]
    return list(response.context["tasks"])


def pages() -> list[tuple[str, str]]:
    unit = Plan.objects.get(key="giang-bien-2023").unit
    return [
        ("hoai.giangbien", f"/plans/tasks/mine/?on={ON}"),
        ("hoai.giangbien", f"/plans/tasks/mine/?on={ON}&status=overdue"),
        ("dong.giangbien", f"/plans/tasks/leader/{leader('Đ/c Hoài').pk}/?on={ON}"),
        ("dong.giangbien", f"/plans/tasks/overdue/{unit.pk}/?on={ON}"),
        ("kiemtra.longbien", f"/plans/tasks/overdue/{unit.pk}/?on={ON}"),
    ]


def download_url(page_url: str) -> str:
    path, _sep, query = page_url.partition("?")
    return f"{path}export.xlsx?{query}"


@pytest.mark.parametrize("index", range(5))
def test_each_task_download_has_the_pages_rows_in_the_pages_order(login, index):
    username, page_url = pages()[index]
    client = login(username)
    page = client.get(page_url)
    assert 'class="button xlsx-download"' in page.content.decode()
    shown = page_tasks(page)
    assert shown
    table = read_download(client.get(download_url(page_url)))
    assert table.headers[:2] == ["Mã nội dung", "Việc"]
    assert table.column("Việc") == [task.title for task in shown]
    assert table.column("Trạng thái") == [task.shown_label for task in shown]
    assert table.column("Hạn tiếp theo") == [task.next_due for task in shown]
    percents = [task.percent / 100 if task.percent is not None else None for task in shown]
    assert table.column("Tiến độ") == pytest.approx(percents)
    assert table.formats[table.headers.index("Hạn tiếp theo")] <= {"DD/MM/YYYY"}
    if any(p is not None for p in percents):
        assert table.formats[table.headers.index("Tiến độ")] == {"0%"}
    assert "Tính đến ngày: 15/10/2023" in table.preamble


@pytest.mark.parametrize("index", range(5))
def test_task_downloads_use_a_fixed_number_of_queries(login, index, django_assert_max_num_queries):
    username, page_url = pages()[index]
    client = login(username)
    with django_assert_max_num_queries(12):
        assert client.get(download_url(page_url)).status_code == 200


def test_task_downloads_outside_the_scope_are_404(login):
    unit = Plan.objects.get(key="giang-bien-2023").unit
    other = login("lanhdao.phucloi")
    assert other.get(f"/plans/tasks/overdue/{unit.pk}/export.xlsx").status_code == 404
    dong = leader("Đ/c Đông").pk
    assert other.get(f"/plans/tasks/leader/{dong}/export.xlsx").status_code == 404
    assert read_download(other.get("/plans/tasks/mine/export.xlsx")).rows == []


@pytest.mark.parametrize("username", ["admin", "dong.giangbien", "lanhdao.phucloi"])
def test_plan_list_download_has_the_plans_of_the_page(
    login, username, django_assert_max_num_queries
):
    client = login(username)
    page = client.get("/plans/")
    assert 'class="button xlsx-download"' in page.content.decode()
    with django_assert_max_num_queries(8):
        response = client.get("/plans/export.xlsx")
    table = read_download(response)
    plans = page.context["plans"]
    assert table.column("Số, ký hiệu") == [plan.legal_document.number for plan in plans]
    assert table.column("Từ ngày") == [plan.period_start for plan in plans]
    if plans:
        assert table.formats[table.headers.index("Đến ngày")] == {"DD/MM/YYYY"}
