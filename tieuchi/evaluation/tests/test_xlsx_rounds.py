"""Excel downloads of the rounds overview, the corrective actions and the recompute jobs."""

import datetime as dt

import pytest

from tieuchi.catalog.models import Catalog
from tieuchi.core.tests.xlsx_readback import read_download
from tieuchi.evaluation import rounds
from tieuchi.evaluation.jobs import request_full_recompute
from tieuchi.evaluation.models import RoundAssessment
from tieuchi.evaluation.tests.test_rounds import DUE, conclude_all, user
from tieuchi.orgs.models import AdminUnit
from tieuchi.plans.models import EvaluationRound

BASE = "/evaluation/rounds/"


@pytest.fixture
def actions(db):
    """Round 2 of Giang Biên inspected, with corrective actions on three failed items."""
    round2 = EvaluationRound.objects.get(plan__key="giang-bien-2023", number=2)
    giang_bien = AdminUnit.objects.get(official_code="00121")
    own = rounds.start_self_assessment(user("dong.giangbien"), round2, giang_bien)
    rounds.submit_self_assessment(user("dong.giangbien"), own)
    inspection = rounds.start_inspection(user("kiemtra.longbien"), own)
    conclude_all(inspection, user("kiemtra.longbien"))
    rounds.confirm_inspection(user("kiemtra.longbien"), inspection)
    failed = inspection.items.filter(verdict="not_met").select_related("node")[:3]
    return [
        rounds.add_corrective_action(
            user("kiemtra.longbien"), item, description=f"=Sửa {item.node.code}", due_on=DUE
        )
        for item in failed
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["kiemtra.longbien", "dong.giangbien", "lanhdao.phucloi"])
def test_rounds_download_has_one_row_per_unit_of_each_round_on_the_page(login, username):
    client = login(username)
    page = client.get(BASE)
    assert 'class="button xlsx-download"' in page.content.decode()
    overview = page.context["overview"]
    table = read_download(client.get(f"{BASE}export.xlsx"))
    assert table.headers[:4] == ["Đợt đánh giá", "Kế hoạch", "Đánh giá đến ngày", "Đơn vị"]
    expected = [
        (e["round"].name, str(row["unit"]), e["day"]) for e in overview for row in e["rows"]
    ]
    got = list(
        zip(
            table.column("Đợt đánh giá"),
            table.column("Đơn vị"),
            table.column("Đánh giá đến ngày"),
            strict=True,
        )
    )
    assert got == expected
    statuses = [
        row["self"].get_status_display() if row["self"] else "Chưa bắt đầu"
        for entry in overview
        for row in entry["rows"]
    ]
    assert table.column("Tự đánh giá") == statuses
    if expected:
        assert table.formats[2] == {"DD/MM/YYYY"}


@pytest.mark.django_db
def test_actions_download_lists_the_pages_actions_with_status_filter(login, actions):
    client = login("kiemtra.longbien")
    for query in ["", "?status=open", "?status=done"]:
        page = client.get(f"{BASE}actions/{query}")
        assert 'class="button xlsx-download"' in page.content.decode()
        table = read_download(client.get(f"{BASE}actions/export.xlsx{query}"))
        shown = page.context["actions"]
        assert table.column("Mã") == [action.item.node.code for action in shown]
        assert table.column("Hạn") == [action.due_on for action in shown]
        assert table.column("Trạng thái") == [action.get_status_display() for action in shown]
    table = read_download(client.get(f"{BASE}actions/export.xlsx"))
    assert table.headers[4] == "Việc cần khắc phục"
    # A description typed as "=…" stays text in Excel, never a formula.
    descriptions = table.column("Việc cần khắc phục")
    typed = [n for n, text in enumerate(descriptions) if text.startswith("=Sửa")]
    assert len(typed) == len(actions)
    first_data_row = table.sheet.max_row - len(table.rows) + 1
    for index in typed:
        cell = table.sheet.cell(row=first_data_row + index, column=5)
        assert cell.data_type == "s" and cell.quotePrefix
    page = client.get(f"{BASE}actions/")
    overdue = [
        "Quá hạn" if a.status == "open" and a.due_on < page.context["today"] else None
        for a in page.context["actions"]
    ]
    assert table.column("Quá hạn") == overdue
    assert table.formats[table.headers.index("Hạn")] == {"DD/MM/YYYY"}


@pytest.mark.django_db
def test_actions_download_keeps_scope_and_query_budget(
    login, actions, django_assert_max_num_queries
):
    client = login("kiemtra.longbien")
    with django_assert_max_num_queries(6):
        response = client.get(f"{BASE}actions/export.xlsx")
    assert len(read_download(response).rows) >= len(actions)
    outsider = read_download(login("lanhdao.phucloi").get(f"{BASE}actions/export.xlsx"))
    assert outsider.rows == []
    with django_assert_max_num_queries(8):
        assert client.get(f"{BASE}export.xlsx").status_code == 200


@pytest.mark.django_db
def test_jobs_download_is_for_system_administrators(login, django_assert_max_num_queries):
    catalog = Catalog.objects.order_by("key").first()
    job = request_full_recompute(catalog, dt.date(2023, 11, 30))
    client = login("admin")
    page = client.get("/evaluation/jobs/")
    with django_assert_max_num_queries(5):
        response = client.get("/evaluation/jobs/export.xlsx")
    table = read_download(response)
    assert table.column("#") == [shown.pk for shown in page.context["jobs"]]
    assert job.pk in table.column("#")
    assert table.formats[table.headers.index("Yêu cầu lúc")] == {"DD/MM/YYYY HH:MM"}
    assert login("dong.giangbien").get("/evaluation/jobs/export.xlsx").status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("username", "stage"), [("dong.giangbien", ""), ("kiemtra.longbien", "inspection/")]
)
def test_assessment_download_has_the_items_of_the_page(
    login, actions, username, stage, django_assert_max_num_queries
):
    round_id = actions[0].item.assessment.round_id
    client = login(username)
    page = client.get(f"{BASE}{round_id}/00121/{stage}")
    assert 'class="button xlsx-download"' in page.content.decode()
    items = page.context["items"]
    with django_assert_max_num_queries(14):
        response = client.get(f"{BASE}{round_id}/00121/{stage}export.xlsx")
    table = read_download(response)
    assert table.column("Mã") == [item.node.code for item in items]
    assert table.column("Kết luận") == [item.get_verdict_display() for item in items]
    assert table.column("Việc khắc phục") == [item.action_count or None for item in items]
    assert ("Phường tự đánh giá" in table.headers) is bool(stage)
    if stage:
        assert table.column("Phường tự đánh giá") == [
            item.ward.get_verdict_display() for item in items
        ]


@pytest.mark.django_db
def test_assessment_download_outside_scope_or_not_started_is_404(login):
    round2 = EvaluationRound.objects.get(plan__key="giang-bien-2023", number=2)
    assert not RoundAssessment.objects.filter(round=round2).exists()
    assert login("dong.giangbien").get(f"{BASE}{round2.pk}/00121/export.xlsx").status_code == 404
    giang_bien = AdminUnit.objects.get(official_code="00121")
    rounds.start_self_assessment(user("dong.giangbien"), round2, giang_bien)
    assert login("dong.giangbien").get(f"{BASE}{round2.pk}/00121/export.xlsx").status_code == 200
    assert login("lanhdao.phucloi").get(f"{BASE}{round2.pk}/00121/export.xlsx").status_code == 404
