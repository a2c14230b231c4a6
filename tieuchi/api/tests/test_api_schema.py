"""Property-based run of every operation in /api/v1/openapi.json (schemathesis).

Generated requests, authenticated as a ward leader, must never cause a server error, and every
response must match the schema the API publishes (status code, content type, body).
"""

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import override_settings
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

# The real WSGI application, as a server runs it. The test client speaks plain HTTP, so the HTTPS
# redirect is off (middleware reads its settings once, when the application is built).
with override_settings(SECURE_SSL_REDIRECT=False):
    app = WSGIHandler()
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def ward_leader_token(db):
    from tieuchi.accounts.models import User
    from tieuchi.accounts.tokens import create_token

    _token, secret = create_token(User.objects.get(username="dong.giangbien"), "schemathesis")
    return secret


@pytest.fixture
def in_test_transaction():
    """Requests go through the real WSGI handler, which closes "old" database connections at the
    start and end of every request: that would end the test's transaction. The test client
    disconnects the same receiver; so does this fixture."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.data_too_large,
    ],
)
def test_generated_requests_get_documented_answers(case, ward_leader_token, in_test_transaction):
    case.call_and_validate(headers={"Authorization": f"Bearer {ward_leader_token}"}, checks=CHECKS)
