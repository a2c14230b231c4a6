"""Reading the aggregate sets for people: "Diễn biến theo tháng" of one unit, and a drill-down of
one indicator into the unit's direct sub-units (page, .xlsx download).

A fixed number of queries whatever the number of indicators, periods and sub-units: the unit's
sets, its rows, and for a drill-down its sub-units, their rows and the TDPs' own figures (a TDP
has no row: its figure is summed into its ward; here it is judged alone by the same thresholds).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from tieuchi.catalog.models import Catalog
from tieuchi.collection.models import Observation
from tieuchi.core.formatting import vn_number
from tieuchi.evaluation import batch
from tieuchi.evaluation.aggregates import counted, measure_definitions, year_periods
from tieuchi.evaluation.batch.full import integral
from tieuchi.evaluation.batch.thresholds import VERDICTS
from tieuchi.evaluation.engine.rollup import ratio_percent
from tieuchi.evaluation.models import MeasureAggregate
from tieuchi.evaluation.verdict_display import VerdictView, verdict_view
from tieuchi.orgs.models import AdminUnit


@dataclass(frozen=True)
class Cell:
    period: str
    verdict: VerdictView
    numerator: int
    denominator: int
    reported: int
    expected: int

    @property
    def percent_value(self) -> Decimal | None:
        if not self.denominator or not self.expected:
            return None
        return ratio_percent(Decimal(self.numerator), Decimal(self.denominator))

    @property
    def percent(self) -> str:
        """ "87,5%" (partial sums are shown too, the verdict says whether they count)."""
        value = self.percent_value
        return "" if value is None else f"{vn_number(value, 2)}%"

    @property
    def fraction(self) -> str:
        if not self.expected or not (self.reported or self.denominator):
            return ""
        return f"{vn_number(self.numerator)}/{vn_number(self.denominator)}"

    @property
    def reporters(self) -> str:
        return f"{self.reported}/{self.expected}"


@dataclass
class Line:
    """One indicator of the unit, or one sub-unit for the chosen indicator: cells by period."""

    code: str
    name: str
    cells: list[Cell | None]
    unit: AdminUnit | None = None


@dataclass
class Monthly:
    unit: AdminUnit
    catalog: Catalog
    as_of: dt.date | None
    sets: list[dt.date]
    periods: tuple[str, ...] = ()
    lines: list[Line] = field(default_factory=list)
    measure: Line | None = None  # the chosen indicator, for the drill-down
    children: list[Line] = field(default_factory=list)


def period_label(period: str) -> str:
    if len(period) == 4:
        return _("Năm %(year)s") % {"year": period}
    year, part = period.split("-")
    if part.startswith("Q"):
        return _("Quý %(q)s") % {"q": part[1:]}
    return _("Th%(m)s") % {"m": int(part)}


def shown_periods(year: int) -> tuple[str, ...]:
    """The 12 months, then the quarters, then the year."""
    periods = year_periods(year)
    return (*periods[5:], *periods[1:5], periods[0])


def code_order(code: str) -> tuple:
    """ "8.4a" after "8.3" and "10.1" after "9.2": numbers compare as numbers."""
    return tuple(int(part) if part.isdigit() else part for part in re.findall(r"\d+|\D+", code))


def _cell(row: MeasureAggregate) -> Cell:
    return Cell(row.period, verdict_view(row.verdict), *row.part)


def monthly(
    unit: AdminUnit, catalog: Catalog, as_of: dt.date | None, measure_code: str = ""
) -> Monthly:
    """The unit's table for the set (catalog, as_of); the newest set when `as_of` is None."""
    sets = sorted(
        set(
            MeasureAggregate.objects.filter(catalog=catalog, unit=unit).values_list(
                "as_of", flat=True
            )
        ),
        reverse=True,
    )
    if as_of is None and sets:
        as_of = sets[0]
    result = Monthly(unit, catalog, as_of, sets)
    if as_of is None or as_of not in sets:
        return result
    result.periods = shown_periods(as_of.year)
    rows = MeasureAggregate.objects.filter(catalog=catalog, as_of=as_of, unit=unit)
    result.lines = _lines(rows.select_related("measure"), result.periods, by_unit=False)
    result.measure = next((line for line in result.lines if line.code == measure_code), None)
    if result.measure is not None:
        result.children = _children(unit, catalog, as_of, measure_code, result.periods)
    return result


def _lines(rows, periods, *, by_unit: bool) -> list[Line]:
    at = {period: i for i, period in enumerate(periods)}
    lines: dict[int, Line] = {}
    for row in rows:
        key = row.unit_id if by_unit else row.measure_id
        line = lines.get(key)
        if line is None:
            if by_unit:
                line = Line(row.unit.official_code, row.unit.name, [None] * len(periods), row.unit)
            else:
                line = Line(row.measure.code, row.measure.name, [None] * len(periods))
            lines[key] = line
        line.cells[at[row.period]] = _cell(row)
    return sorted(lines.values(), key=lambda line: code_order(line.code))


def _children(unit, catalog, as_of, code: str, periods) -> list[Line]:
    kids = list(AdminUnit.objects.valid_on(as_of).filter(parent=unit))
    rows = MeasureAggregate.objects.filter(
        catalog=catalog, as_of=as_of, unit__in=kids, measure__code=code
    ).select_related("unit", "measure")
    lines = _lines(rows, periods, by_unit=True)
    with_rows = {line.unit.pk for line in lines}
    leaves = [kid for kid in kids if kid.pk not in with_rows]
    if leaves:
        lines += _leaf_lines(leaves, catalog, as_of, code, periods)
    return sorted(lines, key=lambda line: (line.unit.path, line.unit.official_code))


def _leaf_lines(leaves, catalog, as_of, code: str, periods) -> list[Line]:
    """TDPs: their own figures, each judged alone by the thresholds of its type."""
    definition = measure_definitions(catalog)[code]
    figures = {
        (unit_id, period): (num, den)
        for unit_id, period, num, den in counted(
            Observation.objects.filter(
                unit__in=leaves,
                measure__node__catalog=catalog,
                measure__code=code,
                period__in=periods,
                period_start__lte=as_of,
            )
        ).values_list("unit_id", "period", "numerator", "denominator")
    }
    types = sorted({leaf.unit_type for leaf in leaves})
    table = batch.ThresholdTable([definition], types)
    lines = []
    for leaf in leaves:
        parts = []
        for period in periods:
            figure = figures.get((leaf.pk, period))
            try:
                whole = None if figure is None else (integral(figure[0]), integral(figure[1]))
            except ValueError:
                whole = None
            parts.append(batch.leaf_part(whole))
        verdicts = table.judge_parts(parts, [types.index(leaf.unit_type)] * len(parts), 0)
        cells = [
            Cell(period, verdict_view(str(VERDICTS[v])), *part)
            for period, part, v in zip(periods, parts, verdicts, strict=True)
        ]
        lines.append(Line(leaf.official_code, leaf.name, cells, leaf))
    return lines
