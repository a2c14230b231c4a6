"""The hierarchy on a date, as pure functions over plain records (no database)."""

import datetime as dt

import pytest

from tieuchi.orgs.tree import TreeNode, UnitRecord, flatten, tree_at

DAY = dt.date(2023, 6, 1)
BEFORE = DAY - dt.timedelta(days=1)
AFTER = DAY + dt.timedelta(days=1)


def record(id, parent_id, code, valid_from=None, valid_to=None, **extra) -> UnitRecord:
    return UnitRecord(
        id=id,
        parent_id=parent_id,
        code=code,
        name=f"Đơn vị {code}",
        unit_type="phuong",
        valid_from=valid_from,
        valid_to=valid_to,
        extra=extra,
    )


def shape(forest: list[TreeNode]) -> list:
    """[(code, [children…]), …]: enough to compare trees in one assertion."""
    return [(node.unit.code, shape(node.children)) for node in forest]


# province 1 → district 2 → wards 3 and 4 → TDP 5 under ward 3
BASE = [
    record(1, None, "01"),
    record(2, 1, "004"),
    record(3, 2, "00121"),
    record(4, 2, "00136"),
    record(5, 3, "00121-TDP01"),
]


@pytest.mark.parametrize(
    ("ward_from", "ward_to", "present"),
    [
        (None, None, True),  # open both ends
        (None, BEFORE, False),  # closed the day before
        (None, DAY, True),  # valid_to is the last day of validity
        (DAY, None, True),  # valid from the day itself
        (AFTER, None, False),  # not yet valid
        (BEFORE, AFTER, True),
        (DAY, DAY, True),  # a unit valid for exactly one day
    ],
)
def test_it_keeps_a_unit_only_on_the_days_it_is_valid(ward_from, ward_to, present):
    records = [
        record(1, None, "01"),
        record(2, 1, "004"),
        record(4, 2, "00136", valid_from=ward_from, valid_to=ward_to),
    ]
    (province,) = tree_at(records, DAY)
    (district,) = province.children
    assert [child.unit.code for child in district.children] == (["00136"] if present else [])


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2025, 6, 30), [("01", [("004", [("00121", [])])])]),
        (dt.date(2025, 7, 1), [("01", [("00121-new", [])])]),
    ],
)
def test_it_shows_the_tree_before_and_after_a_reorganisation(day, expected):
    reform = dt.date(2025, 7, 1)
    records = [
        record(1, None, "01"),
        record(2, 1, "004", valid_to=reform - dt.timedelta(days=1)),
        record(3, 2, "00121", valid_to=reform - dt.timedelta(days=1)),
        record(9, 1, "00121-new", valid_from=reform),
    ]
    assert shape(tree_at(records, day)) == expected


@pytest.mark.parametrize(
    ("roots", "expected"),
    [
        (None, [("01", [("004", [("00121", [("00121-TDP01", [])]), ("00136", [])])])]),
        ({3}, [("00121", [("00121-TDP01", [])])]),
        ({4}, [("00136", [])]),
        ({5}, [("00121-TDP01", [])]),
        ({2}, [("004", [("00121", [("00121-TDP01", [])]), ("00136", [])])]),
        ({3, 4}, [("00121", [("00121-TDP01", [])]), ("00136", [])]),
        (set(), []),
    ],
)
def test_it_limits_the_forest_to_the_given_roots_and_their_descendants(roots, expected):
    assert shape(tree_at(BASE, DAY, roots)) == expected


def test_it_does_not_repeat_a_root_that_lies_below_another_root():
    forest = tree_at(BASE, DAY, {2, 3})
    codes = [node.unit.code for _depth, node in flatten(forest)]
    assert codes.count("00121") == 1
    assert codes.count("00121-TDP01") == 1


@pytest.mark.parametrize(
    ("records", "expected"),
    [
        # the ward closed the day before, its TDP did not: the TDP surfaces as a root
        (
            [
                record(1, None, "01"),
                record(3, 1, "00121", valid_to=BEFORE),
                record(5, 3, "00121-TDP01"),
            ],
            [("00121-TDP01", []), ("01", [])],
        ),
        # the parent is not among the records at all (outside the reader's scope)
        ([record(5, 3, "00121-TDP01")], [("00121-TDP01", [])]),
        # the parent is not valid yet
        (
            [record(3, None, "00121", valid_from=AFTER), record(5, 3, "00121-TDP01")],
            [("00121-TDP01", [])],
        ),
    ],
)
def test_it_surfaces_units_whose_parent_is_not_valid_as_roots(records, expected):
    assert shape(tree_at(records, DAY)) == expected


def test_it_surfaces_an_orphan_inside_the_given_roots_but_nothing_outside():
    records = [
        record(1, None, "01"),
        record(2, 1, "004"),
        record(3, 2, "00121", valid_to=BEFORE),
        record(5, 3, "00121-TDP01"),
        record(4, 2, "00136"),
        record(6, 4, "00136-TDP01"),
    ]
    assert shape(tree_at(records, DAY, {3})) == [("00121-TDP01", [])]


@pytest.mark.parametrize(
    ("codes", "expected"),
    [
        (["00136", "00121", "00124"], ["00121", "00124", "00136"]),
        (
            ["00121-TDP10", "00121-TDP02", "00121-TDP01"],
            ["00121-TDP01", "00121-TDP02", "00121-TDP10"],
        ),
    ],
)
def test_it_orders_siblings_and_roots_by_code(codes, expected):
    children = [record(10 + i, 1, code) for i, code in enumerate(codes)]
    (parent,) = tree_at([record(1, None, "01"), *children], DAY)
    assert [child.unit.code for child in parent.children] == expected
    roots = [record(10 + i, None, code) for i, code in enumerate(codes)]
    assert [node.unit.code for node in tree_at(roots, DAY)] == expected


def test_it_orders_every_level_not_only_the_top():
    records = [
        record(1, None, "01"),
        record(3, 1, "B"),
        record(2, 1, "A"),
        record(5, 2, "A-2"),
        record(4, 2, "A-1"),
    ]
    assert [node.unit.code for _depth, node in flatten(tree_at(records, DAY))] == [
        "01",
        "A",
        "A-1",
        "A-2",
        "B",
    ]


def test_it_serialises_a_node_with_its_extra_fields_and_nested_children():
    records = [
        record(1, None, "01", level="province", type_label="Thành phố"),
        record(2, 1, "004", level="district", type_label="Quận"),
    ]
    (root,) = tree_at(records, DAY)
    assert root.to_dict() == {
        "code": "01",
        "name": "Đơn vị 01",
        "unit_type": "phuong",
        "level": "province",
        "type_label": "Thành phố",
        "children": [
            {
                "code": "004",
                "name": "Đơn vị 004",
                "unit_type": "phuong",
                "level": "district",
                "type_label": "Quận",
                "children": [],
            }
        ],
    }


@pytest.mark.parametrize(
    ("roots", "expected"),
    [
        (None, [(0, "01"), (1, "004"), (2, "00121"), (3, "00121-TDP01"), (2, "00136")]),
        ({3}, [(0, "00121"), (1, "00121-TDP01")]),
    ],
)
def test_it_flattens_the_forest_in_display_order_with_depths(roots, expected):
    assert [(depth, node.unit.code) for depth, node in flatten(tree_at(BASE, DAY, roots))] == (
        expected
    )
    assert sum(node.count() for node in tree_at(BASE, DAY, roots)) == len(expected)


def test_it_returns_an_empty_forest_when_nothing_is_valid():
    assert tree_at([record(1, None, "01", valid_to=BEFORE)], DAY) == []
    assert tree_at([], DAY) == []
