"""A deterministic national data set for bench/evaluate.py, written as Parquet.

Full size (scale 1.0): 34 provinces, 3,321 communes (phường / xã / thị trấn), about 100,000
TDP/thôn (5–55 per commune, 30 on average), 60 ratio indicators, 12 monthly periods: about 72M
figures. `scale` shrinks the number of communes (and so of TDPs); the 34 provinces stay while
there are at least 34 communes. About 0.1% of the monthly TDP reports are missing and a few
figures lack their numerator, so some communes and most provinces have no data somewhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import duckdb
import numpy as np

from tieuchi.evaluation.engine import MeasureDef, ThresholdDef

COMMUNES, PROVINCES, MEASURES, YEAR = 3321, 34, 60, 2025
MISSING_REPORT, MISSING_NUMERATOR = 0.001, 0.00001


@dataclass
class Dataset:
    directory: Path
    measures: list[MeasureDef]
    periods: list[str]
    units: int
    communes: int
    provinces: int
    leaves: int
    values: int

    @property
    def units_parquet(self) -> str:
        return str(self.directory / "units.parquet")

    @property
    def figures_parquet(self) -> str:
        return str(self.directory / "figures-*.parquet")

    def read_figures(self) -> str:
        return f"read_parquet('{self.figures_parquet}')"


def measures() -> list[MeasureDef]:
    """60 ratio indicators: three in four "≥ x%" (stricter for a phường), one in four "≤ 5%"."""
    found = []
    for i in range(MEASURES):
        if i % 4 == 3:
            thresholds = (ThresholdDef(comparator="lte", value=Decimal(5)),)
        else:
            base = Decimal(70 + 5 * (i % 5))
            thresholds = (ThresholdDef(comparator="gte", value=base),)
            if i % 2 == 0:
                thresholds += (ThresholdDef(comparator="gte", value=base + 5, unit_type="phuong"),)
            thresholds += (
                ThresholdDef(layer="ward", comparator="between", value=base, value_max=base + 8),
            )
        found.append(
            MeasureDef(
                code=f"{i // 6 + 1}.{i % 6 + 1}",
                name=f"Chỉ số {i + 1}",
                kind="ratio",
                unit="%",
                collected_at="residential_group",
                thresholds=thresholds,
            )
        )
    return found


def _units(rng: np.random.Generator, scale: float):
    communes = max(1, round(COMMUNES * scale))
    provinces = min(PROVINCES, communes)
    province_of = np.sort(
        np.concatenate([np.arange(provinces), rng.integers(0, provinces, communes - provinces)])
    )
    commune_type = rng.choice(["phuong", "xa", "thi_tran"], size=communes, p=[0.35, 0.6, 0.05])
    kids = rng.integers(5, 56, size=communes)
    leaf_commune = np.repeat(np.arange(communes), kids)
    leaf_type = np.where(np.isin(commune_type[leaf_commune], ["xa"]), "thon", "to_dan_pho")
    ids = np.concatenate(
        [
            [1],
            100 + np.arange(provinces),
            10_000 + np.arange(communes),
            1_000_000 + np.arange(len(leaf_commune)),
        ]
    )
    parents = np.concatenate(
        [[-1], np.ones(provinces, np.int64), 100 + province_of, 10_000 + leaf_commune]
    )
    types = np.concatenate(
        [
            ["quoc_gia"],
            np.where(np.arange(provinces) < 6, "thanh_pho_tw", "tinh"),
            commune_type,
            leaf_type,
        ]
    )
    return ids.astype(np.int64), parents.astype(np.int64), types.astype(object), leaf_commune


def generate(directory: Path, scale: float = 0.1, seed: int = 2025) -> Dataset:
    rng = np.random.default_rng(seed)
    ids, parents, types, leaf_commune = _units(rng, scale)
    found = measures()
    periods = [f"{YEAR}-{month:02}" for month in range(1, 13)]
    leaves = len(leaf_commune)
    leaf_ids = ids[-leaves:]
    communes = int(leaf_commune.max()) + 1
    # True rates per commune and indicator, around the national threshold so verdicts vary.
    centre = np.array([5.0 if i % 4 == 3 else 72.0 + 5 * (i % 5) for i in range(MEASURES)])
    spread = np.array([2.0 if i % 4 == 3 else 6.0 for i in range(MEASURES)])
    commune_rate = rng.normal(centre, spread, size=(communes, MEASURES))
    leaf_rate = commune_rate[leaf_commune] + rng.normal(0, 3, size=(leaves, MEASURES))
    leaf_rate = np.clip(leaf_rate / 100, 0, 1)
    con = duckdb.connect()
    con.register("units", {"unit_id": ids, "parent_id": parents, "unit_type": types})
    units_path = directory / "units.parquet"
    con.execute(
        "COPY (SELECT unit_id, nullif(parent_id, -1) AS parent_id, unit_type FROM units) "
        f"TO '{units_path}' (FORMAT parquet)"
    )
    values = 0
    for period in range(len(periods)):
        den = rng.integers(20, 400, size=(leaves, MEASURES), dtype=np.int64)
        num = rng.binomial(den, leaf_rate)
        reported = np.repeat(rng.random(leaves) >= MISSING_REPORT, MEASURES)
        chunk = {
            "unit_id": np.repeat(leaf_ids, MEASURES)[reported],
            "measure": np.tile(np.arange(MEASURES, dtype=np.int16), leaves)[reported],
            "numerator": num.ravel()[reported],
            "denominator": den.ravel()[reported],
            "complete": rng.random(int(reported.sum())) >= MISSING_NUMERATOR,
        }
        values += len(chunk["unit_id"])
        con.register("chunk", chunk)
        con.execute(
            f"COPY (SELECT unit_id, measure::SMALLINT AS measure, {period}::SMALLINT AS period, "
            "CASE WHEN complete THEN numerator::INTEGER END AS numerator, "
            "denominator::INTEGER AS denominator FROM chunk) "
            f"TO '{directory / f'figures-{period:02}.parquet'}' (FORMAT parquet)"
        )
        con.unregister("chunk")
        del chunk, num, den, reported
    con.close()
    return Dataset(
        directory=directory,
        measures=found,
        periods=periods,
        units=len(ids),
        communes=communes,
        provinces=int((types == "tinh").sum() + (types == "thanh_pho_tw").sum()),
        leaves=leaves,
        values=values,
    )
