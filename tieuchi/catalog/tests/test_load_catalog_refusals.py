"""Loading a broken catalog file: every problem at once, with file, line and key; nothing written."""

import re
from collections.abc import Callable

import pytest

from tieuchi.catalog.tests.catalog_file_builders import (
    QD04,
    dump,
    leaf,
    line_with,
    refuse,
    valid,
    write,
)
from tieuchi.core.yamlfile import DataFileError

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
