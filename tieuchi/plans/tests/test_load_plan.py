"""Loading plan files: refused as a whole with file, line and key; reloads update rows in place."""

import copy
import datetime as dt
import shutil
from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.management import CommandError, call_command

from tieuchi.accounts.models import AuditEvent
from tieuchi.core.yamlfile import DataFileError
from tieuchi.orgs.models import LegalDocument, Organisation, Person
from tieuchi.plans.models import EvaluationRound, Plan, PlanRow, PlanRowParty, Target
from tieuchi.plans.services import load_plan

DEMO_FILE = Path(settings.BASE_DIR) / "data" / "plans" / "giang-bien-2023.yaml"
VALID = {
    "key": "phuc-loi-2023",
    "name": "Xây dựng phường Phúc Lợi đạt chuẩn đô thị văn minh năm 2023",
    "catalog": "qd04-2022",
    "unit": "00136",
    "legal_document": {
        "number": "15/KH-UBND-PL",
        "doc_type": "KH",
        "title": "Xây dựng phường Phúc Lợi đạt chuẩn đô thị văn minh năm 2023",
        "issuer": "UBND phường Phúc Lợi",
        "issued_on": dt.date(2023, 2, 10),
    },
    "period": {"start": dt.date(2023, 1, 1), "end": dt.date(2023, 12, 31)},
    "people": [
        {
            "short_name": "Đ/c Lợi",
            "full_name": "Nguyễn Văn Lợi",
            "title": "Chủ tịch UBND phường",
            "title_short": "CT UBND",
        }
    ],
    "organisations": [
        {"name": "Công an phường Phúc Lợi", "short_name": "Công an phường", "kind": "cong_an"}
    ],
    "rounds": [{"number": 1, "name": "Đợt 1", "month": "2023-05"}],
    "rows": [
        {
            "criterion": "1.1",
            "solution": "Công khai quy hoạch",
            "leader": "Đ/c Lợi",
            "implementing": "UBND",
            "deadline": "Năm 2023",
        },
        {
            "criterion": "4.1",
            "solution": "Giữ vững an ninh trật tự",
            "leader": "Đ/c Lợi",
            "implementing": "Công an phường",
            "deadline": "Thường xuyên",
        },
    ],
    "targets": [
        {"criterion": "8.4", "measure": "8.4b", "comparator": "gte", "value": 85, "text": "85%"}
    ],
}
MODELS = [
    Plan,
    PlanRow,
    PlanRowParty,
    Target,
    EvaluationRound,
    Organisation,
    Person,
    LegalDocument,
    AuditEvent,
]


def valid() -> dict:
    return copy.deepcopy(VALID)


def dump(data) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def line_with(text: str, needle: str, occurrence: int = 1) -> int:
    lines = [n for n, line in enumerate(text.splitlines(), start=1) if needle in line]
    return lines[occurrence - 1]


def write(tmp_path, data) -> Path:
    path = tmp_path / "phuc-loi-2023.yaml"
    path.write_text(dump(data) if isinstance(data, dict) else data, encoding="utf-8")
    return path


def refuse(path: Path) -> DataFileError:
    before = counts()
    with pytest.raises(DataFileError) as caught:
        load_plan(path)
    assert counts() == before, "a refused plan must write nothing"
    assert not Plan.objects.filter(key="phuc-loi-2023").exists()
    assert str(caught.value).startswith(f"Tệp {path} không hợp lệ")
    return caught.value


def _top(key, value):
    def mutate(data):
        data[key] = value

    return mutate


def _row(index, **changes):
    def mutate(data):
        data["rows"][index].update(changes)

    return mutate


def _target(**changes):
    def mutate(data):
        data["targets"][0].update(changes)

    return mutate


# (id, mutation, key, needle of the reported line, message part)
CASES = [
    (
        "unknown catalog",
        _top("catalog", "qd99-2099"),
        "catalog",
        "catalog: qd99-2099",
        "chưa nạp bộ tiêu chí 'qd99-2099'",
    ),
    ("unknown unit", _top("unit", "99999"), "unit", "unit: '99999'", "không có đơn vị mã '99999'"),
    (
        "criterion not in the catalog",
        _row(1, criterion="10.1"),
        "criterion",
        "criterion: '10.1'",
        "'10.1' không phải nội dung nào của bộ tiêu chí qd04-2022",
    ),
    (
        "criterion that is a criterion group, not a row",
        _row(0, criterion="1"),
        "criterion",
        "criterion: '1'",
        "'1' không phải nội dung nào",
    ),
    (
        "target with an unknown measure",
        _target(measure="8.4z"),
        "measure",
        "criterion: '8.4'",
        "tiêu chí '8.4' không có chỉ số đo '8.4z'",
    ),
    (
        "target on an unknown criterion",
        _target(criterion="12.1", measure=None),
        "criterion",
        "criterion: '12.1'",
        "không có tiêu chí '12.1'",
    ),
    (
        "duplicate row codes",
        _row(1, criterion="1.1"),
        "criterion",
        "criterion: '1.1'#2",
        "tiêu chí '1.1' xuất hiện hai lần",
    ),
    (
        "unknown organisation kind",
        lambda data: data["organisations"][0].update(kind="cong_an_phuong"),
        "kind",
        "kind: cong_an_phuong",
        "'cong_an_phuong' không hợp lệ",
    ),
    (
        "period ending before it starts",
        _top("period", {"start": dt.date(2023, 12, 31), "end": dt.date(2023, 1, 1)}),
        "end",
        "end: 2023-01-01",
        "ngày kết thúc trước ngày bắt đầu",
    ),
]


@pytest.mark.parametrize(
    ("mutation", "key", "needle", "message"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
@pytest.mark.django_db
def test_it_refuses_a_broken_plan_naming_the_file_line_and_key(
    tmp_path, mutation, key, needle, message
):
    data = valid()
    mutation(data)
    if data["targets"][0].get("measure") is None:
        data["targets"][0].pop("measure", None)
    text = dump(data)
    path = write(tmp_path, text)
    error = refuse(path)
    assert len(error.problems) == 1, str(error)
    (problem,) = error.problems
    assert (problem.key, message in problem.message) == (key, True), problem
    needle, _, occurrence = needle.partition("#")
    line = line_with(text, needle, int(occurrence or 1))
    assert problem.line == line
    assert f"{path}, dòng {line}, khóa '{key}': " in str(error)


@pytest.mark.django_db
def test_it_lists_every_problem_of_rows_and_targets_at_once(tmp_path):
    data = valid()
    data["rows"][0]["criterion"] = "10.1"
    data["rows"][1]["criterion"] = "10.2"
    data["targets"][0]["measure"] = "8.4z"
    error = refuse(write(tmp_path, data))
    assert [p.key for p in error.problems] == ["criterion", "criterion", "measure"]
    assert "(3 lỗi)" in str(error)


@pytest.mark.django_db
def test_it_reports_an_unknown_catalog_and_an_unknown_unit_together(tmp_path):
    data = valid()
    data["catalog"] = "qd99-2099"
    data["unit"] = "99999"
    error = refuse(write(tmp_path, data))
    assert [p.key for p in error.problems] == ["catalog", "unit"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("key: phuc-loi-2023\nrows: [\n", "lỗi cú pháp YAML"),
        ("- key: phuc-loi-2023\n", "tệp phải là một bảng khóa"),
    ],
)
@pytest.mark.django_db
def test_it_refuses_a_plan_file_that_is_not_a_mapping(tmp_path, text, message):
    (problem,) = refuse(write(tmp_path, text)).problems
    assert message in problem.message


@pytest.mark.django_db
def test_it_loads_a_valid_plan_with_its_parties_targets_and_rounds(tmp_path):
    before = counts()
    plan, changed = load_plan(write(tmp_path, valid()))
    assert changed is True
    assert (plan.unit.official_code, plan.catalog.key) == ("00136", "qd04-2022")
    rows = list(plan.rows.order_by("position"))
    assert [row.criterion_code for row in rows] == ["1.1", "4.1"]
    assert {row.lead_person.short_name for row in rows} == {"Đ/c Lợi"}
    police = rows[1].parties.get()
    assert police.organisation.name == "Công an phường Phúc Lợi"
    assert rows[0].parties.get().organisation.admin_unit.official_code == "00136"
    assert plan.targets.get().measure.code == "8.4b"
    assert plan.rounds.get().scheduled_month == dt.date(2023, 5, 1)
    after = counts()
    assert after["Plan"] == before["Plan"] + 1
    assert after["PlanRow"] == before["PlanRow"] + 2
    load_events = AuditEvent.objects.filter(object_type="plans.plan", object_id=str(plan.pk))
    assert list(load_events.values_list("action", flat=True)) == ["load"]


@pytest.mark.django_db
def test_it_does_not_duplicate_the_demo_plan_when_its_file_is_loaded_again(tmp_path):
    plan = Plan.objects.get(key="giang-bien-2023")
    rows = dict(plan.rows.values_list("criterion_code", "pk"))
    assert len(rows) == 52
    # the very same file: recognised by its digest, nothing to do
    before = counts()
    same, changed = load_plan(DEMO_FILE)
    assert (same.pk, changed) == (plan.pk, False)
    assert counts() == before
    # a copy that differs only by a comment is loaded again: rows are updated, not duplicated
    copy_path = tmp_path / DEMO_FILE.name
    shutil.copy(DEMO_FILE, copy_path)
    with copy_path.open("a", encoding="utf-8") as file:
        file.write("\n# nạp lại để kiểm tra\n")
    again, changed = load_plan(copy_path)
    assert (again.pk, changed) == (plan.pk, True)
    assert dict(again.rows.values_list("criterion_code", "pk")) == rows
    assert counts() == {**before, "AuditEvent": before["AuditEvent"] + 1}
    assert AuditEvent.objects.first().action == "reload"


@pytest.mark.django_db
def test_it_removes_rows_dropped_from_the_file_and_keeps_the_others(tmp_path):
    path = write(tmp_path, valid())
    plan, _ = load_plan(path)
    kept = plan.rows.get(criterion_code="1.1").pk
    data = valid()
    data["rows"].pop(1)
    path.write_text(dump(data), encoding="utf-8")
    load_plan(path)
    assert list(plan.rows.values_list("criterion_code", "pk")) == [("1.1", kept)]


@pytest.mark.django_db
def test_the_command_refuses_a_broken_plan_with_the_line(tmp_path):
    data = valid()
    data["rows"][1]["criterion"] = "10.1"
    path = write(tmp_path, data)
    before = counts()
    with pytest.raises(CommandError) as caught:
        call_command("load_plan", str(path), stdout=StringIO())
    assert "dòng" in str(caught.value)
    assert "'10.1'" in str(caught.value)
    assert counts() == before


@pytest.mark.django_db
def test_the_command_reports_the_rows_of_a_loaded_plan(tmp_path):
    out = StringIO()
    call_command("load_plan", str(write(tmp_path, valid())), stdout=out)
    assert out.getvalue().strip() == "phuc-loi-2023: đã nạp (2 dòng, 0 dòng cần kiểm tra)"
