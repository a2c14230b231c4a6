"""Response shapes of evaluation results and the rounds they belong to."""

import datetime as dt
from typing import Any

from ninja import Field, Schema


class RoundOut(Schema):
    number: int
    name: str


class ResultOut(Schema):
    id: int
    unit: str
    unit_name: str
    catalog: str
    catalog_version: str
    as_of: dt.date
    period: str
    round: RoundOut | None
    verdict: str = Field(..., description="met, not_met hoặc no_data.")
    recognisable: bool | None
    met_count: int
    total_count: int
    trigger: str
    computed_at: dt.datetime
    result: dict[str, Any] = Field(
        ..., description="Cây kết quả như `tieuchi evaluate --format json` (docs/cli.md)."
    )

    @staticmethod
    def resolve_unit(run) -> str:
        return run.unit.official_code

    @staticmethod
    def resolve_unit_name(run) -> str:
        return run.unit.name

    @staticmethod
    def resolve_catalog(run) -> str:
        return run.catalog.key

    @staticmethod
    def resolve_catalog_version(run) -> str:
        return run.catalog.version

    @staticmethod
    def resolve_round(run):
        if run.round_id is None:
            return None
        return {"number": run.round.number, "name": run.round.name}
