"""The unit forest of one evaluation date as arrays: leaves, the units kept in the state, depths.

A *leaf* is a unit without sub-units that has a parent (a TDP, a thôn): its figures are summed
straight into its parent. Every other unit (communes, provinces, the nation, a commune without
TDPs, a root) is *kept*: it has a row per (measure, period) in the state, indexed by `pos`.
With `judge_leaves=True` the leaves are kept too, so they get verdicts of their own; with
`leaf_types` only units of those types can be leaves (the product keeps a commune without TDPs).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np

from tieuchi.evaluation.engine import UnitInfo
from tieuchi.evaluation.engine.types import COMMUNE_TYPES, RESIDENTIAL_TYPES


class UnitTable:
    """Units as parallel arrays; parents missing from the table make roots (as in the engine)."""

    def __init__(
        self,
        ids: Sequence[int] | np.ndarray,
        parents: Sequence[int | None] | np.ndarray,
        types: Sequence[str] | np.ndarray,
        *,
        judge_leaves: bool = False,
        leaf_types: Iterable[str] | None = None,
    ):
        self.ids = np.asarray(ids, dtype=np.int64)
        if isinstance(parents, np.ndarray):
            parent_ids = np.where(np.ma.getmaskarray(parents), -1, np.ma.getdata(parents))
            parent_ids = parent_ids.astype(np.int64)
        else:
            parent_ids = np.array([-1 if p is None else p for p in parents], dtype=np.int64)
        self.types = np.asarray(types, dtype=object)
        n = len(self.ids)
        self._order = np.argsort(self.ids, kind="stable")
        self._sorted = self.ids[self._order]
        if n and np.any(self._sorted[1:] == self._sorted[:-1]):
            raise ValueError("unit ids must be unique")
        parent_index = self.index_of(parent_ids)
        kids = np.bincount(parent_index[parent_index >= 0], minlength=n)
        self.leaf = (kids == 0) & (parent_index >= 0) & (not judge_leaves)
        if leaf_types is not None:  # e.g. only TDP/thôn: a commune without TDPs keeps its row
            self.leaf &= np.isin(self.types.astype(str), list(leaf_types))
        kept = np.flatnonzero(~self.leaf)
        self.pos = np.full(n, -1, dtype=np.int64)
        self.pos[kept] = np.arange(len(kept))
        # For every unit, the kept position of its parent (-1 for a root).
        self.parent_pos = np.where(parent_index >= 0, self.pos[np.maximum(parent_index, 0)], -1)
        # The kept units, by position.
        self.kept_index = kept
        self.kept_ids = self.ids[kept]
        self.kept_parent = self.parent_pos[kept]
        self.childless = kids[kept] == 0
        self.leaf_kids = np.bincount(self.parent_pos[self.leaf], minlength=len(kept))
        self.type_names = tuple(sorted({str(t) for t in self.types[kept]}))
        lookup = {name: i for i, name in enumerate(self.type_names)}
        self.type_idx = np.array([lookup[str(t)] for t in self.types[kept]], dtype=np.int64)
        self.depth = _depths(self.kept_parent)

    @classmethod
    def from_units(cls, units: Iterable[UnitInfo], *, judge_leaves: bool = False) -> UnitTable:
        units = list(units)
        return cls(
            [u.id for u in units],
            [u.parent_id for u in units],
            [u.unit_type for u in units],
            judge_leaves=judge_leaves,
        )

    def __len__(self) -> int:
        return len(self.kept_ids)

    def index_of(self, unit_ids) -> np.ndarray:
        """Row index of each id in the input arrays, -1 where the id is not in the table."""
        wanted = np.atleast_1d(np.asarray(unit_ids, dtype=np.int64))
        at = np.clip(np.searchsorted(self._sorted, wanted), 0, max(len(self._sorted) - 1, 0))
        found = (self._sorted[at] == wanted) if len(self._sorted) else np.zeros_like(wanted, bool)
        return np.where(found, self._order[at], -1)

    def chain(self, pos: int) -> list[int]:
        """A kept unit and its ancestors, bottom up (at most the depth of the tree + 1)."""
        path = []
        while pos >= 0:
            path.append(int(pos))
            pos = int(self.kept_parent[pos])
        return path

    def reporters(self, collected_at: str, aggregation: str) -> np.ndarray:
        """Kept units that report a measure themselves instead of summing their sub-units.

        As in the engine's gather: every unit for aggregation "none"; else TDP/thôn types (for
        collected_at residential_group) or commune types (ward), and any unit without sub-units.
        """
        if aggregation == "none":
            return np.ones(len(self), dtype=bool)
        types = RESIDENTIAL_TYPES if collected_at == "residential_group" else COMMUNE_TYPES
        own = np.array([name in types for name in self.type_names], dtype=bool)
        return self.childless | own[self.type_idx] if len(own) else self.childless

    def duckdb_table(self) -> dict[str, np.ndarray]:
        """Columns for DuckDB: where a unit's figures go (its parent's sums, or its own row)."""
        return {
            "unit_id": self.ids,
            "leaf": self.leaf,
            "target": np.where(self.leaf, self.parent_pos, self.pos),
        }


def _depths(parent: np.ndarray) -> np.ndarray:
    """Depth of every node of a forest given by parent positions (roots: -1), by pointer jumps."""
    depth = np.zeros(len(parent), dtype=np.int64)
    up = parent.copy()
    while np.any(up >= 0):
        has = up >= 0
        depth += has
        up = np.where(has, parent[np.maximum(up, 0)], -1)
        if depth.max(initial=0) > len(parent):
            raise ValueError("the unit parents form a cycle")
    return depth
