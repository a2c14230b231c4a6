"""The landing page shows each user their own units and plans, and nothing else."""

import pytest
from django.test import Client

from tieuchi.accounts.models import User

# username -> (home unit code, number of units in scope, plans listed)
HOMES = {
    "admin": ("01", 36, ["giang-bien-2023", "long-bien-2023"]),
    "kiemtra.longbien": ("004", 35, ["giang-bien-2023", "long-bien-2023"]),
    "dong.giangbien": ("00121", 21, ["giang-bien-2023"]),
    "canbo.giangbien": ("00121", 21, ["giang-bien-2023"]),
    "xem.giangbien": ("00121", 21, ["giang-bien-2023"]),
    "tdp01.giangbien": ("00121-TDP01", 1, []),
    "lanhdao.phucloi": ("00136", 1, []),
}


@pytest.mark.parametrize(("username", "home"), HOMES.items())
@pytest.mark.django_db
def test_it_shows_each_user_their_unit_and_the_plans_in_their_scope(login, username, home):
    code, unit_count, plans = home
    response = login(username).get("/")
    assert response.status_code == 200
    assert response.context["unit"].official_code == code
    assert response.context["unit_count"] == unit_count
    assert [plan.key for plan in response.context["plans"]] == plans


@pytest.mark.django_db
def test_it_shows_a_user_without_membership_an_empty_home_page():
    client = Client()
    client.force_login(User.objects.create_user("khach", password="mat-khau-rat-dai-1"))
    response = client.get("/")
    assert response.status_code == 200
    assert response.context["unit"] is None
    assert (response.context["unit_count"], response.context["plans"]) == (0, [])


@pytest.mark.django_db
def test_it_sends_anonymous_visitors_to_login_but_answers_the_health_check():
    client = Client()
    home = client.get("/")
    assert (home.status_code, home["Location"]) == (302, "/login/?next=/")
    assert client.get("/healthz").json() == {"status": "ok"}
    assert client.get("/login/").status_code == 200
