"""Thresholds as arrays, and verdicts for many cells at once, exactly as the engine decides them.

For each (unit type, measure) the engine's own `applicable` picks the judging layer and its
thresholds; they are stored as up to K slots of (comparator, p, q) with the target value p/q.
Comparing Σnum × 100 ÷ Σden with p/q is done as Σnum × 100 × q against p × Σden in int64, so a
ratio equal to the target is never lost to floating-point rounding (80/100 ≥ 80% is met).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from tieuchi.evaluation.engine import MeasureDef, ThresholdDef, Verdict
from tieuchi.evaluation.engine.explain import D
from tieuchi.evaluation.engine.thresholds import applicable

# Verdict codes in the state arrays.
NO_DATA, MET, NOT_MET = 0, 1, 2
VERDICTS = (Verdict.NO_DATA, Verdict.MET, Verdict.NOT_MET)

# Comparator codes; 0 is an empty slot. A range ("between") is met from its lower bound.
GTE, GT, LTE, LT, EQ, MAINTAIN, NO_VALUE = 1, 2, 3, 4, 5, 6, 7
COMPARATORS = {"gte": GTE, "between": GTE, "streak_gte": GTE, "gt": GT, "lte": LTE, "lt": LT}
COMPARATORS |= {"eq": EQ, "maintain": MAINTAIN}
SUPPORTED_AGGREGATIONS = ("", "none", "all", "ratio_of_sums")
_LIMIT = 2**62


class UnsupportedMeasure(ValueError):
    """A measure the batch path does not evaluate; the per-unit engine judges it instead."""


def check_measure(measure: MeasureDef) -> None:
    if measure.kind != "ratio":
        raise UnsupportedMeasure(f"{measure.code}: kind {measure.kind!r} is not a ratio")
    if measure.aggregation not in SUPPORTED_AGGREGATIONS:
        raise UnsupportedMeasure(f"{measure.code}: aggregation {measure.aggregation!r}")


def supported(
    measures: Sequence[MeasureDef], type_names: Sequence[str], extra: Sequence[ThresholdDef] = ()
) -> list[MeasureDef]:
    """The measures the batch path judges for these unit types; the engine keeps the others."""
    found = []
    for measure in measures:
        try:
            ThresholdTable([measure], type_names, extra)
        except UnsupportedMeasure:
            continue
        found.append(measure)
    return found


class ThresholdTable:
    """code, p, q: int64 arrays [unit type, measure, slot]; `layers[t][m]` the judging layer."""

    def __init__(
        self,
        measures: Sequence[MeasureDef],
        type_names: Sequence[str],
        extra: Sequence[ThresholdDef] = (),
    ):
        chosen: list[list[list[ThresholdDef]]] = []
        self.layers: list[list[str | None]] = []
        for unit_type in type_names:
            row, layers = [], []
            for measure in measures:
                check_measure(measure)
                found = applicable(measure, tuple(extra), unit_type)
                layer = found.judging_layer
                layers.append(layer)
                row.append(list(found.by_layer[layer]) if layer else [])
            chosen.append(row)
            self.layers.append(layers)
        slots = max((len(ts) for row in chosen for ts in row), default=0) or 1
        shape = (len(type_names), len(measures), slots)
        self.code = np.zeros(shape, dtype=np.int64)
        self.p = np.zeros(shape, dtype=np.int64)
        self.q = np.ones(shape, dtype=np.int64)
        for t, row in enumerate(chosen):
            for m, thresholds in enumerate(row):
                for k, threshold in enumerate(thresholds):
                    self._set(t, m, k, threshold, measures[m].code)

    def _set(self, t: int, m: int, k: int, threshold: ThresholdDef, code: str) -> None:
        comparator = COMPARATORS.get(threshold.comparator)
        if comparator is None:
            raise UnsupportedMeasure(f"{code}: comparator {threshold.comparator!r}")
        value = D(threshold.value)
        if value is None:
            self.code[t, m, k] = NO_VALUE
            return
        p, q = value.as_integer_ratio()
        if abs(p) >= _LIMIT or q >= _LIMIT:
            raise UnsupportedMeasure(f"{code}: threshold {value} has too many digits")
        self.code[t, m, k], self.p[t, m, k], self.q[t, m, k] = comparator, p, q

    def judge_parts(self, parts: Sequence, t, m) -> np.ndarray:
        """Verdict codes of cells given their effective parts (Σnum, Σden, reported, expected)."""
        num, den, rep, exp = (
            np.array(column, dtype=np.int64) for column in zip(*parts, strict=True)
        )
        return self.judge(num, den, rep, exp, np.asarray(t), m)

    def judge(self, num, den, rep, exp, t, m) -> np.ndarray:
        """Verdict codes for cells; t and m (unit type and measure index) broadcast to num.

        Like the engine: no data unless every expected reporter reported a complete figure and
        Σden ≠ 0; then not met if any threshold of the judging layer fails, met if all pass, no
        data when there is no threshold (or one without a value) and none fails.
        """
        known = (rep == exp) & (den != 0)
        sign = np.where(den < 0, -1, 1)
        code, p, q = self.code[t, m], self.p[t, m], self.q[t, m]
        exact = _fits(num, den, p, q)
        num_s = _cast(num * sign, exact)
        den_s = _cast(den * sign, exact)
        any_slot = np.zeros(np.shape(known), dtype=bool)
        failed, unknown = any_slot.copy(), any_slot.copy()
        for k in range(code.shape[-1]):
            c, pk, qk = code[..., k], _cast(p[..., k], exact), _cast(q[..., k], exact)
            lhs, rhs = num_s * 100 * qk, pk * den_s
            ok = np.select(
                [c == GTE, c == GT, c == LTE, c == LT, c == EQ, c == MAINTAIN],
                [
                    lhs >= rhs,
                    lhs > rhs,
                    lhs <= rhs,
                    lhs < rhs,
                    lhs == rhs,
                    _cast(num, exact) * qk >= pk,
                ],
                False,
            ).astype(bool)
            has = c > 0
            slot_unknown = has & (~known | (c == NO_VALUE))
            failed |= has & ~slot_unknown & ~ok
            unknown |= slot_unknown
            any_slot |= has
        met = any_slot & ~unknown
        return np.where(failed, NOT_MET, np.where(met, MET, NO_DATA)).astype(np.int8)


def _fits(num, den, p, q) -> bool:
    """Whether Σnum × 100 × q and p × Σden stay inside int64 for these cells."""
    big_num = int(np.max(np.abs(num), initial=0)) * 100 * int(np.max(q, initial=1))
    big_den = int(np.max(np.abs(den), initial=0)) * int(np.max(np.abs(p), initial=0))
    return max(big_num, big_den) < _LIMIT


def _cast(values, exact: bool):
    """int64 when products fit, else Python integers (object arrays): slower, still exact."""
    return np.asarray(values, dtype=np.int64 if exact else object)
