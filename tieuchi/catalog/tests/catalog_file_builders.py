"""A small valid catalog file and helpers to break it, for the loading tests."""

import copy
import datetime as dt

import pytest
import yaml

from tieuchi.accounts.models import AuditEvent
from tieuchi.catalog.models import Catalog, CatalogNode, Measure, Threshold
from tieuchi.catalog.services import load_catalog
from tieuchi.core.yamlfile import DataFileError
from tieuchi.orgs.models import LegalDocument

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
