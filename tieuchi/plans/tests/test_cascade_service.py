"""The plan cascade: ward plans link to the district plan they implement, row by sub-criterion."""

import datetime as dt
from pathlib import Path

import pytest
import yaml
from django.conf import settings

from tieuchi.accounts.models import AuditEvent
from tieuchi.core.yamlfile import DataFileError, read_yaml
from tieuchi.plans.cascade_service import link_plan_cascade
from tieuchi.plans.models import Plan, PlanRow, Task
from tieuchi.plans.services import load_plan
from tieuchi.plans.tasks_service import generate_tasks, post_update
from tieuchi.plans.validation import validate_plan

DISTRICT_FILE = Path(settings.BASE_DIR) / "data" / "plans" / "long-bien-2023.yaml"
KH72 = {
    "number": "72/KH-UBND",
    "doc_type": "KH",
    "title": "Xây dựng “phường đạt chuẩn đô thị văn minh” năm 2023 trên địa bàn quận Long Biên",
    "issuer": "UBND quận Long Biên",
    "issued_on": dt.date(2023, 2, 6),
}

pytestmark = pytest.mark.django_db


def ward_file(tmp_path, *, unit="00136", parent=KH72, rows=("1.1", "4.1")) -> Path:
    data = {
        "key": f"ward-{unit}-2023",
        "name": "Kế hoạch thử",
        "catalog": "qd04-2022",
        "unit": unit,
        "legal_document": {
            "number": f"{unit}/KH-UBND",
            "doc_type": "KH",
            "title": "Kế hoạch thử",
            "issuer": f"UBND {unit}",
        },
        "period": {"start": dt.date(2023, 1, 1), "end": dt.date(2023, 12, 31)},
        "rows": [
            {"criterion": code, "implementing": "UBND", "deadline": "Năm 2023"} for code in rows
        ],
    }
    if parent:
        data["parent_document"] = parent
    path = tmp_path / f"{unit}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_the_district_file_is_valid_cites_kh72_and_invents_no_target():
    spec, problems = validate_plan(read_yaml(DISTRICT_FILE))
    assert problems == []
    assert (spec.legal_document.number, spec.legal_document.issued_on) == (
        "72/KH-UBND",
        dt.date(2023, 2, 6),
    )
    assert spec.targets == [] and spec.people == [] and spec.rounds == []
    assert all(row.solution == row.leader == row.deadline == "" for row in spec.rows)
    district = Plan.objects.get(key="long-bien-2023")
    assert district.rows.count() == len(spec.rows) == 52
    assert all(row.flags for row in district.rows.all())  # blank completion time is flagged


def test_a_ward_plan_loaded_after_the_district_links_row_by_subcriterion(tmp_path):
    plan, _ = load_plan(ward_file(tmp_path))
    assert plan.parent_plan.key == "long-bien-2023"
    links = dict(PlanRow.objects.filter(plan=plan).values_list("criterion_code", "parent_row"))
    district_rows = dict(
        PlanRow.objects.filter(plan__key="long-bien-2023").values_list("criterion_code", "pk")
    )
    assert links == {"1.1": district_rows["1.1"], "4.1": district_rows["4.1"]}
    assert AuditEvent.objects.filter(action="load").first().after["cascade"]["rows_linked"] == 2


def test_the_district_loaded_after_its_wards_links_them_all(tmp_path):
    ward, _ = load_plan(ward_file(tmp_path))
    PlanRow.objects.filter(plan=ward).update(parent_row=None)
    Plan.objects.filter(pk=ward.pk).update(parent_plan=None)
    district = Plan.objects.get(key="long-bien-2023")
    result = link_plan_cascade(district)
    assert (result.plans_linked, result.rows_linked) == (1, 2)
    assert set(Plan.objects.filter(parent_plan=district).values_list("key", flat=True)) == {
        "giang-bien-2023",
        ward.key,
    }
    again = link_plan_cascade(district)
    assert not again.changed
    assert AuditEvent.objects.filter(action="link_cascade").count() == 1


def test_a_plan_that_does_not_implement_kh72_is_not_linked(tmp_path):
    other = {**KH72, "number": "99/KH-UBND"}
    plan, _ = load_plan(ward_file(tmp_path, parent=other))
    assert plan.parent_plan is None
    assert not PlanRow.objects.filter(plan=plan, parent_row__isnull=False).exists()
    plan, _ = load_plan(ward_file(tmp_path, unit="01", parent=KH72))  # Hà Nội is above the district
    assert plan.parent_plan is None


def test_a_reload_keeps_tasks_in_step_and_refuses_to_drop_a_reported_row(tmp_path):
    path = ward_file(tmp_path)
    plan, _ = load_plan(path)
    generate_tasks(plan)
    task = Task.objects.get(row__plan=plan, row__criterion_code="4.1")
    post_update(None, task, note="Đang làm", status="in_progress", channel="system")
    path = ward_file(tmp_path, rows=("1.1",))
    with pytest.raises(DataFileError, match="dòng 4.1 đã có báo cáo tiến độ"):
        load_plan(path)
    assert PlanRow.objects.filter(plan=plan).count() == 2
    path = ward_file(tmp_path, rows=("1.1", "4.1", "4.2"))
    load_plan(path)
    assert Task.objects.filter(row__plan=plan, row__criterion_code="4.2").count() == 1
    assert AuditEvent.objects.filter(action="reload").first().after["tasks"]["created"] == 1
