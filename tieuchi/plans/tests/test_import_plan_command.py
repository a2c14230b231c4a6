"""tieuchi import_plan FILE --unit CODE: dry-run JSON, saving, updating in place, errors."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tieuchi.plans.models import Plan
from tieuchi.plans.tests.docx_builders import build_plan_docx


@pytest.fixture
def plan_file(tmp_path):
    path = tmp_path / "ke-hoach-68.docx"
    path.write_bytes(build_plan_docx())
    return path


def _run(*args) -> str:
    out = StringIO()
    call_command("import_plan", *map(str, args), stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_dry_run_json_shape_and_nothing_saved(plan_file):
    plan = Plan.objects.get(key="giang-bien-2023")
    stamps = {row.pk: row.updated_at for row in plan.rows.all()}
    data = json.loads(_run(plan_file, "--unit", "00121", "--dry-run", "--format", "json"))
    assert data["plan"] == "giang-bien-2023"
    assert len(data["rows"]) == 52
    row = data["rows"][0]
    for key in (
        "criterion_code",
        "confidence",
        "leader",
        "implementing_units",
        "coordinating_units",
        "deadline_text",
        "deadline",
        "flags",
    ):
        assert key in row
    assert row["criterion_code"] == "1.1"
    assert row["confidence"] == 1.0
    assert row["leader"] == "Đ/c Đông CT UBND"
    assert row["implementing_units"] == ["Bộ phận DC-XD"]
    assert row["deadline_text"] == "Theo nội dung QH"
    assert row["deadline"]["kind"] == "linked"
    assert row["flags"]
    assert {r["criterion_code"] for r in data["rows"]} == {
        r.criterion_code for r in plan.rows.all()
    }
    assert {row.pk: row.updated_at for row in plan.rows.all()} == stamps


@pytest.mark.django_db
def test_import_saves_and_a_second_import_updates(plan_file):
    plan = Plan.objects.get(key="giang-bien-2023")
    ids = {row.criterion_code: row.pk for row in plan.rows.all()}
    first = _run(plan_file, "--unit", "00121")
    assert "0 dòng mới, 52 dòng cập nhật, 0 dòng bỏ qua" in first
    second = _run(plan_file, "--unit", "00121", "--plan", "giang-bien-2023")
    assert "52 dòng cập nhật" in second
    assert "Việc:" not in second  # the tasks already follow these rows: nothing to say
    assert {row.criterion_code: row.pk for row in plan.rows.all()} == ids


@pytest.mark.django_db
def test_errors(tmp_path, plan_file):
    empty = tmp_path / "thu-moi.docx"
    empty.write_bytes(build_plan_docx(with_table=False))
    with pytest.raises(CommandError, match="Không tìm thấy bảng tiêu chí trong tệp 'thu-moi.docx'"):
        _run(empty, "--unit", "00121", "--dry-run")
    with pytest.raises(CommandError, match="Không có đơn vị mã '99999'"):
        _run(plan_file, "--unit", "99999")
    with pytest.raises(CommandError, match="chưa có kế hoạch"):
        _run(plan_file, "--unit", "00121", "--plan", "khong-co")
