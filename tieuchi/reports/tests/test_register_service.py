"""The register of outgoing documents: next number, refusals, re-download, the read-back."""

import datetime as dt
import hashlib

import pytest

from tieuchi.accounts.models import AuditEvent
from tieuchi.core.nd30.docx_readback import read_docx
from tieuchi.reports.models import IssuedDocument
from tieuchi.reports.services import (
    RegisterError,
    RegisterForbidden,
    issue,
    next_number,
    register_document,
)
from tieuchi.reports.tests.register_helpers import DAY, line, report, user, ward

pytestmark = pytest.mark.django_db


def test_the_first_number_of_a_year_is_1():
    assert next_number(ward(), 2023) == 1


def test_the_next_number_is_the_largest_plus_one_gaps_are_not_reused():
    for number in (1, 2, 5):
        line(number)
    line(9, day=dt.date(2022, 12, 30))  # another year has its own sequence
    assert next_number(ward(), 2023) == 6
    assert next_number(ward(), 2022) == 10
    assert next_number(ward(), 2024) == 1


def test_issuing_takes_the_next_number_and_the_document_reads_it_back():
    for number in (1, 2, 5):
        line(number)
    issued = issue(report(), user())
    assert issued.created
    back = read_docx(issued.data)
    assert back.tables[0].rows[1] == ["Số: 06/BC-UBND", "Giang Biên, ngày 01 tháng 12 năm 2023"]
    record = IssuedDocument.objects.get(issuer=ward(), year=2023, number=6)
    assert record.kind == "bao-cao-ket-qua"
    assert record.symbol == "BC-UBND"
    assert record.sha256 == hashlib.sha256(issued.data).hexdigest()
    assert record.generated_by == user()
    assert record.signer_name == "Vũ Phương Đông"
    assert record.summary and record.summary in back.text
    event = AuditEvent.objects.get(action="register", object_id=str(record.pk))
    assert event.after["number"] == "06/BC-UBND"


def test_a_number_already_given_is_refused_by_name_and_nothing_is_written():
    earlier = line(12)
    documents, events = IssuedDocument.objects.count(), AuditEvent.objects.count()
    with pytest.raises(RegisterError) as refused:
        issue(report(number="12"), user())
    assert str(refused.value) == (
        "Số 12/BC-UBND năm 2023 đã cấp cho văn bản “Văn bản thử số 12” ngày 01/12/2023; "
        "số tiếp theo còn trống là 13."
    )
    assert IssuedDocument.objects.count() == documents
    assert AuditEvent.objects.count() == events
    with pytest.raises(RegisterError):  # the service itself refuses too, not only `issue`
        line(12, kind="bao-cao-ket-qua")
    assert IssuedDocument.objects.get(issuer=ward(), year=2023, number=12) == earlier


def test_the_same_number_is_free_again_the_next_year():
    line(12, day=dt.date(2022, 5, 1))
    issued = issue(report(number="12"), user())
    assert issued.created and issued.record.year == 2023


def test_asking_again_for_a_registered_document_gives_the_stored_number_date_and_signer():
    first = issue(report(number="7"), user())
    again = issue(report(number="7", day=DAY, signer_name="Người Khác"), user())
    assert not again.created and again.record == first.record
    assert IssuedDocument.objects.filter(issuer=ward()).count() == 1
    back = read_docx(again.data)
    assert back.tables[0].rows[1] == ["Số: 07/BC-UBND", "Giang Biên, ngày 01 tháng 12 năm 2023"]
    assert "Vũ Phương Đông" in back.tables[-1].rows[0][1]


def test_another_kind_cannot_take_a_registered_number():
    issue(report(number="7"), user())
    with pytest.raises(RegisterError, match="Số 07/BC-UBND năm 2023 đã cấp"):
        issue(report(number="7", slug="tu-danh-gia"), user())


def test_registering_needs_a_date():
    with pytest.raises(RegisterError, match="phải có ngày ban hành"):
        issue(report(day=""), user())
    assert not IssuedDocument.objects.exists()


@pytest.mark.parametrize("username", ["xem.giangbien", "kiemtra.longbien"])
def test_viewers_and_inspectors_cannot_take_the_wards_numbers(username):
    with pytest.raises(RegisterForbidden, match="không có quyền cấp số văn bản của phường"):
        issue(report(), user(username))
    assert not IssuedDocument.objects.exists()


def test_the_database_refuses_a_second_line_with_the_same_number():
    line(3)
    with pytest.raises(RegisterError, match="Số 03/BC-UBND năm 2023 đã cấp"):
        register_document(
            None,
            issuer=ward(),
            unit=ward(),
            kind="ke-hoach",
            number=3,
            symbol="KH-UBND",  # another symbol: numbers run across all kinds of the issuer
            date=DAY,
            summary="Kế hoạch",
            signer_name="",
            round=None,
            as_of=DAY,
            sha256="1" * 64,
        )
