"""The demo data, exported by the CLI, matches the source documents."""

import json

import pytest
from django.core.management import call_command


def export(*args) -> dict:
    from io import StringIO

    out = StringIO()
    call_command("export", *args, stdout=out)
    return json.loads(out.getvalue())


def walk(node):
    yield node
    for child in node["children"]:
        yield from walk(child)


@pytest.mark.django_db
def test_qd04_catalog_has_9_criteria_and_52_subcriteria():
    data = export("catalog", "qd04-2022", "--format", "json")
    assert [node["code"] for node in data["children"]] == [str(n) for n in range(1, 10)]
    leaves = [node for top in data["children"] for node in walk(top) if not node["children"]]
    assert len(leaves) == 52
    assert all("kind" in leaf and "thresholds" in leaf for leaf in leaves)
    employment = next(leaf for leaf in leaves if leaf["code"] == "6.1")
    by_type = {t["unit_type"]: (t["comparator"], t["value"]) for t in employment["thresholds"]}
    assert by_type == {"phuong": ("gte", 90), "thi_tran": ("gte", 80)}


@pytest.mark.django_db
def test_programme_02_has_32_indicators_in_5_groups():
    data = export("catalog", "ctr02-longbien-2020-2025", "--format", "json")
    assert [len(group["children"]) for group in data["children"]] == [3, 14, 3, 4, 8]
    culture = next(
        node for group in data["children"] for node in group["children"] if node["code"] == "2.9"
    )
    ranges = [t for t in culture["thresholds"] if t["comparator"] == "between"]
    assert (ranges[0]["value"], ranges[0]["value_max"]) == (91, 93)


@pytest.mark.django_db
def test_giang_bien_plan_export_has_every_appendix_row_with_owners_and_deadline():
    data = export("plan", "giang-bien-2023", "--format", "json")
    rows = data["rows"]
    assert len(rows) == 52
    first = rows[0]
    assert first["criterion_code"] == "1.1"
    assert first["leader"] == "Đ/c Đông – CT UBND"
    assert first["implementing_units"] == ["Bộ phận DC-XD"]
    assert first["coordinating_units"] == ["Các TDP"]
    assert first["deadline_text"] == "Theo nội dung QH"
    weekly = next(row for row in rows if row["criterion_code"] == "1.6")
    assert weekly["deadline"]["frequency"] == "weekly"
    blank = [row["criterion_code"] for row in rows if row["deadline_text"] == ""]
    assert blank == ["7.4", "7.5", "8.2", "8.3"]
    leaders = {row["leader"] for row in rows}
    assert leaders == {"Đ/c Đông – CT UBND", "Đ/c Hoài – PCT UBND", "Đ/c Tỉnh – PCT UBND"}


@pytest.mark.django_db
def test_unit_tree_as_of_2023_has_14_wards_and_20_tdps():
    data = export("units", "--as-of", "2023-06-01", "--format", "json")
    (hanoi,) = data["units"]
    (district,) = hanoi["children"]
    assert (hanoi["code"], district["code"]) == ("01", "004")
    assert len(district["children"]) == 14
    giang_bien = next(ward for ward in district["children"] if ward["code"] == "00121")
    assert giang_bien["unit_type"] == "phuong"
    assert len(giang_bien["children"]) == 20


@pytest.mark.django_db
def test_unit_tree_after_the_2025_reform_no_longer_has_the_district():
    data = export("units", "--as-of", "2025-07-01", "--format", "json")
    (hanoi,) = data["units"]
    assert hanoi["children"] == []
