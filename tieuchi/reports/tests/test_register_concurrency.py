"""Two users registering the same number at the same moment: the database keeps one.

Each thread has its own database connection, outside the test's transaction, so both really
commit; `_holder` is made to let both pass the "is the number free?" check first, so only the
unique constraint (issuer, year, number) can stop the second. PostgreSQL only: SQLite
serialises writers, so no race can happen there.
"""

import threading

import pytest
from django.db import connection, connections

from tieuchi.accounts.models import AuditEvent
from tieuchi.reports import services
from tieuchi.reports.models import IssuedDocument
from tieuchi.reports.services import RegisterError
from tieuchi.reports.tests.register_helpers import line, ward

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="a real race needs PostgreSQL"),
]


def test_a_double_registration_gives_one_document_and_one_refusal(monkeypatch):
    unit = ward()
    real_holder = services._holder
    both_checked = threading.Barrier(2, timeout=30)
    checked = threading.local()

    def holder_after_both_checked(*args):
        if not getattr(checked, "done", False):
            checked.done = True
            both_checked.wait()
            return None
        return real_holder(*args)

    monkeypatch.setattr(services, "_holder", holder_after_both_checked)
    outcomes: list[object] = []

    def register():
        try:
            outcomes.append(line(41, issuer=unit))
        except RegisterError as refusal:
            outcomes.append(refusal)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=register) for _ in range(2)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        kept = [o for o in outcomes if isinstance(o, IssuedDocument)]
        refused = [o for o in outcomes if isinstance(o, RegisterError)]
        assert len(kept) == 1 and len(refused) == 1
        assert str(refused[0]).startswith("Số 41/BC-UBND năm 2023 đã cấp cho văn bản")
        assert IssuedDocument.objects.filter(issuer=unit, year=2023, number=41).count() == 1
    finally:
        _remove_committed_lines(unit)


def _remove_committed_lines(unit):
    """The threads committed for real: clean up from another connection."""

    def remove():
        try:
            ids = list(IssuedDocument.objects.filter(issuer=unit).values_list("pk", flat=True))
            AuditEvent.objects.filter(
                object_type="reports.issueddocument", object_id__in=[str(i) for i in ids]
            ).delete()
            IssuedDocument.objects.filter(pk__in=ids).delete()
        finally:
            connections.close_all()

    cleaner = threading.Thread(target=remove)
    cleaner.start()
    cleaner.join(60)
