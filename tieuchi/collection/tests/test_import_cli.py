"""`tieuchi import_values FILE`: exit status 0 and a summary, or 1 and every error."""

from decimal import Decimal
from unittest import mock

import pytest
from django.core.management import call_command, execute_from_command_line

from tieuchi.accounts.models import AuditEvent
from tieuchi.collection.models import ImportBatch, Observation
from tieuchi.collection.tests.test_excel_files import (
    EXPECTED,
    cell,
    fill,
    rows_by_code,
    stored,
    template,
    typed_file,
)


def run(*args) -> int:
    # run_from_argv closes every connection when it ends; in a test transaction that would be the
    # test's own connection (PostgreSQL), so it is kept open here.
    try:
        with mock.patch("django.core.management.base.connections.close_all"):
            execute_from_command_line(["tieuchi", *args])
    except SystemExit as exit:
        return exit.code
    return 0


@pytest.fixture
def typed(tmp_path, db):
    path = tmp_path / "mau.xlsx"
    path.write_bytes(typed_file(template("00121-TDP13", "2024")))
    return path


@pytest.mark.django_db
def test_a_good_file_is_imported_and_summarised(typed, capsys):
    assert run("import_values", str(typed), "--user", "canbo.giangbien") == 0
    out = capsys.readouterr().out.splitlines()
    batch = ImportBatch.objects.latest("id")
    assert out == [
        f"Tệp {typed}: 7 dòng: 4 mới, 0 thay đổi, 0 không đổi, 3 để trống.",
        f"Đã ghi 4 số liệu (4 mới, 0 thay đổi), lần nhập #{batch.pk}.",
    ]
    for code, figures in EXPECTED.items():
        assert stored(code) == figures
    event = AuditEvent.objects.filter(channel="excel").latest("id")
    assert event.actor.username == "canbo.giangbien"


@pytest.mark.django_db
def test_dry_run_checks_and_writes_nothing(typed, capsys):
    before = Observation.objects.count(), ImportBatch.objects.count()
    assert run("import_values", str(typed), "--dry-run") == 0
    assert "Chạy thử (--dry-run): không ghi gì." in capsys.readouterr().out
    assert (Observation.objects.count(), ImportBatch.objects.count()) == before


@pytest.mark.django_db
def test_a_refused_file_exits_1_and_prints_every_error(tmp_path, capsys):
    data = template("00121-TDP13", "2024")
    rows = rows_by_code(data)
    bad = tmp_path / "loi.xlsx"
    bad.write_bytes(
        fill(
            data,
            {
                cell(data, "6.1", "numerator"): "12,3,4",
                cell(data, "6.1", "denominator"): 10,
                cell(data, "8.2", "numerator"): 11,
                cell(data, "8.2", "denominator"): 10,
                cell(data, "2.5", "numerator"): 1,
                cell(data, "2.5", "denominator"): 2,
            },
        )
    )
    before = Observation.objects.count()
    assert run("import_values", str(bad)) == 1
    err = capsys.readouterr().err
    row61, row82 = rows["00121-TDP13", "6.1"], rows["00121-TDP13", "8.2"]
    assert f"CommandError: Tệp {bad} bị từ chối (2 lỗi), chưa ghi gì:" in err
    assert f"  - Sheet 'Số liệu', dòng {row61}, cột F: '12,3,4' không phải là số." in err
    assert (
        f"  - Sheet 'Số liệu', dòng {row82}, cột F: tử số (11) không được lớn hơn mẫu số (10)."
        in err
    )
    assert Observation.objects.count() == before


@pytest.mark.django_db
def test_a_tdp_head_cannot_import_another_tdps_file(typed, capsys):
    before = Observation.objects.count()
    assert run("import_values", str(typed), "--user", "tdp01.giangbien") == 1
    assert (
        "Bạn không có quyền nhập số liệu cho Tổ dân phố số 13 (00121-TDP13)."
        in capsys.readouterr().err
    )
    assert Observation.objects.count() == before


@pytest.mark.django_db
def test_the_expected_unit_and_period_can_be_required(typed, capsys):
    assert run("import_values", str(typed), "--unit", "00121-TDP12") == 1
    assert "không phải của Tổ dân phố số 12 (00121-TDP12) đang chọn" in capsys.readouterr().err
    assert run("import_values", str(typed), "--period", "2024-Q1") == 1
    assert "không phải quý 1/2024 đang chọn" in capsys.readouterr().err
    call_command("import_values", str(typed), "--unit", "00121-TDP13", "--period", "2024")
    assert stored("8.2") == (Decimal(700), Decimal(760))


@pytest.mark.django_db
def test_missing_files_and_users_are_reported(tmp_path, capsys):
    assert run("import_values", str(tmp_path / "none.xlsx")) == 1
    assert "Không có tệp" in capsys.readouterr().err
    path = tmp_path / "x.xlsx"
    path.write_bytes(b"x")
    assert run("import_values", str(path), "--user", "nobody") == 1
    assert "Không có người dùng 'nobody'." in capsys.readouterr().err


@pytest.mark.django_db
def test_importing_the_same_file_again_writes_nothing_new(typed, capsys):
    assert run("import_values", str(typed), "--user", "canbo.giangbien") == 0
    events = AuditEvent.objects.count()
    capsys.readouterr()
    assert run("import_values", str(typed), "--user", "canbo.giangbien") == 0
    out = capsys.readouterr().out
    assert "7 dòng: 0 mới, 0 thay đổi, 4 không đổi, 3 để trống." in out
    assert "Không có gì để ghi: tệp không có số liệu mới hay thay đổi" in out
    assert AuditEvent.objects.count() == events
