"""Batch evaluation of ratio measures for every unit at once, and incremental updates.

The per-unit engine (`tieuchi.evaluation.engine`) explains one unit in Vietnamese; this package
computes the same sums and verdicts for a whole country: a full recompute over a figure snapshot
(DuckDB for the big join and sum, numpy above the communes) and then incremental updates along
one unit's path to the root. Pure: no Django. See docs/architecture.md, "Evaluation engine design".

    units = UnitTable.from_units(unit_infos)
    state = evaluate_full(duckdb.connect(), "read_parquet('figures-*.parquet')", units,
                          measures, periods)
    state.cell(unit_id, "1.2", "2025-03")          # CellResult(verdict, numerator, …)
    state.apply(tdp_id, "1.2", "2025-03", new=(157, 200), old=(150, 200))  # re-judged cells
"""

from .full import evaluate_full, register_arrays, register_figures
from .incremental import Link, below_of, leaf_part, propagate, refresh
from .state import CellResult, State
from .thresholds import VERDICTS, ThresholdTable, UnsupportedMeasure, check_measure, supported
from .units import UnitTable

__all__ = [
    "VERDICTS",
    "CellResult",
    "Link",
    "State",
    "ThresholdTable",
    "UnitTable",
    "UnsupportedMeasure",
    "check_measure",
    "evaluate_full",
    "below_of",
    "leaf_part",
    "propagate",
    "refresh",
    "register_arrays",
    "register_figures",
    "supported",
]
