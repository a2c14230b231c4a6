"""API test helpers: a test client that sends a fresh personal token of a demo account."""

import pytest
from django.test import Client


class ApiClient:
    """Client(...).get("/units") → the JSON API at /api/v1 as the token's owner."""

    def __init__(self, secret: str | None):
        self.secret = secret
        self.client = Client()

    def _headers(self, headers):
        base = {"authorization": f"Bearer {self.secret}"} if self.secret else {}
        return base | (headers or {})

    def get(self, path: str, params=None, headers=None):
        return self.client.get(f"/api/v1{path}", params or {}, headers=self._headers(headers))

    def post(self, path: str, data, headers=None):
        return self.client.post(
            f"/api/v1{path}", data, content_type="application/json", headers=self._headers(headers)
        )


@pytest.fixture
def api(db):
    """api("dong.giangbien") → an ApiClient authenticated with a new token of that account."""
    from tieuchi.accounts.models import User
    from tieuchi.accounts.tokens import create_token

    def make(username: str | None) -> ApiClient:
        if username is None:
            return ApiClient(None)
        _token, secret = create_token(User.objects.get(username=username), "test", actor=None)
        return ApiClient(secret)

    return make
