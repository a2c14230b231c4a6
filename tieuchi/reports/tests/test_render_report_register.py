"""`tieuchi render_report ... --register`: the number from the register, kept, given back."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tieuchi.accounts.models import AuditEvent
from tieuchi.core.nd30.docx_readback import read_docx
from tieuchi.reports.models import IssuedDocument
from tieuchi.reports.tests.register_helpers import line, round_two, ward

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command("render_report", *args, stdout=out)
    return out.getvalue()


def register(output, *more) -> str:
    return run(
        "bao-cao-ket-qua",
        "--unit=00121",
        f"--round={round_two().pk}",
        "--date=01/12/2023",
        f"--output={output}",
        "--register",
        *more,
    )


def test_register_takes_the_next_number_and_records_it(tmp_path):
    for number in (1, 2, 5):
        line(number)
    output = tmp_path / "bao-cao.docx"
    message = register(output)
    assert "Đã đăng ký số 06/BC-UBND ngày 01/12/2023." in message
    back = read_docx(output.read_bytes())
    assert back.tables[0].rows[1] == ["Số: 06/BC-UBND", "Giang Biên, ngày 01 tháng 12 năm 2023"]
    record = IssuedDocument.objects.get(issuer=ward(), number=6)
    assert record.generated_by is None and record.round == round_two()
    assert AuditEvent.objects.get(object_id=str(record.pk), action="register").channel == "cli"


def test_register_again_gives_the_stored_document_back(tmp_path):
    register(tmp_path / "a.docx", "--number=8")
    message = register(tmp_path / "b.docx", "--number=8", "--signer=Người Khác")
    assert "Đã đăng ký trước đó: số 08/BC-UBND" in message
    assert IssuedDocument.objects.count() == 1
    assert "Người Khác" not in read_docx((tmp_path / "b.docx").read_bytes()).text


def test_a_taken_number_is_refused_and_no_file_is_written(tmp_path):
    line(8)
    output = tmp_path / "bao-cao.docx"
    with pytest.raises(CommandError, match="Số 08/BC-UBND năm 2023 đã cấp cho văn bản"):
        register(output, "--number=8")
    assert not output.exists()
    assert IssuedDocument.objects.count() == 1


def test_without_register_nothing_is_kept(tmp_path):
    output = tmp_path / "bao-cao.docx"
    run("bao-cao-ket-qua", "--unit=00121", "--number=3", f"--output={output}")
    assert read_docx(output.read_bytes()).tables[0].rows[1][0] == "Số: 03/BC-UBND"
    assert not IssuedDocument.objects.exists()


def test_register_twice_without_a_number_gives_the_first_registration_back(tmp_path):
    register(tmp_path / "a.docx")
    message = register(tmp_path / "b.docx")
    assert "Đã đăng ký trước đó: số 01/BC-UBND ngày 01/12/2023." in message
    assert IssuedDocument.objects.count() == 1
