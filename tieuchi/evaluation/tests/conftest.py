"""The engine tests need no database and must also pass with pytest-django disabled.

The root conftest's autouse `_fast_hashing` fixture asks for pytest-django's `settings` fixture,
which does not exist under `-p no:django`; it is overridden here by a no-op (these tests create
no users and hash no passwords).
"""

import pytest


@pytest.fixture(autouse=True)
def _fast_hashing():
    yield
