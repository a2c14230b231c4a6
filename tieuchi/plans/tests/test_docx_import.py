"""Import a ward plan from Word: the rebuilt Giang Biên appendix and damaged variants."""

import copy
from io import BytesIO

import pytest

from tieuchi.accounts.models import AuditEvent
from tieuchi.plans.docx_import.matching import CatalogMatcher, Node, split_number
from tieuchi.plans.docx_import.reader import DocxImportError, read_docx
from tieuchi.plans.docx_import.rows import analyse, save_import
from tieuchi.plans.models import Plan
from tieuchi.plans.tests.docx_builders import build_plan_docx, giang_bien_rows


def _read(data: bytes, name="ke-hoach-68.docx"):
    return read_docx(BytesIO(data), name)


@pytest.fixture
def plan(db):
    return Plan.objects.select_related("catalog", "unit").get(key="giang-bien-2023")


def test_reader_finds_52_rows_across_two_tables_with_merged_cells():
    document = _read(build_plan_docx())
    assert len(document.rows) == 52
    assert document.tables == 2
    assert document.year == 2023
    first = document.rows[0]
    assert first.group == "1. Quy hoạch đô thị"
    assert first.content.startswith("1. Quy hoạch chung đô thị")
    assert first.leader == "Đ/c Đông CT UBND"
    # Merged criterion cell: every row of criterion 1 carries its name.
    assert {row.group for row in document.rows[:7]} == {"1. Quy hoạch đô thị"}
    # The row split over a page break is joined back into one.
    assert document.rows[4].content.endswith("sử dụng trái phép đất công và công trình công cộng.")
    assert "quản lý đất đai" in document.rows[4].solution
    # Several lines in a cell come back as lines.
    assert "\n" in document.rows[15].coordinating


def test_no_table_gives_a_vietnamese_error_naming_the_file():
    with pytest.raises(
        DocxImportError, match="Không tìm thấy bảng tiêu chí trong tệp 'thu-moi.docx'"
    ):
        _read(build_plan_docx(with_table=False), "thu-moi.docx")
    with pytest.raises(DocxImportError, match="không phải tệp Word"):
        _read(b"not a zip", "hong.docx")


def test_matching_by_number_and_text():
    matcher = CatalogMatcher(
        [Node("1", "Quy hoạch đô thị")],
        [Node("1.1", "Quy hoạch chung được phê duyệt", "1"), Node("1.7", "Không có nhà tạm", "1")],
    )
    assert split_number("1.1 Quy hoạch") == ("1.1", "Quy hoạch")
    assert split_number("a) Quy hoạch") == ("1", "Quy hoạch")
    assert matcher.match("1. Quy hoạch đô thị", "7. Không có nhà tạm").code == "1.7"
    assert matcher.match("", "1.1 Quy hoạch chung được phê duyệt").code == "1.1"
    by_text = matcher.match("Quy hoach do thi", "Khong co nha tam")
    assert (by_text.code, by_text.method) == ("1.7", "text")
    assert matcher.match("1. Quy hoạch đô thị", "Trồng cây xanh").code is None


def test_realistic_document_matches_every_row_and_recognises_every_party(plan):
    rows = analyse(_read(build_plan_docx()), plan)
    expected = [row["code"] for row in giang_bien_rows()]
    assert [row.criterion_code for row in rows] == expected
    assert len(expected) == 52
    assert all(row.match.confidence == 1.0 for row in rows)
    assert all(not row.needs_review for row in rows)
    for row in rows:
        assert row.leader_person, row.raw.leader
        for unit in row.implementing_units + row.coordinating_units:
            assert unit["resolved"], (row.criterion_code, unit["text"])
        # Every deadline is normalised, or flagged for a person.
        assert row.deadline["kind"] not in ("unreadable",) or row.deadline["flags"]
        if row.deadline["kind"] in ("unspecified", "linked", "unreadable"):
            assert row.flags
    assert not [flag for row in rows for flag in row.flags if "Chưa nhận ra" in flag]


def _damaged():
    rows = copy.deepcopy(giang_bien_rows())
    by_code = {row["code"]: row for row in rows}
    by_code["1.7"]["content"] = "Khong co nha tamm, nha dot nat va leu lan"  # no number, misspelt
    by_code["3.3"]["implementing"] = "Hợp tác xã Ánh Dương"
    by_code["1.7"]["deadline"] = "Tháng 1O/2023"
    return rows


def test_damaged_variant_is_matched_with_lower_confidence_and_flagged(plan):
    rows = {row.raw.index: row for row in analyse(_read(build_plan_docx(_damaged())), plan)}
    misspelt = rows[7]
    assert misspelt.criterion_code == "1.7"
    assert misspelt.match.method == "text"
    assert 0.5 < misspelt.match.confidence < 0.99
    assert misspelt.deadline["kind"] == "month"
    assert misspelt.deadline["due"] == "2023-10-31"
    assert any("Đã sửa lỗi nhận dạng chữ số" in flag for flag in misspelt.flags)
    unknown = rows[17]
    assert unknown.criterion_code == "3.3"
    assert "Chưa nhận ra đơn vị 'Hợp tác xã Ánh Dương'" in unknown.flags


def test_save_import_updates_rows_in_place(plan):
    before = {row.criterion_code: row.pk for row in plan.rows.all()}
    document = _read(build_plan_docx(_damaged()))
    summary = save_import(plan, analyse(document, plan), source="ke-hoach-68.docx")
    rows_summary = {key: summary[key] for key in ("created", "updated", "skipped", "source")}
    assert rows_summary == {"created": 0, "updated": 52, "skipped": 0, "source": "ke-hoach-68.docx"}
    second = save_import(plan, analyse(document, plan))
    assert second["updated"] == 52
    after = {row.criterion_code: row.pk for row in plan.rows.all()}
    assert after == before
    row = plan.rows.get(criterion_code="3.3")
    assert "Chưa nhận ra đơn vị 'Hợp tác xã Ánh Dương'" in row.flags
    assert plan.rows.get(criterion_code="1.7").deadline_due.isoformat() == "2023-10-31"
    assert AuditEvent.objects.filter(action="import_docx", object_id=str(plan.pk)).count() == 2


def test_import_into_an_empty_plan_creates_rows(plan):
    plan.rows.all().delete()
    summary = save_import(plan, analyse(_read(build_plan_docx()), plan))
    assert summary["created"] == 52
    assert plan.rows.count() == 52
    assert all(row.lead_person_id for row in plan.rows.all())
