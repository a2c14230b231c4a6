"""The materialised aggregates of every kept unit × measure × period, with their verdicts.

Arrays are [unit position, measure, period]. A full recompute (`full.evaluate_full`) fills them;
`State.apply` keeps them current after one figure changes, re-judging only the cells whose
effective sums moved. `rows()` yields what is stored per cell.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import NamedTuple

import numpy as np

from tieuchi.evaluation.engine import MeasureDef, Verdict

from .incremental import KEEP, Figure, Link, add, leaf_part, propagate
from .thresholds import VERDICTS, ThresholdTable
from .units import UnitTable

NO_OWN, OWN_COMPLETE, OWN_INCOMPLETE = 0, 1, 2


class CellResult(NamedTuple):
    unit_id: int
    measure: str
    period: str
    verdict: Verdict
    numerator: int  # Σ over the reported complete figures (partial when some are missing)
    denominator: int
    reported: int  # reporters with a complete figure
    expected: int  # reporters expected (the engine's expected_units)


class State:
    def __init__(
        self,
        units: UnitTable,
        measures: Sequence[MeasureDef],
        periods: Sequence[str],
        thresholds: ThresholdTable,
    ):
        self.units, self.measures, self.periods = units, tuple(measures), tuple(periods)
        self.thresholds = thresholds
        self._measure_at = {m.code: i for i, m in enumerate(self.measures)}
        self._period_at = {p: i for i, p in enumerate(self.periods)}
        shape = (len(units), len(self.measures), len(self.periods))
        self.below = np.zeros((4, *shape), dtype=np.int64)  # Σnum, Σden, reported, expected
        self.below[3] = units.leaf_kids[:, None, None]
        self.own = np.zeros((2, *shape), dtype=np.int64)  # own numerator, denominator
        self.own_state = np.zeros(shape, dtype=np.int8)
        self.reporter = np.stack(
            [units.reporters(m.collected_at, m.aggregation) for m in self.measures], axis=1
        ).reshape(len(units), len(self.measures))
        self.verdict = np.zeros(shape, dtype=np.int8)

    # -- whole arrays -------------------------------------------------------------------------

    def effective(self, at=slice(None)) -> np.ndarray:
        """[4, …] effective parts (what each unit passes up and is judged on) for units `at`."""
        own = self.own_state[at] > 0
        reporter = self.reporter[at][:, :, None] & ~own
        out = np.where(own | reporter, 0, self.below[:, at])
        out[0] = np.where(own, self.own[0, at], out[0])
        out[1] = np.where(own, self.own[1, at], out[1])
        out[2] = np.where(own, self.own_state[at] == OWN_COMPLETE, out[2])
        out[3] = np.where(own | reporter, 1, out[3])
        return out

    def roll_up(self) -> None:
        """Add each kept unit's effective part to its parent's below sums, deepest level first."""
        depth, parent = self.units.depth, self.units.kept_parent
        for level in range(int(depth.max(initial=0)), 0, -1):
            at = np.flatnonzero(depth == level)
            at = at[np.argsort(parent[at], kind="stable")]  # siblings next to each other
            first = np.flatnonzero(np.r_[True, parent[at][1:] != parent[at][:-1]])
            sums = np.add.reduceat(self.effective(at), first, axis=1)
            self.below[:, parent[at][first]] += sums

    def judge_all(self) -> None:
        num, den, rep, exp = self.effective()
        t = self.units.type_idx[:, None, None]
        m = np.arange(len(self.measures))[None, :, None]
        self.verdict = self.thresholds.judge(num, den, rep, exp, t, m)

    # -- reading -------------------------------------------------------------------------------

    def _pos(self, unit_id: int) -> int:
        index = int(self.units.index_of(unit_id)[0])
        if index < 0 or self.units.pos[index] < 0:
            raise KeyError(f"unit {unit_id} has no stored results (a leaf, or not in the tree)")
        return int(self.units.pos[index])

    def index(self, measure: str, period: str) -> tuple[int, int]:
        return self._measure_at[measure], self._period_at[period]

    def cell(self, unit_id: int, measure: str, period: str) -> CellResult:
        u, (m, p) = self._pos(unit_id), self.index(measure, period)
        part = self.effective(np.array([u]))[:, 0, m, p]
        return CellResult(
            unit_id, measure, period, VERDICTS[self.verdict[u, m, p]], *map(int, part)
        )

    def rows(self) -> Iterator[CellResult]:
        """Every cell, unit by unit (for storage; large: units × measures × periods)."""
        eff = self.effective()
        for u, unit_id in enumerate(self.units.kept_ids.tolist()):
            for m, measure in enumerate(self.measures):
                for p, period in enumerate(self.periods):
                    part = eff[:, u, m, p].tolist()
                    verdict = VERDICTS[self.verdict[u, m, p]]
                    yield CellResult(unit_id, measure.code, period, verdict, *part)

    def counts(self) -> dict[str, int]:
        found = np.bincount(self.verdict.ravel(), minlength=3)
        return {str(VERDICTS[i]): int(found[i]) for i in range(3)}

    # -- incremental ---------------------------------------------------------------------------

    def _link(self, u: int, m: int, p: int) -> Link:
        state = self.own_state[u, m, p]
        own = None if state == NO_OWN else (int(self.own[0, u, m, p]), int(self.own[1, u, m, p]))
        if state == OWN_INCOMPLETE:
            own = (None, None)
        below = tuple(int(x) for x in self.below[:, u, m, p])
        return Link(below, own, bool(self.reporter[u, m]))  # type: ignore[arg-type]

    def _store(self, u: int, m: int, p: int, link: Link) -> None:
        self.below[:, u, m, p] = link.below
        part = leaf_part(link.own) if link.own is not None else (0, 0, 0, 0)
        self.own[:, u, m, p] = part[:2]
        self.own_state[u, m, p] = (
            NO_OWN if link.own is None else OWN_COMPLETE if part[2] else OWN_INCOMPLETE
        )

    def route(self, unit_id: int, new: Figure, old: Figure = None):
        """Where a change enters: (kept positions from there to the root, delta, own) or None.

        A leaf's change adds (new − old) to its parent's below sums (the caller gives the
        replaced figure: it is the stored observation); a kept unit's own figure is replaced.
        """
        index = int(self.units.index_of(unit_id)[0])
        if index < 0:
            return None  # not in the tree on this date: counts nowhere, as in the engine
        if not self.units.leaf[index]:
            return self.units.chain(int(self.units.pos[index])), None, new
        delta = add(leaf_part(new), leaf_part(old), -1)
        if delta == (0, 0, 0, 0):
            return None
        return self.units.chain(int(self.units.parent_pos[index])), delta, KEEP

    def judge_parts(self, at: Sequence[int], m: int, parts: Sequence) -> np.ndarray:
        """Verdict codes of kept units `at` for measure m, given their effective parts."""
        return self.thresholds.judge_parts(parts, self.units.type_idx[np.asarray(at)], m)

    def apply(
        self, unit_id: int, measure: str, period: str, new: Figure, old: Figure = None
    ) -> list[CellResult]:
        """One figure of `unit_id` changed from `old` to `new` (None: no figure).

        Only the cells on the path to the root whose effective sums moved are re-judged and
        returned.
        """
        m, p = self._measure_at[measure], self._period_at[period]
        route = self.route(unit_id, new, old)
        if route is None:
            return []
        chain, delta, own = route
        links = [self._link(u, m, p) for u in chain]
        moved = []
        for i, link, changed in propagate(links, delta, own):
            self._store(chain[i], m, p, link)
            if changed:
                moved.append((chain[i], link.effective()))
        if not moved:
            return []
        at = [u for u, _ in moved]
        verdicts = self.judge_parts(at, m, [part for _, part in moved])
        self.verdict[at, m, p] = verdicts
        return [
            CellResult(int(self.units.kept_ids[u]), measure, period, VERDICTS[v], *part)
            for (u, part), v in zip(moved, verdicts, strict=True)
        ]
