"""Shared test set-up: the demo is built once per test database, by the same code as `seed_demo`.

Each test then runs inside a transaction that is rolled back, so tests can change data freely.
"""

import pytest
from django.test import Client


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):  # noqa: F811 - extends pytest-django's
    from tieuchi.demo.build import build_demo

    with django_db_blocker.unblock():
        build_demo()


@pytest.fixture(autouse=True)
def _test_settings(request):
    """Test-only settings. Pure tests also run with `-p no:django`, where there is nothing to set."""
    if not request.config.pluginmanager.hasplugin("django"):
        yield
        return
    settings = request.getfixturevalue("settings")
    # Argon2 is deliberately slow; tests that create users do not need that protection.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # The test client speaks plain HTTP; the HTTPS redirect is covered by `check --deploy` in CI.
    settings.SECURE_SSL_REDIRECT = False
    # Tests do not run collectstatic; the hashed-manifest storage is for deployed servers.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    yield


@pytest.fixture
def login(db):
    """login("dong.giangbien") -> a test client logged in as that demo account."""
    from tieuchi.accounts.models import User

    def make(username: str) -> Client:
        client = Client()
        client.force_login(User.objects.get(username=username))
        return client

    return make
