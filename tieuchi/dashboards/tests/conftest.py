"""The district board is cached in process memory (dashboards/page_cache.py) and each test rolls
its rows back, so a later test could otherwise meet an entry built from an earlier test's data."""

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()
