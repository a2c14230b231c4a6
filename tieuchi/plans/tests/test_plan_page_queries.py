"""The plan pages read a fixed number of queries, however many rows, people and tasks there are."""

import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tieuchi.catalog.models import CatalogNode, Measure, Threshold
from tieuchi.orgs.models import AdminUnit
from tieuchi.plans.models import Plan, PlanRow, PlanRowParty
from tieuchi.plans.tests.test_plan_pages import ward

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


# --- query budget ----------------------------------------------------------------------------------

# (username, url) -> the number of queries the page runs, measured; it must not grow with the data.
BUDGETS = [
    ("dong.giangbien", PLAN, 13),
    ("dong.giangbien", PLAN + "?deadline=flagged&due_by=2023-12-31", 13),
    ("admin", PLAN, 9),
    ("dong.giangbien", PLAN + "export.json", 7),
    ("dong.giangbien", PLAN + "export.xlsx", 7),
    ("dong.giangbien", "/catalogs/qd04-2022/", 6),
    ("dong.giangbien", "/units/", 8),
    ("dong.giangbien", "/units/?as_of=2023-06-01", 7),
    ("kiemtra.longbien", "/units/?as_of=2023-06-01", 7),
    ("admin", "/units/?as_of=2023-06-01", 3),
]


def grow_the_data() -> None:
    """20 more TDPs, every plan row twice over, and 20 more catalog items with thresholds."""
    giang_bien = ward("00121")
    for number in range(21, 41):
        AdminUnit.objects.create(
            official_code=f"00121-TDP{number:02d}",
            name=f"Tổ dân phố số {number}",
            level="residential_group",
            unit_type="to_dan_pho",
            parent=giang_bien,
            valid_from=dt.date(2004, 1, 1),
        )
    plan = Plan.objects.get(key=KEY)
    position = plan.rows.count()
    for row in list(plan.rows.prefetch_related("parties")):
        position += 1
        copy = PlanRow.objects.create(
            plan=plan,
            node=row.node,
            criterion_code=f"{row.criterion_code}b",
            position=position,
            criterion_text=row.criterion_text,
            lead_person=row.lead_person,
            deadline_kind=row.deadline_kind,
            deadline_due=row.deadline_due,
            flags=row.flags,
        )
        PlanRowParty.objects.bulk_create(
            PlanRowParty(
                row=copy,
                role=party.role,
                text=party.text,
                organisation=party.organisation,
                person=party.person,
                position=party.position,
            )
            for party in row.parties.all()
        )
    group = CatalogNode.objects.get(catalog=plan.catalog, code="9")
    for number in range(10, 30):
        node = CatalogNode.objects.create(
            catalog=plan.catalog,
            parent=group,
            code=f"9.{number}",
            node_type="subcriterion",
            name=f"Nội dung thêm {number}",
            position=1000 + number,
        )
        measure = Measure.objects.create(node=node, code=node.code, name=node.name, kind="ratio")
        Threshold.objects.create(
            measure=measure, layer="national", comparator="gte", value=90, text="≥ 90%"
        )


def queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize(("username", "url", "budget"), BUDGETS)
@pytest.mark.django_db
def test_it_stays_within_the_query_budget(
    login, django_assert_max_num_queries, username, url, budget
):
    client = login(username)
    with django_assert_max_num_queries(budget):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize(("username", "url", "budget"), BUDGETS)
@pytest.mark.django_db
def test_it_runs_the_same_number_of_queries_when_the_data_grows(
    login, django_assert_max_num_queries, username, url, budget
):
    client = login(username)
    before = queries(client, url)
    grow_the_data()
    with django_assert_max_num_queries(budget):
        response = client.get(url)
    assert response.status_code == 200
    assert queries(client, url) == before


@pytest.mark.django_db
def test_the_grown_data_really_is_on_the_pages(login):
    """Guards the budget test: the extra rows, units and items must be rendered, not filtered out."""
    grow_the_data()
    client = login("dong.giangbien")
    assert len(client.get(PLAN).context["rows"]) == 2 * ALL_ROWS
    assert len(client.get("/units/?as_of=2023-06-01").context["rows"]) == 1 + 40
    assert client.get("/catalogs/qd04-2022/").context["leaf_count"] == ALL_ROWS + 20
