"""The home page offers each user the dashboard of their own unit."""

import pytest

from tieuchi.orgs.models import AdminUnit

# username -> the dashboards offered on the home page (kind, official code)
OFFERED = {
    "admin": [("district", "01")],
    "kiemtra.longbien": [("district", "004")],
    "dong.giangbien": [("ward", "00121")],
    "lanhdao.phucloi": [("ward", "00136")],
    "tdp01.giangbien": [],
}


def unit(code: str) -> AdminUnit:
    return AdminUnit.objects.filter(official_code=code).order_by("-valid_from").first()


@pytest.mark.parametrize(("username", "offered"), OFFERED.items())
@pytest.mark.django_db
def test_the_home_page_links_to_the_users_dashboard(login, username, offered):
    response = login(username).get("/")
    assert response.status_code == 200
    expected = [f"/dashboards/{kind}/{unit(code).pk}/" for kind, code in offered]
    assert [url for _unit, url in response.context["dashboards"]] == expected
    html = response.content.decode()
    for (_kind, code), address in zip(offered, expected, strict=True):
        assert f'<a href="{address}">Tổng quan {unit(code)}</a>' in html
    # The existing cards stay.
    assert "Kế hoạch" in html and "Bộ tiêu chí, chương trình" in html
