"""Importing a filled-in template: every error at once, scope, locks and conflicts (refusals
of the file as a whole: test_import_refusals.py).

One problem of any kind means nothing is written: no figure, no audit record.
"""

from decimal import Decimal

import pytest

from tieuchi.accounts.models import AuditEvent, User
from tieuchi.catalog.models import Catalog, Measure
from tieuchi.collection.excel.check_result import row_dict
from tieuchi.collection.excel.commit import (
    commit_batch,
    save_batch,
)
from tieuchi.collection.excel.row_writer import CommitRefused
from tieuchi.collection.excel.validate import check_upload
from tieuchi.collection.models import ImportBatch, Observation, Submission
from tieuchi.collection.services import save_observation
from tieuchi.collection.signals import figures_changed
from tieuchi.collection.tests.test_excel_files import (
    cell,
    fill,
    import_as,
    rows_by_code,
    stored,
    template,
    typed_file,
)
from tieuchi.orgs.models import AdminUnit


def written() -> tuple[int, int]:
    return Observation.objects.count(), AuditEvent.objects.count()


def messages(outcome) -> list[str]:
    return [str(problem) for problem in outcome.problems]


def measure(code: str) -> Measure:
    return Measure.objects.get(code=code, node__catalog__key="qd04-2022")


def unit(code: str) -> AdminUnit:
    return AdminUnit.objects.get(official_code=code)


@pytest.mark.django_db
def test_a_file_with_bad_rows_imports_nothing_and_lists_every_error_with_its_cell():
    data = template("00121", "2024")
    rows = rows_by_code(data)
    bad = fill(
        data,
        {
            cell(data, "1.4", "numerator"): "12,3,4",
            cell(data, "2.6", "numerator"): 13,
            cell(data, "2.6", "denominator"): 12,
            cell(data, "8.6", "result"): "mức độ 9",
            cell(data, "1.1", "result"): "có lẽ",
            cell(data, "4.5a", "value"): "-3",
            cell(data, "8.3", "value"): 5,  # a ratio has no value cell
            cell(data, "8.4a", "numerator"): 8,  # …and needs both parts
            cell(data, "2.7", "numerator"): 90,  # a good row among the bad ones
            cell(data, "2.7", "denominator"): 94,
        },
    )
    before = written()
    outcome = import_as("canbo.giangbien", bad)
    assert written() == before
    assert outcome.batch.status == ImportBatch.Status.REFUSED
    row = {code: number for (_, code), number in rows.items()}
    assert messages(outcome) == [
        f"Sheet 'Số liệu', dòng {row['1.1']}, cột I: 'có lẽ' không hợp lệ; chọn 'Đạt' hoặc 'Chưa đạt'.",
        f"Sheet 'Số liệu', dòng {row['1.4']}, cột F: '12,3,4' không phải là số. "
        "Chỉ dùng một dấu phẩy trước phần thập phân (ví dụ 87,5).",
        f"Sheet 'Số liệu', dòng {row['2.6']}, cột F: tử số (13) không được lớn hơn mẫu số (12).",
        f"Sheet 'Số liệu', dòng {row['4.5a']}, cột H: '-3' là số âm; chỉ nhập số từ 0 trở lên.",
        f"Sheet 'Số liệu', dòng {row['8.3']}, cột H: ô này không dùng cho chỉ tiêu 8.3 (tỷ lệ); "
        "nhập ở cột F và G.",
        f"Sheet 'Số liệu', dòng {row['8.4a']}, cột G: thiếu mẫu số; tỷ lệ cần cả tử số và mẫu số.",
        f"Sheet 'Số liệu', dòng {row['8.6']}, cột I: 'mức độ 9' không có trong thang xếp loại "
        "(mức độ 1; mức độ 2; mức độ 3).",
    ]
    assert [p["column"] for p in outcome.batch.errors] == ["I", "F", "F", "H", "H", "G", "I"]


@pytest.mark.django_db
def test_new_changed_and_unchanged_rows_are_counted_with_old_and_new_values():
    tdp = unit("00121-TDP13")
    canbo = User.objects.get(username="canbo.giangbien")
    save_observation(
        canbo,
        tdp,
        measure("2.5"),
        "2024",
        {"numerator": 200, "denominator": 250},
        expected_version=None,
    )
    save_observation(
        canbo,
        tdp,
        measure("3.3"),
        "2024",
        {"numerator": 248, "denominator": 250},
        expected_version=None,
    )
    data = template("00121-TDP13", "2024")
    data = fill(
        data,
        {
            cell(data, "2.5", "numerator"): 210,  # changed
            cell(data, "3.3", "numerator"): "248",  # the same value typed again: unchanged
            cell(data, "6.1", "numerator"): 600,  # new
            cell(data, "6.1", "denominator"): 700,
        },
    )
    result = check_upload(data, "mau.xlsx", canbo)
    assert result.ok, [str(p) for p in result.problems]
    assert result.counts == {"new": 1, "changed": 1, "unchanged": 1, "empty": 4}
    changed = next(row for row in result.rows if row.status == "changed")
    assert (changed.code, changed.old.numerator, changed.new.numerator) == (
        "2.5",
        Decimal(200),
        Decimal(210),
    )
    batch = save_batch(result, canbo)
    stored_rows = [row_dict(row) for row in batch.rows]
    assert {row["code"]: row["status"] for row in stored_rows} == {
        "2.5": "changed",
        "3.3": "unchanged",
        "6.1": "new",
        "3.4": "empty",
        "5.4": "empty",
        "7.3": "empty",
        "8.2": "empty",
    }
    first = stored_rows[0]
    assert (first["old"].numerator, first["new"].numerator, first["base"]) == (200, 210, 1)
    assert batch.rows[0] == [
        first["row"],
        "00121-TDP13",
        first["unit_id"],
        first["measure_id"],
        "2.5",
        "changed",
        1,
        ["210", "250", None, None, ""],
        ["200", "250", None, None, ""],
    ]
    report = commit_batch(batch, canbo)
    assert (report.created, report.updated) == (1, 1)
    assert stored("2.5") == (Decimal(210), Decimal(250))
    update = AuditEvent.objects.filter(channel="excel", action="update").latest("id")
    assert (update.before["numerator"], update.after["numerator"], update.after["version"]) == (
        "200",
        "210",
        2,
    )


@pytest.mark.django_db
def test_figures_changed_is_sent_once_per_unit_after_the_commit(django_capture_on_commit_callbacks):
    data = template("00121", "2024", subunits=True)
    data = fill(
        data,
        {
            cell(data, "1.4", "numerator", "00121"): 5000,
            cell(data, "1.4", "denominator", "00121"): 5400,
            cell(data, "1.1", "result", "00121"): "Đạt",
            cell(data, "6.1", "numerator", "00121-TDP02"): 600,
            cell(data, "6.1", "denominator", "00121-TDP02"): 700,
            cell(data, "8.2", "numerator", "00121-TDP02"): 600,
            cell(data, "8.2", "denominator", "00121-TDP02"): 700,
            cell(data, "8.2", "numerator", "00121-TDP05"): 500,
            cell(data, "8.2", "denominator", "00121-TDP05"): 700,
        },
    )
    seen = []

    def listen(sender, unit, catalog, **kwargs):
        seen.append((unit.official_code, catalog.key))

    figures_changed.connect(listen)
    try:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            outcome = import_as("canbo.giangbien", data)
        assert outcome.ok and outcome.report.written == 5
        assert seen == []  # nothing before the commit
        for callback in callbacks:
            if callback.__name__ == "announce":
                callback()
    finally:
        figures_changed.disconnect(listen)
    assert sorted(seen) == [
        ("00121", "qd04-2022"),
        ("00121-TDP02", "qd04-2022"),
        ("00121-TDP05", "qd04-2022"),
    ]


# Scope ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("username", "code", "allowed"),
    [
        ("tdp01.giangbien", "00121-TDP01", True),
        ("tdp01.giangbien", "00121-TDP02", False),  # another TDP's file
        ("canbo.giangbien", "00121-TDP02", True),  # the ward's officer collects every TDP's
        ("dong.giangbien", "00121-TDP02", True),
        ("xem.giangbien", "00121-TDP02", False),  # a viewer
        ("kiemtra.longbien", "00121-TDP02", False),  # the district inspector checks, not enters
        ("lanhdao.phucloi", "00121-TDP02", False),  # another ward's leader
        ("admin", "00121-TDP02", True),
    ],
)
@pytest.mark.django_db
def test_only_users_who_may_enter_the_units_figures_can_import_them(username, code, allowed):
    data = template(code, "2024")
    # 93,3 %: close to the unit's 2023 figure, so no confirmation is needed (see excel.unusual).
    data = fill(data, {cell(data, "8.2", "numerator"): 700, cell(data, "8.2", "denominator"): 750})
    before = written()
    outcome = import_as(username, data)
    assert outcome.ok is allowed
    if allowed:
        assert stored("8.2", unit=code) == (Decimal(700), Decimal(750))
    else:
        assert written() == before
        name = f"Tổ dân phố số {int(code[-2:])}"
        assert messages(outcome) == [f"Bạn không có quyền nhập số liệu cho {name} ({code})."]


# Locks and conflicts --------------------------------------------------------------------------


@pytest.mark.django_db
def test_approved_figures_are_refused_with_their_row_and_untouched_ones_pass():
    data = template("00121-TDP13", "2023")  # the demo's 2023 TDP figures are approved
    row = rows_by_code(data)["00121-TDP13", "2.5"]
    data = fill(data, {cell(data, "2.5", "numerator"): 150, cell(data, "8.2", "numerator"): 500})
    data = fill(data, {cell(data, "8.2", "denominator"): 600})
    before = written()
    outcome = import_as("canbo.giangbien", data)
    assert written() == before
    assert messages(outcome) == [
        f"Sheet 'Số liệu', dòng {row}: số liệu 2.5 đã được duyệt và khóa; cần mở khóa (có lý do) "
        "trước khi sửa."
    ]


@pytest.mark.django_db
def test_an_approved_submission_locks_every_figure_of_the_unit():
    tdp = unit("00121-TDP13")
    Submission.objects.create(
        unit=tdp, catalog=Catalog.objects.get(key="qd04-2022"), period="2024", status="approved"
    )
    data = typed_file(template("00121-TDP13", "2024"))
    outcome = import_as("canbo.giangbien", data)
    assert len(outcome.problems) == 4
    assert all(problem.kind == "locked" for problem in outcome.problems)


@pytest.mark.django_db
def test_a_value_changed_by_someone_else_since_the_download_is_a_conflict():
    tdp = unit("00121-TDP13")
    canbo = User.objects.get(username="canbo.giangbien")
    head = User.objects.get(username="tdp01.giangbien")
    first = save_observation(
        canbo,
        tdp,
        measure("8.2"),
        "2024",
        {"numerator": 600, "denominator": 700},
        expected_version=None,
    )
    save_observation(
        canbo,
        tdp,
        measure("6.1"),
        "2024",
        {"numerator": 500, "denominator": 700},
        expected_version=None,
    )
    data = template("00121-TDP13", "2024")
    # Meanwhile the TDP head corrects both figures on the web form.
    save_observation(
        head,
        tdp,
        measure("8.2"),
        "2024",
        {"numerator": 650, "denominator": 700},
        expected_version=1,
    )
    save_observation(
        head,
        tdp,
        measure("6.1"),
        "2024",
        {"numerator": 510, "denominator": 700},
        expected_version=1,
    )
    row = rows_by_code(data)["00121-TDP13", "8.2"]
    # The officer changes 8.2 in the file and leaves 6.1 as downloaded.
    data = fill(data, {cell(data, "8.2", "numerator"): 610})
    before = written()
    outcome = import_as("canbo.giangbien", data)
    assert written() == before
    (problem,) = outcome.problems
    assert problem.kind == "conflict" and problem.row == row and problem.column == "F"
    assert "đã được Tổ trưởng TDP số 1 sửa lúc" in problem.message
    assert "giá trị hiện tại: 650/700 (92,9%); trong tệp: 610/700 (87,1%)" in problem.message
    assert Observation.objects.get(pk=first.pk).numerator == Decimal(650)


@pytest.mark.django_db
def test_a_change_between_preview_and_commit_refuses_the_whole_batch():
    tdp = unit("00121-TDP13")
    canbo = User.objects.get(username="canbo.giangbien")
    data = typed_file(template("00121-TDP13", "2024"))
    result = check_upload(data, "mau.xlsx", canbo)
    batch = save_batch(result, canbo)
    save_observation(
        None, tdp, measure("6.1"), "2024", {"numerator": 1, "denominator": 2}, expected_version=None
    )
    before = written()
    with pytest.raises(CommitRefused) as refusal:
        commit_batch(batch, canbo)
    assert written() == before
    (problem,) = refusal.value.problems
    assert problem.kind == "conflict" and "6.1" in problem.message
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.REFUSED and batch.errors[0]["kind"] == "conflict"
    with pytest.raises(CommitRefused, match="bị từ chối"):
        commit_batch(batch, canbo)
