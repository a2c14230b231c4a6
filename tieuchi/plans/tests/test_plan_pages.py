"""Plan pages: who may open them, the filters officials use, the downloads, and the query budget."""

import datetime as dt
from io import BytesIO, StringIO
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.management import CommandError, call_command
from django.test import Client
from openpyxl import load_workbook

from tieuchi.accounts.models import User
from tieuchi.orgs.models import AdminUnit, LegalDocument, Organisation, Person
from tieuchi.plans.models import Plan, PlanRow

KEY = "giang-bien-2023"
DISTRICT_KEY = "long-bien-2023"  # KH 72 of quận Long Biên, visible to the district and above
PLAN = f"/plans/{KEY}/"
PLAN_FILE = Path(settings.BASE_DIR) / "data" / "plans" / f"{KEY}.yaml"
ALL_ROWS = 52

# username -> may read the Giang Biên plan (pages, downloads, CLI export)
READERS = {
    "admin": True,
    "kiemtra.longbien": True,
    "dong.giangbien": True,
    "hoai.giangbien": True,
    "tinh.giangbien": True,
    "canbo.giangbien": True,
    "xem.giangbien": True,
    "tdp01.giangbien": False,  # a TDP is below the ward: the ward's plan is above his scope
    "lanhdao.phucloi": False,  # another ward
}


def source_rows() -> list[dict]:
    return yaml.safe_load(PLAN_FILE.read_text(encoding="utf-8"))["rows"]


def codes_in(response) -> list[str]:
    return [row.criterion_code for row in response.context["rows"]]


def ward(code: str) -> AdminUnit:
    return AdminUnit.objects.filter(official_code=code).order_by("-valid_from").first()


def person(short_name: str) -> Person:
    return Person.objects.get(short_name=short_name, organisation__admin_unit=ward("00121"))


# --- who may read the plan -------------------------------------------------------------------------


@pytest.mark.parametrize(("username", "reads"), READERS.items())
@pytest.mark.django_db
def test_it_lists_the_plan_only_to_users_whose_scope_covers_the_ward(login, username, reads):
    response = login(username).get("/plans/")
    assert response.status_code == 200
    listed = [plan.key for plan in response.context["plans"] if plan.key != DISTRICT_KEY]
    assert listed == ([KEY] if reads else [])
    assert (PLAN in response.content.decode()) is reads


@pytest.mark.parametrize(("username", "reads"), READERS.items())
@pytest.mark.parametrize("suffix", ["", "export.json", "export.xlsx"])
@pytest.mark.django_db
def test_it_answers_the_plan_pages_only_within_scope(login, username, reads, suffix):
    response = login(username).get(PLAN + suffix)
    assert response.status_code == (200 if reads else 404)


@pytest.mark.parametrize(("username", "reads"), READERS.items())
@pytest.mark.django_db
def test_it_exports_the_plan_on_the_command_line_only_within_the_users_scope(username, reads):
    out = StringIO()
    if reads:
        call_command("export", "plan", KEY, "--as-user", username, stdout=out)
        assert '"criterion_code": "9.5"' in out.getvalue()
    else:
        with pytest.raises(CommandError, match=KEY):
            call_command("export", "plan", KEY, "--as-user", username, stdout=out)
        assert out.getvalue() == ""


@pytest.mark.django_db
def test_it_keeps_two_wards_plans_apart(login):
    """Phúc Lợi gets its own plan: each ward's leader sees his own plan and never the other's."""
    giang_bien = Plan.objects.get(key=KEY)
    document = LegalDocument.objects.create(
        number="15/KH-UBND-PL", doc_type="KH", title="Kế hoạch", issuer="UBND phường Phúc Lợi"
    )
    other = Plan.objects.create(
        key="phuc-loi-2023",
        name="Phường Phúc Lợi đạt chuẩn đô thị văn minh năm 2023",
        unit=ward("00136"),
        catalog=giang_bien.catalog,
        legal_document=document,
        period_start=dt.date(2023, 1, 1),
        period_end=dt.date(2023, 12, 31),
    )
    for row in giang_bien.rows.all()[:3]:
        PlanRow.objects.create(
            plan=other, node=row.node, criterion_code=row.criterion_code, position=row.position
        )
    expectations = {
        "lanhdao.phucloi": {"phuc-loi-2023"},
        "dong.giangbien": {KEY},
        "kiemtra.longbien": {KEY, "phuc-loi-2023", DISTRICT_KEY},
        "tdp01.giangbien": set(),
    }
    for username, keys in expectations.items():
        client = login(username)
        listed = {plan.key for plan in client.get("/plans/").context["plans"]}
        assert listed == keys, username
        for key in (KEY, "phuc-loi-2023"):
            status = client.get(f"/plans/{key}/export.json").status_code
            assert status == (200 if key in keys else 404), (username, key)
    own = login("lanhdao.phucloi").get("/plans/phuc-loi-2023/")
    assert len(own.context["rows"]) == 3


@pytest.mark.django_db
def test_it_shows_no_plan_to_a_user_without_membership():
    user = User.objects.create_user("khach", password="mat-khau-rat-dai-1")
    client = Client()
    client.force_login(user)
    response = client.get("/plans/")
    assert response.status_code == 200
    assert response.context["plans"] == []
    assert "Chưa có kế hoạch nào trong phạm vi của bạn." in response.content.decode()
    for suffix in ("", "export.json", "export.xlsx"):
        assert client.get(PLAN + suffix).status_code == 404
    with pytest.raises(CommandError):
        call_command("export", "plan", KEY, "--as-user", "khach", stdout=StringIO())


@pytest.mark.parametrize("suffix", ["", "export.json", "export.xlsx"])
@pytest.mark.django_db
def test_it_sends_anonymous_visitors_of_a_plan_to_the_login_page(suffix):
    response = Client().get(PLAN + suffix)
    assert response.status_code == 302
    assert response["Location"] == f"/login/?next={PLAN}{suffix}"


# --- downloads -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_it_downloads_the_appendix_as_xlsx_with_one_line_per_row(login):
    response = login("xem.giangbien").get(PLAN + "export.xlsx")
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"] == f'attachment; filename="{KEY}.xlsx"'
    sheet = load_workbook(BytesIO(response.content)).active
    assert sheet.title == "Phụ lục"
    assert sheet["A1"].value.startswith("68/KH-UBND – ")
    header = [cell.value for cell in sheet[3]]
    assert "Thời gian hoàn thành" in header
    assert header[:3] == ["Tên tiêu chí", "Nội dung tiêu chí", "Giải pháp thực hiện"]
    data = [row for row in sheet.iter_rows(min_row=4, values_only=True) if any(row)]
    assert len(data) == ALL_ROWS
    assert [row[1].split(". ", 1)[0] for row in data] == [row["criterion"] for row in source_rows()]
    assert data[0][0] == "1. Quy hoạch đô thị"
    deadline = header.index("Thời gian hoàn thành")
    expected = [row["deadline"] for row in source_rows()]
    assert [row[deadline] or "" for row in data] == expected


@pytest.mark.django_db
def test_it_downloads_the_plan_as_json_with_every_row(login):
    data = login("hoai.giangbien").get(PLAN + "export.json").json()
    assert (data["key"], data["unit"], data["document"]) == (KEY, "00121", "68/KH-UBND")
    assert [row["criterion_code"] for row in data["rows"]] == [
        row["criterion"] for row in source_rows()
    ]


# --- filters ---------------------------------------------------------------------------------------


def leader_rows(*spellings: str) -> list[str]:
    return [
        row["criterion"]
        for row in source_rows()
        if any(spelling in row["leader"] for spelling in spellings)
    ]


@pytest.mark.parametrize(
    ("short_name", "spellings"),
    [
        ("Đ/c Tỉnh", ("Tỉnh",)),
        ("Đ/c Đông", ("Đông",)),
        ("Đ/c Hoài", ("Hoài", "Hồài")),  # "D/c Hồài" (row 5.1) is an OCR slip for Hoài
    ],
)
@pytest.mark.django_db
def test_it_filters_rows_by_the_leader_in_charge(login, short_name, spellings):
    response = login("dong.giangbien").get(PLAN, {"leader": person(short_name).pk})
    assert codes_in(response) == leader_rows(*spellings)


@pytest.mark.django_db
def test_it_shows_the_rows_of_dc_tinh_as_the_appendix_assigns_them(login):
    response = login("tinh.giangbien").get(PLAN, {"leader": person("Đ/c Tỉnh").pk})
    assert codes_in(response) == ["2.1", "2.2", "2.3", "2.4", "2.6", "2.7", "3.1", "3.2"]
    assert "8 nội dung" in response.content.decode()


@pytest.mark.django_db
def test_it_filters_rows_by_an_implementing_or_coordinating_organisation(login):
    police = Organisation.objects.get(admin_unit=ward("00121"), short_name="Công an phường")
    response = login("dong.giangbien").get(PLAN, {"unit": police.pk})
    # 4.1, 4.2, 4.4–4.6: implementing; 2.3: coordinating ("Công an phường; lực lượng TTĐT; …")
    assert codes_in(response) == ["2.3", "4.1", "4.2", "4.4", "4.5", "4.6"]
    assert len(set(codes_in(response))) == len(codes_in(response))  # no duplicate rows


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"deadline": "unspecified"}, ["7.4", "7.5", "8.2", "8.3"]),
        ({"deadline": "flagged"}, ["1.1", "1.2", "1.3", "7.4", "7.5", "8.2", "8.3", "9.1"]),
        ({"deadline": "linked"}, ["1.1", "1.2", "1.3", "9.1"]),
        ({"deadline": "recurring"}, ["1.6", "9.4"]),
        ({"due_by": "2023-10-31"}, ["1.7", "8.4", "8.5", "8.6", "8.7", "9.2"]),
        ({"due_by": "2023-05-31"}, ["8.4", "8.5", "8.6", "8.7"]),
        ({"due_by": "2023-05-30"}, []),
        ({"deadline": "dated", "due_by": "2023-10-31"}, ["1.7", "8.4", "8.5", "8.6", "8.7", "9.2"]),
    ],
)
@pytest.mark.django_db
def test_it_filters_rows_by_deadline(login, query, expected):
    assert codes_in(login("dong.giangbien").get(PLAN, query)) == expected


@pytest.mark.django_db
def test_it_keeps_every_continuous_row_out_of_the_dated_filter(login):
    client = login("dong.giangbien")
    continuous = set(codes_in(client.get(PLAN, {"deadline": "continuous"})))
    dated = set(codes_in(client.get(PLAN, {"deadline": "dated"})))
    written = {row["criterion"] for row in source_rows() if row["deadline"] == "Thường xuyên"}
    assert continuous == written
    assert not continuous & dated


@pytest.mark.django_db
def test_it_combines_filters(login):
    client = login("dong.giangbien")
    hoai = person("Đ/c Hoài").pk
    assert codes_in(client.get(PLAN, {"leader": hoai, "deadline": "unspecified"})) == [
        "7.4",
        "7.5",
        "8.2",
        "8.3",
    ]
    empty = client.get(PLAN, {"leader": person("Đ/c Tỉnh").pk, "due_by": "2023-10-31"})
    assert codes_in(empty) == []
    assert "Không có nội dung nào khớp bộ lọc." in empty.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        {"leader": "abc"},
        {"unit": "-1"},
        {"deadline": "bogus"},
        {"due_by": "31/10/2023"},
        {"due_by": "2023-13-45"},
    ],
)
@pytest.mark.django_db
def test_it_ignores_malformed_filter_values(login, query):
    response = login("dong.giangbien").get(PLAN, query)
    assert response.status_code == 200
    assert len(response.context["rows"]) == ALL_ROWS
    assert response.context["filters"].active is False


@pytest.mark.django_db
def test_it_returns_only_the_table_to_an_htmx_request(login):
    client = login("dong.giangbien")
    partial = client.get(PLAN, {"deadline": "unspecified"}, headers={"HX-Request": "true"})
    html = partial.content.decode()
    assert partial.status_code == 200
    assert "<html" not in html and "<form" not in html
    assert html.strip().startswith('<div id="plan-table">')
    assert [code for code in ("7.4", "7.5", "8.2", "8.3") if f'id="row-{code}"' in html] == [
        "7.4",
        "7.5",
        "8.2",
        "8.3",
    ]
    assert 'id="row-1.1"' not in html
    full = client.get(PLAN, {"deadline": "unspecified"})
    assert "<html" in full.content.decode()
    assert '<div id="plan-table">' in full.content.decode()
