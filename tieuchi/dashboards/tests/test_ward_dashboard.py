"""The ward dashboard: the 9 criteria, what changed, the history chart, overdue tasks and units
that have not reported, each equal to what is stored; scope; links into the scorecard."""

import datetime as dt
import json

import pytest

from tieuchi.catalog.models import CatalogNode
from tieuchi.evaluation.models import EvaluationRun, NodeResult, Verdict
from tieuchi.orgs.models import AdminUnit, UnitLevel, UnitType

LEAVES = (CatalogNode.NodeType.SUBCRITERION, CatalogNode.NodeType.INDICATOR)


def unit(code: str) -> AdminUnit:
    return AdminUnit.objects.filter(official_code=code).order_by("-valid_from").first()


def url(code: str = "00121") -> str:
    return f"/dashboards/ward/{unit(code).pk}/"


def current_runs(code: str = "00121") -> list[EvaluationRun]:
    """The ward's current runs of QĐ 04, oldest first, straight from the table."""
    runs = EvaluationRun.objects.filter(
        unit=unit(code), catalog__key="qd04-2022", is_current=True
    ).order_by("as_of", "computed_at", "pk")
    return list(runs)


def leaf_verdicts(run: EvaluationRun) -> dict[str, str]:
    rows = NodeResult.objects.filter(run=run, node__node_type__in=LEAVES)
    return dict(rows.values_list("code", "verdict"))


@pytest.mark.django_db
def test_the_ward_leader_sees_the_nine_criteria_of_the_newest_run(login):
    response = login("dong.giangbien").get(url())
    assert response.status_code == 200
    board = response.context["board"]
    newest = current_runs()[-1]
    assert board.run.pk == newest.pk and newest.round.number == 2
    stored = NodeResult.objects.filter(run=newest, depth=0).order_by("node__position")
    expected = [(r.code, r.verdict, r.met_count, r.total_count) for r in stored]
    shown = [(c.code, c.verdict.code, c.met_count, c.total_count) for c in board.criteria]
    assert shown == expected and len(shown) == 9
    html = response.content.decode()
    met = sum(1 for row in expected if row[1] == Verdict.MET)
    assert f"{met}/9 tiêu chí đạt" in html
    # Every criterion: its verdict in words beside the colour, a link to the scorecard there.
    scorecard = (
        f"/evaluation/units/{unit('00121').pk}/?catalog=qd04-2022&amp;round={newest.round_id}"
    )
    for criterion in board.criteria:
        assert f'href="{scorecard}#criterion-{criterion.code}"' in html
        assert f"{criterion.met_count}/{criterion.total_count} nội dung đạt" in html
    labels = {"met": "✓</span> Đạt", "not_met": "✗</span> Chưa đạt", "no_data": "?</span> Chưa đủ"}
    for _code, verdict, *_counts in expected:
        assert labels[verdict] in html


@pytest.mark.django_db
def test_the_history_chart_and_its_table_give_the_share_met_of_every_run(login):
    response = login("dong.giangbien").get(url())
    runs = current_runs()
    chart = response.context["chart"]
    expected = []
    for run in runs:
        verdicts = leaf_verdicts(run)
        met = sum(1 for v in verdicts.values() if v == Verdict.MET)
        expected.append(round(met * 100 / len(verdicts), 1))
    assert chart["values"] == expected and len(expected) == 2
    assert chart["labels"] == [run.round.name for run in runs]
    html = response.content.decode()
    data = html.split('id="chart-history-data" type="application/json">')[1].split("</script>")[0]
    assert json.loads(data) == chart
    assert 'data-chart="chart-history-data"' in html
    # The table fallback says the same in Vietnamese numbers.
    first = runs[0]
    verdicts = leaf_verdicts(first)
    met = sum(1 for v in verdicts.values() if v == Verdict.MET)
    percent = f"{met * 100 / len(verdicts):.1f}".replace(".", ",").removesuffix(",0")
    assert f'<td class="num">{met}/{len(verdicts)}</td><td class="num">{percent}%</td>' in html
    # Chart.js and our drawing script are loaded here, not on pages without charts.
    assert "vendor/chart-4.6.1.umd.min.js" in html and "js/charts.js" in html
    assert "chart-4.6.1" not in login("dong.giangbien").get("/").content.decode()


@pytest.mark.django_db
def test_it_lists_the_sub_criteria_whose_verdict_changed_since_the_round_before(login):
    before, after = current_runs()
    # Make round 1 differ from round 2 on 1.1 and 6.2, as if those sub-criteria had moved.
    stored_after = leaf_verdicts(after)
    flipped = {"1.1": Verdict.NOT_MET, "6.2": Verdict.MET}
    for code, verdict in flipped.items():
        if stored_after[code] == verdict:
            verdict = Verdict.NO_DATA
            flipped[code] = verdict
        NodeResult.objects.filter(run=before, code=code).update(verdict=verdict)
    response = login("dong.giangbien").get(url())
    changes = response.context["board"].changes
    assert [(c.code, c.before.code, c.after.code) for c in changes] == [
        (code, flipped[code], stored_after[code]) for code in ("1.1", "6.2")
    ]
    html = response.content.decode()
    assert "Đợt 1 – tháng 05/2023 → Đợt 2 – tháng 11/2023" in html
    scorecard = (
        f"/evaluation/units/{unit('00121').pk}/?catalog=qd04-2022&amp;round={after.round_id}"
    )
    assert f'href="{scorecard}#item-1.1">1.1</a>' in html


@pytest.mark.django_db
def test_without_changes_or_an_earlier_run_it_says_so(login):
    html = login("dong.giangbien").get(url()).content.decode()
    before, after = current_runs()
    assert leaf_verdicts(before) == leaf_verdicts(after)  # the demo's two rounds agree
    assert "Không có nội dung nào thay đổi kết quả." in html
    html = login("lanhdao.phucloi").get(url("00136")).content.decode()
    assert len(current_runs("00136")) == 1
    assert "Chưa có lần đánh giá trước để so sánh." in html


@pytest.mark.django_db
def test_overdue_tasks_are_those_of_the_plans_overdue_page(login):
    client = login("dong.giangbien")
    board = client.get(url()).context["board"]
    page = client.get(f"/plans/tasks/overdue/{unit('00121').pk}/")
    assert [task.pk for task in board.overdue] == [task.pk for task in page.context["tasks"]]
    assert board.overdue, "the demo's 2023 plan has open tasks past due"
    html = client.get(url()).content.decode()
    assert f"{len(board.overdue)} việc quá hạn" in html
    for task in board.overdue_shown:
        assert f'href="/plans/tasks/{task.pk}/"' in html
    assert len(board.overdue_shown) == min(10, len(board.overdue))


@pytest.mark.django_db
def test_units_that_have_not_reported_are_those_of_the_completeness_page(login):
    client = login("dong.giangbien")
    response = client.get(url())
    board = response.context["board"]
    period = board.run.period
    page = client.get(f"/data/completeness/{unit('00121').pk}/{period}/", {"catalog": "qd04-2022"})
    expected = [child.unit.official_code for child in page.context["report"].missing]
    assert [child.unit.official_code for child in board.missing] == expected
    assert len(board.reporting.children) == 20 and expected  # some TDPs are still entering
    html = response.content.decode()
    for child in board.missing:
        assert f"<strong>{child.title}</strong>" in html


@pytest.mark.parametrize(
    ("username", "code", "status"),
    [
        ("dong.giangbien", "00121", 200),
        ("kiemtra.longbien", "00121", 200),
        ("xem.giangbien", "00121", 200),
        ("lanhdao.phucloi", "00121", 404),
        ("tdp01.giangbien", "00121", 404),
        ("dong.giangbien", "00136", 404),
        ("lanhdao.phucloi", "00136", 200),
    ],
)
@pytest.mark.django_db
def test_a_ward_dashboard_outside_the_users_scope_is_404(login, username, code, status):
    response = login(username).get(url(code))
    assert response.status_code == status
    if status == 404:
        assert "Phường Giang Biên" not in response.content.decode()


@pytest.mark.django_db
def test_a_district_or_a_tdp_is_not_a_ward(login):
    client = login("kiemtra.longbien")
    response = client.get(url("004"))
    assert response.status_code == 302
    assert response["Location"] == f"/dashboards/district/{unit('004').pk}/"
    assert client.get(url("00121-TDP01")).status_code == 404


@pytest.mark.django_db
def test_a_ward_without_results_gets_a_page_that_says_so(login):
    ward = AdminUnit.objects.create(
        official_code="99901",
        name="Phường mới",
        level=UnitLevel.COMMUNE,
        unit_type=UnitType.PHUONG,
        parent=unit("004"),
        valid_from=dt.date(2004, 1, 1),
    )
    response = login("kiemtra.longbien").get(f"/dashboards/ward/{ward.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Đơn vị này chưa có kết quả đánh giá." in html
    assert "chart-4.6.1" not in html
