"""The scorecard of one unit: what it shows, who may open it, recomputing, JSON and query budget."""

import datetime as dt
import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from tieuchi.accounts.models import AuditEvent, User
from tieuchi.catalog.models import Catalog, CatalogNode
from tieuchi.collection.models import Evidence, Observation
from tieuchi.evaluation.models import EvaluationRun
from tieuchi.orgs.models import AdminUnit
from tieuchi.plans.models import EvaluationRound

AS_OF = dt.date(2023, 11, 30)
SUBCRITERIA = 52

# username -> HTTP status of Giang Biên's scorecard (page and JSON download)
READERS = {
    "admin": 200,
    "kiemtra.longbien": 200,
    "dong.giangbien": 200,
    "hoai.giangbien": 200,
    "tinh.giangbien": 200,
    "canbo.giangbien": 200,
    "xem.giangbien": 200,
    "tdp01.giangbien": 404,  # a TDP is below the ward: the ward's results are above his scope
    "lanhdao.phucloi": 404,  # another ward
}
# username -> status of "Tính lại" on Giang Biên: ward leaders and system admins only
RECOMPUTERS = {
    "admin": 302,
    "dong.giangbien": 302,
    "hoai.giangbien": 302,
    "tinh.giangbien": 302,
    "canbo.giangbien": 403,  # enters figures, does not decide results
    "xem.giangbien": 403,  # Party committee, read only
    "kiemtra.longbien": 403,  # inspects; the ward recomputes
    "tdp01.giangbien": 404,
    "lanhdao.phucloi": 404,
}


def ward(code: str = "00121") -> AdminUnit:
    return AdminUnit.objects.filter(official_code=code).order_by("-valid_from").first()


def url(unit: AdminUnit | None = None, suffix: str = "") -> str:
    return f"/evaluation/units/{(unit or ward()).pk}/{suffix}"


def items_by_code(response) -> dict:
    return {item.code: item for item in response.context["card"].items}


def shown_codes(response) -> list[str]:
    return [item.code for _criterion, items in response.context["criteria"] for item in items]


def round_(number: int) -> EvaluationRound:
    return EvaluationRound.objects.get(plan__key="giang-bien-2023", number=number)


# --- what the scorecard shows -----------------------------------------------------------------------


@pytest.mark.django_db
def test_it_shows_the_latest_round_with_all_52_subcriteria_under_9_criteria(login):
    response = login("dong.giangbien").get(url())
    assert response.status_code == 200
    card = response.context["card"]
    assert card.run.as_of == AS_OF and card.run.round == round_(2)
    assert len(card.criteria) == 9
    assert len(card.items) == SUBCRITERIA
    html = response.content.decode()
    assert html.count('<tr id="item-') == SUBCRITERIA
    assert f"{card.met_count}/9 tiêu chí đạt" in html
    assert {item.verdict.code for item in card.items} == {"met", "not_met", "no_data"}
    for criterion in card.criteria:
        met = sum(1 for item in criterion.items if item.verdict.code == "met")
        assert (criterion.met_count, criterion.total_count) == (met, len(criterion.items))
        assert f"{met}/{len(criterion.items)} nội dung đạt" in html


@pytest.mark.django_db
def test_it_lists_the_recognition_conditions_with_verdict_and_reason(login):
    card = login("dong.giangbien").get(url()).context["card"]
    names = [name for name, _verdict, _explanation in card.conditions]
    assert names == ["Đạt tất cả các tiêu chí", "Thời gian đăng ký", "Tỷ lệ người dân hài lòng"]
    for _name, verdict, explanation in card.conditions:
        assert verdict.label and verdict.symbol and explanation


@pytest.mark.parametrize(
    ("verdict", "symbol", "label"),
    [("met", "✓", "Đạt"), ("not_met", "✗", "Chưa đạt"), ("no_data", "?", "Chưa đủ dữ liệu")],
)
@pytest.mark.django_db
def test_every_verdict_is_shown_with_a_symbol_and_words_not_colour_alone(
    login, verdict, symbol, label
):
    html = login("dong.giangbien").get(url()).content.decode()
    badge = (
        f'<span class="verdict verdict-{verdict}"><span class="verdict-symbol" '
        f'aria-hidden="true">{symbol}</span> {label}</span>'
    )
    assert badge in html


@pytest.mark.django_db
def test_it_shows_the_schools_item_8_4_against_the_national_and_the_ward_target(login):
    response = login("dong.giangbien").get(url())
    schools = items_by_code(response)["8.4"].measures[1]
    assert (schools.code, schools.fraction, schools.percent) == ("8.4b", "7/8", "87,5%")
    layers = [(label, verdict.code) for label, verdict in schools.layers]
    assert layers == [("Ngưỡng quốc gia", "met"), ("Chỉ tiêu phường", "met")]
    html = response.content.decode()
    row = html[html.index('<tr id="item-8.4"') : html.index('<tr id="item-8.5"')]
    assert "Ngưỡng quốc gia" in row and "Chỉ tiêu phường" in row and "87,5%" in row


@pytest.mark.django_db
def test_it_explains_6_1_by_the_tdp_that_has_not_reported(login):
    item = items_by_code(login("dong.giangbien").get(url()))["6.1"]
    assert item.verdict.code == "no_data"
    assert "Tổ dân phố số 13 chưa báo cáo" in item.explanation
    employment = item.measures[0]
    assert (employment.fraction, employment.percent) == ("12.527/13.761", "91,03%")
    assert employment.reported == "19/20 đơn vị đã báo cáo"


@pytest.mark.parametrize("code", ["8.1", "8.2", "8.3", "8.4", "8.5", "8.6", "8.7", "8.8"])
@pytest.mark.django_db
def test_it_names_the_plans_leader_and_implementing_unit_for_health_and_education(login, code):
    item = items_by_code(login("dong.giangbien").get(url()))[code]
    assert item.leader == "Đ/c Hoài"
    assert item.leader_title == "PCT UBND"
    assert item.implementing, code


@pytest.mark.django_db
def test_it_shows_the_implementing_unit_as_resolved_from_the_plan(login):
    html = login("dong.giangbien").get(url()).content.decode()
    row = html[html.index('<tr id="item-8.1"') : html.index('<tr id="item-8.2"')]
    assert "Đ/c Hoài" in row and "Trạm y tế phường" in row


@pytest.mark.django_db
def test_it_counts_the_evidence_filed_for_each_subcriterion(login):
    catalog = Catalog.objects.get(key="qd04-2022")
    node = CatalogNode.objects.get(catalog=catalog, code="1.1")
    tdp = ward("00121-TDP01")
    for index, unit in enumerate([ward(), ward(), tdp]):
        Evidence.objects.create(
            unit=unit,
            node=node,
            sha256=f"{index:064}",
            original_name=f"bien-ban-{index}.pdf",
            content_type="application/pdf",
            size=1000,
        )
    response = login("dong.giangbien").get(url())
    counts = {item.code: item.evidence_count for item in response.context["card"].items}
    assert counts["1.1"] == 3  # the ward's two files and one from a TDP below it
    assert sum(counts.values()) == 3
    assert "3 tệp" in response.content.decode()


@pytest.mark.parametrize(
    ("show", "verdicts"),
    [
        ("", {"met", "not_met", "no_data"}),
        ("open", {"not_met", "no_data"}),
        ("not_met", {"not_met"}),
        ("no_data", {"no_data"}),
        ("nonsense", {"met", "not_met", "no_data"}),
    ],
)
@pytest.mark.django_db
def test_the_filter_keeps_only_the_chosen_verdicts(login, show, verdicts):
    client = login("dong.giangbien")
    card = client.get(url()).context["card"]
    expected = [item.code for item in card.items if item.verdict.code in verdicts]
    response = client.get(url(), {"show": show})
    assert shown_codes(response) == expected
    assert f"{len(expected)} nội dung" in response.content.decode()
    # Criteria with nothing left to show are left out, except when nothing is filtered.
    kept = [c.code for c in card.criteria if any(i.verdict.code in verdicts for i in c.items)]
    assert [criterion.code for criterion, _items in response.context["criteria"]] == kept


@pytest.mark.django_db
def test_htmx_gets_only_the_filtered_list(login):
    response = login("dong.giangbien").get(url(), {"show": "not_met"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<html" not in html and 'id="scorecard-items"' in html
    assert html.count('<tr id="item-') == len(shown_codes(response)) > 0


@pytest.mark.django_db
def test_the_round_selector_shows_round_1_as_of_the_end_of_may(login):
    client = login("dong.giangbien")
    response = client.get(url(), {"round": round_(1).pk})
    assert response.context["run"].as_of == dt.date(2023, 5, 31)
    assert len(response.context["card"].items) == SUBCRITERIA
    html = response.content.decode()
    assert "31/05/2023" in html
    assert [r.name for r, done in response.context["rounds"] if done] == [
        "Đợt 1 – tháng 05/2023",
        "Đợt 2 – tháng 11/2023",
    ]
    assert f'href="?round={round_(2).pk}"' in html


@pytest.mark.django_db
def test_a_ward_without_a_plan_shows_its_result_without_rounds_or_owners(login):
    response = login("lanhdao.phucloi").get(url(ward("00136")))
    assert response.status_code == 200
    assert response.context["rounds"] == []
    assert len(response.context["card"].items) == SUBCRITERIA
    assert all(item.row is None for item in response.context["card"].items)


@pytest.mark.django_db
def test_a_unit_without_any_result_says_so(login):
    response = login("dong.giangbien").get(url(ward("00121-TDP05")))
    assert response.status_code == 200
    assert response.context["card"] is None
    assert "chưa có kết quả đánh giá" in response.content.decode()


# --- who may see it -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("username", "status"), READERS.items())
@pytest.mark.parametrize("suffix", ["", "result.json"])
@pytest.mark.django_db
def test_only_users_whose_scope_covers_the_ward_may_open_its_scorecard(
    login, username, status, suffix
):
    assert login(username).get(url(suffix=suffix)).status_code == status


@pytest.mark.django_db
def test_it_needs_a_login(client):
    response = client.get(url())
    assert response.status_code == 302 and response["Location"].startswith("/login/")


# --- recomputing --------------------------------------------------------------------------------------


def recompute(client, unit=None, **data):
    data.setdefault("catalog", "qd04-2022")
    return client.post(url(unit, "recompute/"), data)


@pytest.mark.parametrize(("username", "status"), RECOMPUTERS.items())
@pytest.mark.django_db
def test_only_the_wards_leaders_may_recompute(login, username, status):
    response = recompute(login(username), round=round_(2).pk)
    assert response.status_code == status
    html = login(username).get(url()).content.decode() if READERS[username] == 200 else ""
    assert ("Tính lại" in html) is (status == 302)


@pytest.mark.django_db
def test_recomputing_unchanged_figures_keeps_the_current_run(login):
    current = EvaluationRun.objects.get(unit=ward(), round=round_(2), is_current=True)
    client = login("dong.giangbien")
    response = recompute(client, round=round_(2).pk)
    assert response.status_code == 302
    assert response["Location"] == f"{url()}?catalog=qd04-2022&round={round_(2).pk}"
    assert EvaluationRun.objects.get(unit=ward(), round=round_(2), is_current=True) == current
    page = client.get(response["Location"])
    assert "Số liệu không thay đổi" in page.content.decode()


@pytest.mark.django_db
def test_recomputing_after_a_figure_changed_stores_a_new_run_by_that_user(login):
    old = EvaluationRun.objects.get(unit=ward(), round=round_(2), is_current=True)
    measure = CatalogNode.objects.get(catalog__key="qd04-2022", code="6.1").measures.get()
    Observation.objects.create(
        unit=ward("00121-TDP13"),
        measure=measure,
        period="2023",
        period_start=dt.date(2023, 1, 1),
        period_end=dt.date(2023, 12, 31),
        numerator=Decimal(700),
        denominator=Decimal(760),
        status="approved",
    )
    client = login("hoai.giangbien")
    response = recompute(client, round=round_(2).pk)
    new = EvaluationRun.objects.get(unit=ward(), round=round_(2), is_current=True)
    assert new.pk != old.pk and not EvaluationRun.objects.get(pk=old.pk).is_current
    assert new.triggered_by == User.objects.get(username="hoai.giangbien")
    event = AuditEvent.objects.filter(action="evaluate").latest("pk")
    assert (event.object_id, event.channel, event.actor) == (str(new.pk), "web", new.triggered_by)
    page = client.get(response["Location"])
    assert items_by_code(page)["6.1"].verdict.code == "met"
    assert "Đã tính lại" in page.content.decode()


@pytest.mark.django_db
def test_a_round_without_a_result_can_be_computed_from_its_page(login):
    EvaluationRun.objects.filter(unit=ward(), round=round_(1)).update(is_current=False)
    client = login("dong.giangbien")
    page = client.get(url(), {"round": round_(1).pk})
    assert page.context["card"] is None
    html = page.content.decode()
    assert "Chưa có kết quả đánh giá Đợt 1 – tháng 05/2023." in html
    assert 'name="as_of" value="2023-05-31"' in html
    response = recompute(client, round=round_(1).pk, as_of="2023-05-31")
    run = EvaluationRun.objects.get(unit=ward(), round=round_(1), is_current=True)
    assert run.as_of == dt.date(2023, 5, 31)
    assert len(client.get(response["Location"]).context["card"].items) == SUBCRITERIA


@pytest.mark.django_db
def test_recompute_accepts_only_post(login):
    assert login("dong.giangbien").get(url(suffix="recompute/")).status_code == 405


@pytest.mark.django_db
def test_recompute_refuses_a_round_of_another_units_plan(login):
    other = ward("00136")
    response = recompute(login("admin"), other, round=round_(2).pk)
    assert response.status_code == 404


# --- the JSON download --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_json_download_is_what_tieuchi_evaluate_prints(login):
    response = login("dong.giangbien").get(url(suffix="result.json"), {"round": round_(2).pk})
    assert response["Content-Type"] == "application/json"
    assert (
        response["Content-Disposition"] == 'attachment; filename="00121-qd04-2022-2023-11-30.json"'
    )
    data = json.loads(response.content)
    out = StringIO()
    call_command(
        "evaluate", "--unit", "00121", "--as-of", "2023-11-30", "--format", "json", stdout=out
    )
    assert data == json.loads(out.getvalue())
    assert set(data) >= {"code", "name", "catalog", "as_of", "verdict", "conditions", "children"}
    items = [item for criterion in data["children"] for item in criterion["children"]]
    assert len(items) == SUBCRITERIA
    assert all({"code", "verdict", "figures", "explanation"} <= set(item) for item in items)


@pytest.mark.django_db
def test_the_json_download_of_a_round_without_a_result_is_404(login):
    EvaluationRun.objects.filter(unit=ward(), round=round_(1)).update(is_current=False)
    response = login("dong.giangbien").get(url(suffix="result.json"), {"round": round_(1).pk})
    assert response.status_code == 404
