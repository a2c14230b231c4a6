"""Logging in: wrong passwords lock the account for a while (django-axes), right ones land on "/"."""

import pytest
from django.conf import settings
from django.test import Client

from tieuchi.accounts.models import User

USERNAME = "thu.dangnhap"
PASSWORD = "Giang-Bien-dung-2023"
WRONG = "sai-mat-khau"
LOCKED = "Tạm khóa đăng nhập"


@pytest.fixture
def user(db) -> User:
    # Demo passwords are Argon2 hashes made at build time; a fresh user gets the fast test hasher.
    user = User.objects.create(username=USERNAME, full_name="Người thử đăng nhập")
    user.set_password(PASSWORD)
    user.save()
    return user


def attempt(client: Client, password: str, username: str = USERNAME, **extra):
    return client.post("/login/", {"username": username, "password": password}, **extra)


def assert_logged_in(client: Client) -> None:
    home = client.get("/")
    assert home.status_code == 200
    assert home.context["user"].username == USERNAME


@pytest.mark.django_db
def test_it_logs_in_with_the_right_password_and_lands_on_the_home_page(user):
    client = Client()
    response = attempt(client, PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert_logged_in(client)


@pytest.mark.django_db
def test_it_follows_next_after_logging_in(user):
    client = Client()
    response = client.post(
        "/login/", {"username": USERNAME, "password": PASSWORD, "next": "/plans/"}
    )
    assert response["Location"] == "/plans/"


@pytest.mark.parametrize("failures", range(1, settings.AXES_FAILURE_LIMIT))
@pytest.mark.django_db
def test_it_refuses_a_wrong_password_with_the_form_again_until_the_limit(user, failures):
    client = Client()
    for _ in range(failures):
        response = attempt(client, WRONG)
        assert response.status_code == 200
        assert LOCKED not in response.content.decode()
        assert response.context["form"].errors
    assert attempt(client, PASSWORD).status_code == 302


@pytest.mark.django_db
def test_it_locks_the_account_out_after_five_wrong_passwords(user):
    assert settings.AXES_FAILURE_LIMIT == 5
    client = Client()
    responses = [attempt(client, WRONG) for _ in range(5)]
    assert [r.status_code for r in responses[:4]] == [200] * 4
    locked = responses[4]
    assert locked.status_code == 429
    html = locked.content.decode()
    assert LOCKED in html
    assert "nhập sai mật khẩu quá nhiều lần" in html
    assert "15 phút" in html
    # while locked, even the right password is refused and nobody is logged in
    again = attempt(client, PASSWORD)
    assert again.status_code == 429
    assert LOCKED in again.content.decode()
    assert client.get("/").status_code == 302


@pytest.mark.django_db
def test_it_locks_only_that_username_from_that_address(user):
    other = User.objects.create(username="nguoi.khac")
    other.set_password(PASSWORD)
    other.save()
    client = Client()
    for _ in range(5):
        attempt(client, WRONG)
    assert attempt(Client(), PASSWORD, username="nguoi.khac").status_code == 302
    elsewhere = attempt(Client(), PASSWORD, REMOTE_ADDR="10.0.0.9")
    assert elsewhere.status_code == 302


@pytest.mark.django_db
def test_it_forgets_earlier_failures_after_a_successful_login(user):
    client = Client()
    for _ in range(4):
        attempt(client, WRONG)
    assert attempt(client, PASSWORD).status_code == 302
    client.post("/logout/")
    fresh = Client()
    for _ in range(4):
        assert attempt(fresh, WRONG).status_code == 200
    assert attempt(fresh, PASSWORD).status_code == 302


@pytest.mark.django_db
def test_it_changes_the_password_and_only_the_new_one_works_afterwards(user):
    client = Client()
    assert attempt(client, PASSWORD).status_code == 302
    page = client.get("/password/")
    assert page.status_code == 200
    assert "Đổi mật khẩu" in page.content.decode()
    new = "Mat-khau-moi-Giang-Bien-2024"
    response = client.post(
        "/password/",
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302
    assert response["Location"] == "/password/done/"
    assert client.get("/password/done/").status_code == 200
    assert_logged_in(client)  # the session survives its own password change
    assert attempt(Client(), PASSWORD).status_code == 200
    fresh = Client()
    assert attempt(fresh, new)["Location"] == "/"
    assert_logged_in(fresh)


@pytest.mark.parametrize(
    ("old", "new1", "new2"),
    [
        (WRONG, "Mat-khau-moi-Giang-Bien-2024", "Mat-khau-moi-Giang-Bien-2024"),
        (PASSWORD, "Mat-khau-moi-Giang-Bien-2024", "Mat-khau-khac-2024"),
        (PASSWORD, "12345678", "12345678"),  # too common, entirely numeric
    ],
)
@pytest.mark.django_db
def test_it_refuses_a_bad_password_change_and_keeps_the_old_password(user, old, new1, new2):
    client = Client()
    client.force_login(user)
    response = client.post(
        "/password/", {"old_password": old, "new_password1": new1, "new_password2": new2}
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


@pytest.mark.django_db
def test_it_sends_an_anonymous_visitor_of_the_password_page_to_login():
    response = Client().get("/password/")
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/password/"


@pytest.mark.django_db
def test_it_sends_a_logged_in_user_away_from_the_login_page(user):
    client = Client()
    client.force_login(user)
    response = client.get("/login/")
    assert response.status_code == 302
    assert response["Location"] == "/"
