"""Loading catalog files: every problem of a broken file at once, with file, line and key; nothing
written unless the whole file is right; a reload updates in place."""

import copy
import datetime as dt
import re
from collections.abc import Callable
from io import StringIO

import pytest
import yaml
from django.core.management import CommandError, call_command

from tieuchi.accounts.models import AuditEvent
from tieuchi.catalog.models import Catalog, CatalogNode, Measure, Threshold
from tieuchi.catalog.services import load_catalog
from tieuchi.core.yamlfile import DataFileError
from tieuchi.orgs.models import LegalDocument
from tieuchi.plans.models import Plan, PlanRow

# The national decision is already in the demo database with these fields, so a valid load adds
# no legal-document event of its own.
QD04 = {
    "number": "04/2022/QĐ-TTg",
    "doc_type": "QĐ",
    "title": "Quy định tiêu chí, trình tự, thủ tục xét công nhận đạt chuẩn đô thị văn minh",
    "issuer": "Thủ tướng Chính phủ",
    "issued_on": dt.date(2022, 2, 18),
}
VALID = {
    "key": "thu-nghiem",
    "version": "2024",
    "name": "Bộ tiêu chí thử nghiệm",
    "kind": "criteria_set",
    "legal_document": QD04,
    "applies_to_unit_types": ["phuong", "thi_tran"],
    "nodes": [
        {
            "code": "1",
            "type": "criterion",
            "name": "Quy hoạch đô thị",
            "children": [
                {
                    "code": "1.1",
                    "type": "subcriterion",
                    "name": "Quy hoạch được phê duyệt, công khai",
                    "kind": "boolean",
                    "thresholds": [{"comparator": "is_true", "text": "Đạt"}],
                },
                {
                    "code": "1.2",
                    "type": "subcriterion",
                    "name": "Tỷ lệ hộ có nhà ở kiên cố",
                    "kind": "ratio",
                    "unit": "%",
                    "thresholds": [
                        {"comparator": "gte", "value": 90, "text": "≥ 90%", "unit_type": "phuong"},
                        {
                            "comparator": "gte",
                            "value": 80,
                            "text": "≥ 80%",
                            "unit_type": "thi_tran",
                        },
                    ],
                },
            ],
        },
        {
            "code": "2",
            "type": "criterion",
            "name": "Giáo dục",
            "children": [
                {
                    "code": "2.1",
                    "type": "subcriterion",
                    "name": "Trường học",
                    "measures": [
                        {
                            "code": "2.1a",
                            "name": "Trường đạt chuẩn cơ sở vật chất",
                            "kind": "ratio",
                            "thresholds": [{"comparator": "eq", "value": 100, "text": "100%"}],
                        },
                        {
                            "code": "2.1b",
                            "name": "Tỷ lệ học sinh",
                            "kind": "range",
                            "thresholds": [
                                {
                                    "comparator": "between",
                                    "value": 91,
                                    "value_max": 93,
                                    "text": "91–93%",
                                }
                            ],
                        },
                    ],
                }
            ],
        },
    ],
}
MODELS = [Catalog, CatalogNode, Measure, Threshold, LegalDocument, AuditEvent]


def valid() -> dict:
    return copy.deepcopy(VALID)


def dump(data) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def leaf(data: dict, code: str) -> dict:
    def walk(nodes):
        for node in nodes:
            yield node
            yield from walk(node.get("children", []))

    return next(node for node in walk(data["nodes"]) if node.get("code") == code)


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def line_with(text: str, needle: str, occurrence: int = 1) -> int:
    """1-based line number of the `occurrence`-th line containing `needle`."""
    lines = [n for n, line in enumerate(text.splitlines(), start=1) if needle in line]
    return lines[occurrence - 1]


def write(tmp_path, text: str, name: str = "thu-nghiem.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def refuse(path) -> DataFileError:
    before = counts()
    with pytest.raises(DataFileError) as caught:
        load_catalog(path)
    assert counts() == before, "a refused file must write nothing"
    assert not Catalog.objects.filter(key="thu-nghiem").exists()
    message = str(caught.value)
    assert message.startswith(f"Tệp {path} không hợp lệ ({len(caught.value.problems)} lỗi)")
    return caught.value


# --- one problem, with its line and key ------------------------------------------------------------


def _update(mapping: dict, changes: dict) -> None:
    """Apply `changes`; a None value removes the key."""
    for key, value in changes.items():
        if value is None:
            mapping.pop(key, None)
        else:
            mapping[key] = value


def _set(code: str, **changes) -> Callable[[dict], None]:
    def mutate(data):
        _update(leaf(data, code), changes)

    return mutate


def _threshold(code: str, index: int = 0, measure: str = "", **changes) -> Callable[[dict], None]:
    def mutate(data):
        node = leaf(data, code)
        if measure:
            node = next(m for m in node["measures"] if m["code"] == measure)
        _update(node["thresholds"][index], changes)

    return mutate


def _drop(key: str) -> Callable[[dict], None]:
    def mutate(data):
        del data[key]

    return mutate


def _duplicate_code(data):
    leaf(data, "1.2")["code"] = "1.1"


def _both_kind_and_measures(data):
    leaf(data, "2.1")["kind"] = "ratio"


def _unknown_unit_types(data):
    data["applies_to_unit_types"] = ["phuong", "quan_moi"]


# (id, mutation, key, needle locating the reported line (None: the top of the file), message part)
CASES = [
    ("missing key", _drop("key"), "key", None, "thiếu giá trị bắt buộc"),
    ("missing version", _drop("version"), "version", None, "thiếu giá trị bắt buộc"),
    ("missing nodes", _drop("nodes"), "nodes", None, "thiếu danh sách bắt buộc"),
    (
        "unknown kind",
        _set("1.1", kind="percent"),
        "kind",
        "kind: percent",
        "'percent' không hợp lệ",
    ),
    (
        "unknown comparator",
        _threshold("1.1", comparator="true"),
        "comparator",
        "comparator: 'true'",
        "'true' không hợp lệ",
    ),
    (
        "gte without value",
        _threshold("1.2", value=None),
        "value",
        "comparator: gte",
        "phép so sánh 'gte' cần giá trị 'value'",
    ),
    (
        "between without value_max",
        _threshold("2.1", measure="2.1b", value_max=None),
        "value_max",
        "comparator: between",
        "phép so sánh 'between' cần 'value_max'",
    ),
    (
        "between with value_max below value",
        _threshold("2.1", measure="2.1b", value_max=85),
        "value_max",
        "value_max: 85",
        "'value_max' nhỏ hơn 'value'",
    ),
    (
        "value_max not a number",
        _threshold("2.1", measure="2.1b", value_max="93%"),
        "value_max",
        "value_max: 93%",
        "'93%' không phải là số",
    ),
    (
        "kind and measures",
        _both_kind_and_measures,
        "measures",
        "measures:",
        "dùng 'kind' hoặc 'measures', không dùng cả hai",
    ),
    ("duplicate codes", _duplicate_code, "code", "code: '1.1'#2", "mã '1.1' bị trùng"),
    (
        "value not a number",
        _threshold("1.2", value="90%"),
        "value",
        "value: 90%",
        "'90%' không phải là số",
    ),
    (
        "unknown unit_type",
        _threshold("1.2", unit_type="phuong_moi"),
        "unit_type",
        "unit_type: phuong_moi",
        "'phuong_moi' không hợp lệ",
    ),
    (
        "unknown applies_to_unit_types",
        _unknown_unit_types,
        "applies_to_unit_types",
        "applies_to_unit_types:",
        "loại đơn vị 'quan_moi' không hợp lệ",
    ),
    (
        "unknown node type",
        _set("1.1", type="section"),
        "type",
        "type: section",
        "'section' không hợp lệ",
    ),
    (
        "leaf without kind",
        _set("1.1", kind=None),
        "kind",
        "code: '1.1'",
        "'1.1' thiếu 'kind' (hoặc 'measures')",
    ),
]


@pytest.mark.parametrize(
    ("mutation", "key", "needle", "message"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
@pytest.mark.django_db
def test_it_refuses_a_broken_file_naming_the_file_line_and_key(
    tmp_path, mutation, key, needle, message
):
    data = valid()
    mutation(data)
    text = dump(data)
    path = write(tmp_path, text)
    error = refuse(path)
    assert len(error.problems) == 1, str(error)
    (problem,) = error.problems
    assert problem.key == key
    assert message in problem.message
    if needle is None:
        expected_line = 1
    else:
        needle, _, occurrence = needle.partition("#")
        expected_line = line_with(text, needle, int(occurrence or 1))
    assert problem.line == expected_line, text
    assert f"{path}, dòng {expected_line}, khóa '{key}': " in str(error)


@pytest.mark.django_db
def test_it_names_the_line_of_the_first_definition_of_a_duplicate_code(tmp_path):
    data = valid()
    _duplicate_code(data)
    text = dump(data)
    (problem,) = refuse(write(tmp_path, text)).problems
    assert f"đã có ở dòng {line_with(text, 'code: ' + repr('1.1'))}" in problem.message


# --- several problems at once ----------------------------------------------------------------------


@pytest.mark.django_db
def test_it_lists_every_problem_at_once(tmp_path):
    data = valid()
    leaf(data, "1.1")["thresholds"][0]["comparator"] = "dung"
    leaf(data, "1.2")["thresholds"][1]["comparator"] = "lon_hon"
    del leaf(data, "1.2")["thresholds"][0]["text"]
    text = dump(data)
    path = write(tmp_path, text)
    error = refuse(path)
    assert [(p.key, p.line) for p in error.problems] == [
        ("comparator", line_with(text, "comparator: dung")),
        ("text", line_with(text, "comparator: gte")),
        ("comparator", line_with(text, "comparator: lon_hon")),
    ]
    message = str(error)
    assert "(3 lỗi)" in message
    assert len(re.findall(rf"^  - {re.escape(str(path))}, dòng \d+, khóa '", message, re.M)) == 3


@pytest.mark.django_db
def test_it_lists_problems_of_the_header_and_the_nodes_together(tmp_path):
    data = valid()
    del data["name"]
    data["legal_document"] = {**QD04, "issued_on": "18/02/2022"}
    leaf(data, "1.2")["thresholds"][0]["value"] = "chín mươi"
    error = refuse(write(tmp_path, dump(data)))
    assert sorted(p.key for p in error.problems) == ["issued_on", "name", "value"]


# --- files that are not even YAML mappings ---------------------------------------------------------

RAW = [
    (
        "yaml syntax error",
        'key: thu-nghiem\nversion: "2024"\nnodes:\n  - code: "1"\n    name: [chưa đóng\n'
        '  - code: "2"\n',
        "lỗi cú pháp YAML",
    ),
    ("tab indentation", "key: thu-nghiem\nnodes:\n\t- code: '1'\n", "lỗi cú pháp YAML"),
    ("not a mapping", "- key: thu-nghiem\n- version: '2024'\n", "tệp phải là một bảng khóa"),
    ("a bare string", "chỉ là một dòng chữ\n", "tệp phải là một bảng khóa"),
    ("an empty file", "", "tệp phải là một bảng khóa"),
]


@pytest.mark.parametrize(("text", "message"), [c[1:] for c in RAW], ids=[c[0] for c in RAW])
@pytest.mark.django_db
def test_it_refuses_a_file_that_is_not_a_catalog_mapping(tmp_path, text, message):
    path = write(tmp_path, text)
    error = refuse(path)
    assert len(error.problems) == 1
    assert message in error.problems[0].message
    assert str(path) in str(error)


@pytest.mark.django_db
def test_it_reports_the_line_of_a_yaml_syntax_error(tmp_path):
    text = 'key: thu-nghiem\nversion: "2024"\nnodes:\n  - code: "1"\n    name: [chưa đóng\n'
    text += '  - code: "2"\n'
    (problem,) = refuse(write(tmp_path, text)).problems
    assert 5 <= problem.line <= 6  # the unclosed bracket opens on line 5; YAML notices on line 6


@pytest.mark.django_db
def test_it_refuses_a_file_that_is_not_utf8(tmp_path):
    path = tmp_path / "cp1258.yaml"
    path.write_bytes(dump(valid()).encode("utf-8").replace("Quy hoạch".encode(), b"Quy ho\xe1ch"))
    (problem,) = refuse(path).problems
    assert problem.message == "tệp không phải văn bản UTF-8"


@pytest.mark.django_db
def test_it_refuses_a_missing_file(tmp_path):
    path = tmp_path / "khong-co.yaml"
    (problem,) = refuse(path).problems
    assert problem.message == "không tìm thấy tệp"
    assert str(path) in str(DataFileError(str(path), [problem]))


# --- the success path ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_it_loads_a_valid_file_with_one_audit_event(tmp_path):
    path = write(tmp_path, dump(valid()))
    before = counts()
    catalog, changed = load_catalog(path)
    assert changed is True
    after = counts()
    assert after["Catalog"] == before["Catalog"] + 1
    assert after["CatalogNode"] == before["CatalogNode"] + 5
    assert after["Measure"] == before["Measure"] + 4
    assert after["Threshold"] == before["Threshold"] + 5
    assert after["LegalDocument"] == before["LegalDocument"]
    assert after["AuditEvent"] == before["AuditEvent"] + 1
    event = AuditEvent.objects.first()
    assert (event.action, event.object_type, event.object_id) == (
        "load",
        "catalog.catalog",
        str(catalog.pk),
    )
    assert event.after["file"] == "thu-nghiem.yaml"
    assert catalog.legal_document.number == "04/2022/QĐ-TTg"
    assert list(catalog.nodes.order_by("position").values_list("code", flat=True)) == [
        "1",
        "1.1",
        "1.2",
        "2",
        "2.1",
    ]
    by_unit_type = dict(
        Threshold.objects.filter(measure__node__catalog=catalog, measure__code="1.2").values_list(
            "unit_type", "value"
        )
    )
    assert by_unit_type == {"phuong": 90, "thi_tran": 80}


@pytest.mark.django_db
def test_it_audits_a_new_legal_document_separately_from_the_catalog(tmp_path):
    data = valid()
    data["legal_document"] = {**QD04, "number": "99/2024/QĐ-UBND", "issuer": "UBND thành phố"}
    before = AuditEvent.objects.count()
    catalog, _ = load_catalog(write(tmp_path, dump(data)))
    events = AuditEvent.objects.all()[: AuditEvent.objects.count() - before]
    assert sorted((e.action, e.object_type) for e in events) == [
        ("create", "orgs.legaldocument"),
        ("load", "catalog.catalog"),
    ]
    assert catalog.legal_document.number == "99/2024/QĐ-UBND"


@pytest.mark.django_db
def test_it_changes_nothing_when_the_same_file_is_loaded_again(tmp_path):
    path = write(tmp_path, dump(valid()))
    first, _ = load_catalog(path)
    nodes = dict(first.nodes.values_list("code", "pk"))
    thresholds = set(Threshold.objects.values_list("pk", flat=True))
    before = counts()
    again, changed = load_catalog(path)
    assert changed is False
    assert again.pk == first.pk
    assert counts() == before
    assert dict(again.nodes.values_list("code", "pk")) == nodes
    assert set(Threshold.objects.values_list("pk", flat=True)) == thresholds


@pytest.mark.django_db
def test_it_updates_a_changed_threshold_in_place_and_audits_the_reload(tmp_path):
    path = write(tmp_path, dump(valid()))
    catalog, _ = load_catalog(path)
    nodes = dict(catalog.nodes.values_list("code", "pk"))
    measures = dict(Measure.objects.filter(node__catalog=catalog).values_list("code", "pk"))
    data = valid()
    leaf(data, "1.2")["thresholds"][0]["value"] = 95
    path.write_text(dump(data), encoding="utf-8")
    before = counts()
    again, changed = load_catalog(path)
    assert changed is True
    assert again.pk == catalog.pk
    assert dict(again.nodes.values_list("code", "pk")) == nodes
    assert dict(Measure.objects.filter(node__catalog=catalog).values_list("code", "pk")) == measures
    value = Threshold.objects.get(
        measure__node__catalog=catalog, measure__code="1.2", unit_type="phuong"
    ).value
    assert value == 95
    assert counts() == {**before, "AuditEvent": before["AuditEvent"] + 1}
    event = AuditEvent.objects.first()
    assert (event.action, event.object_id) == ("reload", str(catalog.pk))


@pytest.mark.django_db
def test_it_refuses_a_reload_that_drops_a_planned_item_and_keeps_everything(tmp_path):
    path = write(tmp_path, dump(valid()))
    catalog, _ = load_catalog(path)
    PlanRow.objects.create(
        plan=Plan.objects.get(key="giang-bien-2023"),
        node=catalog.nodes.get(code="1.1"),
        criterion_code="T-1.1",
        position=999,
    )
    data = valid()
    data["nodes"][0]["children"].pop(0)  # drop 1.1
    leaf(data, "1.2")["thresholds"][0]["value"] = 70  # and change something else
    path.write_text(dump(data), encoding="utf-8")
    before = counts()
    with pytest.raises(DataFileError) as caught:
        load_catalog(path)
    assert [(p.key, p.message) for p in caught.value.problems] == [
        ("1.1", "tiêu chí đã có trong kế hoạch nên không thể xóa")
    ]
    assert counts() == before
    assert catalog.nodes.filter(code="1.1").exists()
    kept = Threshold.objects.get(
        measure__node__catalog=catalog, measure__code="1.2", unit_type="phuong"
    )
    assert kept.value == 90


@pytest.mark.django_db
def test_it_removes_an_unused_item_on_reload(tmp_path):
    path = write(tmp_path, dump(valid()))
    catalog, _ = load_catalog(path)
    data = valid()
    data["nodes"][0]["children"].pop(0)
    path.write_text(dump(data), encoding="utf-8")
    load_catalog(path)
    assert list(catalog.nodes.order_by("position").values_list("code", flat=True)) == [
        "1",
        "1.2",
        "2",
        "2.1",
    ]


# --- the command line ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_command_refuses_a_broken_file_with_the_line(tmp_path):
    data = valid()
    leaf(data, "1.2")["thresholds"][0]["value"] = "90%"
    path = write(tmp_path, dump(data))
    before = counts()
    with pytest.raises(CommandError) as caught:
        call_command("load_catalog", str(path), stdout=StringIO())
    assert "dòng" in str(caught.value)
    assert str(path) in str(caught.value)
    assert "'90%' không phải là số" in str(caught.value)
    assert counts() == before


@pytest.mark.django_db
def test_the_command_loads_then_reports_an_unchanged_file(tmp_path):
    path = write(tmp_path, dump(valid()))
    out = StringIO()
    call_command("load_catalog", str(path), stdout=out)
    call_command("load_catalog", str(path), stdout=out)
    assert out.getvalue().splitlines() == [
        "thu-nghiem 2024: đã nạp (3 nội dung, chỉ tiêu)",
        "thu-nghiem 2024: không đổi (3 nội dung, chỉ tiêu)",
    ]
    event = AuditEvent.objects.first()
    assert (event.action, event.channel) == ("load", "cli")
