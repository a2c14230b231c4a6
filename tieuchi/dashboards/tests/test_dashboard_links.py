"""The pages are reachable: the Programme 02 dashboard from the home card and the district
dashboard, the publication switch and the public address from the ward dashboard, each for the
users who may open them only."""

import re

import pytest
from django.urls import reverse

from tieuchi.orgs.models import AdminUnit

pytestmark = pytest.mark.django_db
KEY = "ctr02-longbien-2020-2025"
PROGRAMME_TEXT = "Tiến độ Chương trình 02-CTr/QU"


def unit(code: str) -> AdminUnit:
    return AdminUnit.objects.filter(official_code=code).order_by("-valid_from").first()


def programme_url(code: str) -> str:
    return reverse("dashboards:programme", kwargs={"catalog_key": KEY, "unit_id": unit(code).pk})


def links(page: str) -> set[str]:
    return set(re.findall(r'href="([^"]+)"', page))


# username -> whether the home card links to the Programme 02 dashboard of quận Long Biên
HOME = {
    "kiemtra.longbien": True,  # the district's own programme
    "admin": False,  # the city's card: the city has no programme results of its own
    "dong.giangbien": False,  # a ward: the district's programme page is outside its scope
    "lanhdao.phucloi": False,
    "tdp01.giangbien": False,
}


@pytest.mark.parametrize(("username", "offered"), HOME.items())
def test_the_home_card_links_to_the_programme_dashboard(login, username, offered):
    client = login(username)
    page = client.get("/").content.decode()
    assert (programme_url("004") in links(page)) is offered
    assert (PROGRAMME_TEXT in page) is offered
    if offered:
        assert client.get(programme_url("004")).status_code == 200


@pytest.mark.parametrize("username", ["kiemtra.longbien", "admin"])
def test_the_district_dashboard_links_to_its_programme(login, username):
    client, address = login(username), reverse("dashboards:district", args=[unit("004").pk])
    for _time in ("board built", "board cached"):
        assert programme_url("004") in links(client.get(address).content.decode())
    assert client.get(programme_url("004")).status_code == 200
    assert client.get(programme_url("004")).status_code == 200


def test_the_city_dashboard_has_no_programme_link(login):
    page = login("admin").get(reverse("dashboards:district", args=[unit("01").pk]))
    assert PROGRAMME_TEXT not in page.content.decode()


def test_a_ward_user_on_the_district_dashboard_gets_no_programme_link(login):
    client = login("dong.giangbien")
    response = client.get(reverse("dashboards:district", args=[unit("004").pk]), follow=True)
    assert response.status_code == 200
    assert PROGRAMME_TEXT not in response.content.decode()
    assert client.get(programme_url("004")).status_code == 404


def ward_page(client) -> str:
    response = client.get(reverse("dashboards:ward", args=[unit("00121").pk]))
    assert response.status_code == 200
    return response.content.decode()


# username -> whether the ward dashboard of Giang Biên links to its publication switch
PUBLISHERS = {
    "dong.giangbien": True,  # the ward leader
    "admin": True,  # the system administrator
    "canbo.giangbien": False,  # a ward officer
    "xem.giangbien": False,  # a viewer
    "kiemtra.longbien": False,  # the district inspector
}


@pytest.mark.parametrize(("username", "allowed"), PUBLISHERS.items())
def test_the_publication_link_is_for_those_who_may_publish(login, username, allowed):
    client = login(username)
    page = ward_page(client)
    address = reverse("dashboards:publication", args=[unit("00121").pk])
    assert (address in links(page)) is allowed
    assert 'id="public-address"' not in page  # not published yet
    if allowed:
        assert "Chỉ lãnh đạo phường" not in client.get(address).content.decode()


def test_once_published_the_ward_dashboard_shows_the_public_address(login, client):
    leader = login("dong.giangbien")
    address = reverse("dashboards:publication", args=[unit("00121").pk])
    assert leader.post(address, {"action": "publish"}).status_code == 302
    public = f"http://testserver{reverse('public:unit', args=['00121'])}"
    for username in ("dong.giangbien", "xem.giangbien"):  # the address is public: shown to all
        page = ward_page(login(username))
        assert f'<a id="public-address" href="{public}">{public}</a>' in page
    assert client.get(public).status_code == 200  # no login
    leader.post(address, {"action": "unpublish"})
    assert 'id="public-address"' not in ward_page(leader)
    assert client.get(public).status_code == 404
