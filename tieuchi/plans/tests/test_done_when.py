"""Issue #6 "Done when": the Giang Biên plan rebuilt as .docx, on the review screen and in export."""

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from tieuchi.plans.docx_import.reader import read_docx
from tieuchi.plans.docx_import.rows import analyse
from tieuchi.plans.models import Plan
from tieuchi.plans.tests.docx_builders import build_plan_docx

pytestmark = pytest.mark.django_db


def test_the_review_screen_shows_every_flagged_deadline_of_the_real_plan(login, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    data = build_plan_docx()
    plan = Plan.objects.get(key="giang-bien-2023")
    path = tmp_path / "kh68.docx"
    path.write_bytes(data)
    rows = analyse(read_docx(path, "kh68.docx"), plan)
    flagged = [row for row in rows if row.flags]
    assert flagged and not [row for row in rows if row.needs_review]
    client = login("dong.giangbien")
    upload = client.post(
        "/plans/import/",
        {"plan": plan.key, "file": SimpleUploadedFile("kh68.docx", data)},
    )
    page = client.get(upload["Location"]).content.decode()
    assert f"{len(flagged)} dòng cần kiểm tra" in page
    assert page.count('class="flagged"') == len(flagged)
    for row in flagged:  # e.g. the blank cells of 7.4, 7.5, 8.2, 8.3 and "Theo nội dung QH"
        assert f'id="import-row-{row.raw.index}" class="flagged"' in page
    blank = next(row for row in rows if row.criterion_code == "7.4")
    assert any("Không ghi thời gian hoàn thành" in flag for flag in blank.flags)
    month = next(row for row in rows if row.raw.deadline == "Tháng 10/2023")
    assert month.due.isoformat() == "2023-10-31"
    assert "→ 31/10/2023" in page


def test_the_plan_export_keeps_each_deadline_as_written_and_normalised():
    out = io.StringIO()
    call_command("export", "plan", "giang-bien-2023", "--format", "json", stdout=out)
    data = json.loads(out.getvalue())
    by_code = {row["criterion_code"]: row for row in data["rows"]}
    assert len(by_code) == 52
    for row in data["rows"]:
        assert "deadline_text" in row and row["deadline"]["kind"]
        assert row["deadline"]["text"] == row["deadline_text"]
    assert by_code["1.7"]["deadline_text"] == "Tháng 10/2023"
    assert (by_code["1.7"]["deadline"]["kind"], by_code["1.7"]["deadline"]["due"]) == (
        "month",
        "2023-10-31",
    )
    assert by_code["7.4"]["deadline"]["kind"] == "unspecified" and by_code["7.4"]["flags"]
