"""Who sees which units: one scope rule (membership unit and everything below), on every page."""

import datetime as dt

import pytest
from django.test import Client

from tieuchi.accounts.models import User
from tieuchi.accounts.roles import Role
from tieuchi.orgs.models import AdminUnit, Membership

WARDS = 14
TDPS = 20
GIANG_BIEN = "00121"
PHUC_LOI = "00136"
TDP01 = "00121-TDP01"
GIANG_BIEN_TREE = {GIANG_BIEN, *(f"{GIANG_BIEN}-TDP{n:02d}" for n in range(1, TDPS + 1))}

# username -> (official code of the highest visible unit, number of visible units)
SCOPES = {
    "admin": ("01", 1 + 1 + WARDS + TDPS),
    "kiemtra.longbien": ("004", 1 + WARDS + TDPS),
    "dong.giangbien": (GIANG_BIEN, 1 + TDPS),
    "hoai.giangbien": (GIANG_BIEN, 1 + TDPS),
    "tinh.giangbien": (GIANG_BIEN, 1 + TDPS),
    "canbo.giangbien": (GIANG_BIEN, 1 + TDPS),
    "xem.giangbien": (GIANG_BIEN, 1 + TDPS),
    "tdp01.giangbien": (TDP01, 1),
    "lanhdao.phucloi": (PHUC_LOI, 1),
}
# username -> (sees Giang Biên's page, sees Phúc Lợi's page)
UNIT_PAGES = {
    "admin": (True, True),
    "kiemtra.longbien": (True, True),
    "dong.giangbien": (True, False),
    "hoai.giangbien": (True, False),
    "tinh.giangbien": (True, False),
    "canbo.giangbien": (True, False),
    "xem.giangbien": (True, False),
    "tdp01.giangbien": (False, False),
    "lanhdao.phucloi": (False, True),
}


def unit(code: str) -> AdminUnit:
    return AdminUnit.objects.filter(official_code=code).order_by("-valid_from").first()


def walk(node: dict):
    yield node
    for child in node["children"]:
        yield from walk(child)


def json_codes(data: dict) -> list[str]:
    return [node["code"] for root in data["units"] for node in walk(root)]


@pytest.fixture
def outsider(db) -> User:
    """A user who exists and may log in, but belongs to no unit."""
    return User.objects.create_user("khach", password="mat-khau-rat-dai-1")


@pytest.mark.parametrize(("username", "scope"), SCOPES.items())
@pytest.mark.django_db
def test_it_shows_each_role_its_own_unit_and_everything_below(username, scope):
    top_code, count = scope
    user = User.objects.get(username=username)
    visible = AdminUnit.objects.visible_to(user)
    assert visible.count() == count
    top = unit(top_code)
    assert all(u.path.startswith(top.path) for u in visible)
    assert visible.filter(pk=top.pk).exists()


@pytest.mark.parametrize(
    ("username", "sees_giang_bien_tree", "sees_phuc_loi"),
    [
        ("admin", True, True),
        ("kiemtra.longbien", True, True),
        ("dong.giangbien", True, False),
        ("xem.giangbien", True, False),
        ("tdp01.giangbien", False, False),
        ("lanhdao.phucloi", False, True),
    ],
)
@pytest.mark.django_db
def test_it_separates_wards_and_their_residential_groups(
    username, sees_giang_bien_tree, sees_phuc_loi
):
    codes = set(
        AdminUnit.objects.visible_to(User.objects.get(username=username)).values_list(
            "official_code", flat=True
        )
    )
    assert GIANG_BIEN_TREE.issubset(codes) is sees_giang_bien_tree
    assert (PHUC_LOI in codes) is sees_phuc_loi
    if not sees_giang_bien_tree:
        assert GIANG_BIEN not in codes


@pytest.mark.django_db
def test_it_shows_nothing_to_a_user_without_membership_or_to_anonymous(outsider):
    from django.contrib.auth.models import AnonymousUser

    assert AdminUnit.objects.visible_to(outsider).count() == 0
    assert AdminUnit.objects.visible_to(AnonymousUser()).count() == 0


@pytest.mark.parametrize(
    ("valid_from", "valid_to", "count"),
    [
        (None, None, 1 + TDPS),
        (dt.date(2000, 1, 1), dt.date(2001, 1, 1), 0),  # expired membership grants nothing
        (dt.date(2999, 1, 1), None, 0),  # not yet started
    ],
)
@pytest.mark.django_db
def test_it_honours_the_validity_of_a_membership(outsider, valid_from, valid_to, count):
    Membership.objects.create(
        user=outsider,
        unit=unit(GIANG_BIEN),
        role=Role.VIEWER,
        valid_from=valid_from,
        valid_to=valid_to,
    )
    assert AdminUnit.objects.visible_to(outsider).count() == count


@pytest.mark.parametrize(("username", "pages"), UNIT_PAGES.items())
@pytest.mark.django_db
def test_it_opens_a_unit_page_only_inside_the_users_scope(login, username, pages):
    client = login(username)
    for code, visible in zip((GIANG_BIEN, PHUC_LOI), pages, strict=True):
        response = client.get(f"/units/{unit(code).pk}/")
        assert response.status_code == (200 if visible else 404), code
        if visible:
            assert unit(code).name in response.content.decode()


@pytest.mark.parametrize("username", SCOPES)
@pytest.mark.django_db
def test_it_lists_on_the_tree_page_exactly_the_units_in_scope(login, username):
    top_code, count = SCOPES[username]
    response = login(username).get("/units/", {"as_of": "2023-06-01"})
    assert response.status_code == 200
    rows = response.context["rows"]
    assert len(rows) == count
    depth, top = rows[0]
    assert (depth, top.unit.code) == (0, top_code)
    html = response.content.decode()
    sees_giang_bien, sees_phuc_loi = UNIT_PAGES[username]
    assert (f'href="/units/{unit(GIANG_BIEN).pk}/"' in html) is sees_giang_bien
    assert (f'href="/units/{unit(PHUC_LOI).pk}/"' in html) is sees_phuc_loi


@pytest.mark.parametrize(("username", "scope"), SCOPES.items())
@pytest.mark.django_db
def test_it_exports_the_tree_json_limited_to_the_users_scope(login, username, scope):
    top_code, count = scope
    response = login(username).get("/units/export.json", {"as_of": "2023-06-01"})
    assert response.status_code == 200
    data = response.json()
    assert data["as_of"] == "2023-06-01"
    assert [root["code"] for root in data["units"]] == [top_code]
    assert len(json_codes(data)) == count


@pytest.mark.django_db
def test_it_never_shows_giang_bien_or_its_tdps_to_the_phuc_loi_leader(login):
    data = login("lanhdao.phucloi").get("/units/export.json?as_of=2023-06-01").json()
    codes = json_codes(data)
    assert codes == [PHUC_LOI]
    assert not any(code.startswith(GIANG_BIEN) for code in codes)
    assert "Giang Biên" not in str(data)


@pytest.mark.django_db
def test_it_shows_the_tdp_head_only_his_residential_group(login):
    data = login("tdp01.giangbien").get("/units/export.json?as_of=2023-06-01").json()
    assert data["units"] == [
        {
            "code": TDP01,
            "name": "Tổ dân phố số 1",
            "unit_type": "to_dan_pho",
            "level": "residential_group",
            "type_label": "Tổ dân phố",
            "children": [],
        }
    ]


@pytest.mark.django_db
def test_it_shows_an_empty_tree_to_a_user_without_membership(outsider):
    client = Client()
    client.force_login(outsider)
    assert client.get("/units/export.json?as_of=2023-06-01").json()["units"] == []
    page = client.get("/units/?as_of=2023-06-01")
    assert page.status_code == 200
    assert page.context["rows"] == []
    assert client.get(f"/units/{unit(GIANG_BIEN).pk}/").status_code == 404
    assert client.get(f"/units/{unit('01').pk}/").status_code == 404


@pytest.mark.parametrize(
    ("as_of", "wards"),
    [("2023-06-01", WARDS), ("2025-06-30", WARDS), ("2025-07-01", 0), ("01/06/2023", WARDS)],
)
@pytest.mark.django_db
def test_it_shows_the_district_inspector_the_wards_valid_on_the_date(login, as_of, wards):
    data = login("kiemtra.longbien").get("/units/export.json", {"as_of": as_of}).json()
    district = [root for root in data["units"] if root["code"] == "004"]
    assert len(district) == (1 if wards else 0)
    if wards:
        assert len(district[0]["children"]) == wards


@pytest.mark.parametrize(
    "url", ["/", "/units/", "/units/export.json", "/units/1/", "/catalogs/", "/plans/"]
)
@pytest.mark.django_db
def test_it_sends_anonymous_visitors_to_the_login_page(url):
    response = Client().get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=")
