"""Hierarchy at a date, as pure functions over plain records (no Django)."""

import datetime as dt
from dataclasses import dataclass, field


@dataclass
class UnitRecord:
    id: int
    parent_id: int | None
    code: str
    name: str
    unit_type: str
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    extra: dict = field(default_factory=dict)

    def valid_on(self, day: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )


@dataclass
class TreeNode:
    unit: UnitRecord
    children: list["TreeNode"] = field(default_factory=list)

    def count(self) -> int:
        return 1 + sum(child.count() for child in self.children)

    def to_dict(self) -> dict:
        return {
            "code": self.unit.code,
            "name": self.unit.name,
            "unit_type": self.unit.unit_type,
            **self.unit.extra,
            "children": [child.to_dict() for child in self.children],
        }


def tree_at(
    records: list[UnitRecord], day: dt.date, roots: set[int] | None = None
) -> list[TreeNode]:
    """Build the forest of units valid on `day`.

    `roots` limits the result to those units and their descendants (a user's scope); a unit whose
    parent is not valid or not in the result becomes a root itself, so nothing is silently dropped.
    """
    by_id = {record.id: record for record in records}

    def in_scope(record: UnitRecord) -> bool:
        seen: set[int] = set()
        current: UnitRecord | None = record
        while current is not None and current.id not in seen:
            if current.id in roots:
                return True
            seen.add(current.id)
            current = by_id.get(current.parent_id) if current.parent_id is not None else None
        return False

    valid = {
        record.id: TreeNode(record)
        for record in records
        if record.valid_on(day) and (roots is None or in_scope(record))
    }
    forest: list[TreeNode] = []
    for node in valid.values():
        parent = valid.get(node.unit.parent_id) if node.unit.parent_id is not None else None
        if parent is not None and (roots is None or node.unit.id not in roots):
            parent.children.append(node)
        else:
            forest.append(node)
    _sort(forest)
    return forest


def _sort(nodes: list[TreeNode]) -> None:
    nodes.sort(key=lambda node: node.unit.code)
    for node in nodes:
        _sort(node.children)


def flatten(forest: list[TreeNode], depth: int = 0):
    """(depth, node) pairs in display order, for templates that cannot recurse cheaply."""
    for node in forest:
        yield depth, node
        yield from flatten(node.children, depth + 1)
