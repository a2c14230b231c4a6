"""The Django admin is for system administrators only, never for ward staff."""

import pytest
from django.test import Client

from tieuchi.accounts.models import User
from tieuchi.demo.users import ACCOUNTS

ADMIN_PAGES = ["/admin/", "/admin/accounts/user/", "/admin/orgs/adminunit/", "/admin/plans/plan/"]


@pytest.mark.parametrize("url", ADMIN_PAGES)
@pytest.mark.parametrize("username", [account.username for account in ACCOUNTS])
@pytest.mark.django_db
def test_it_opens_the_admin_only_to_the_system_administrator(login, username, url):
    response = login(username).get(url)
    if username == "admin":
        assert response.status_code == 200
    else:
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/?next=")


@pytest.mark.django_db
def test_it_refuses_ward_staff_even_with_the_staff_flag(login):
    User.objects.filter(username="dong.giangbien").update(is_staff=True)
    response = login("dong.giangbien").get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/admin/login/?next=/admin/"


@pytest.mark.django_db
def test_it_refuses_a_deactivated_superuser():
    user = User.objects.create_superuser("cu.quantri", password="mat-khau-rat-dai-1")
    client = Client()
    client.force_login(user)
    assert client.get("/admin/").status_code == 200
    User.objects.filter(pk=user.pk).update(is_active=False)
    response = client.get("/admin/")
    assert response.status_code == 302


@pytest.mark.django_db
def test_it_sends_anonymous_visitors_of_the_admin_to_its_login():
    response = Client().get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/admin/login/?next=/admin/"
