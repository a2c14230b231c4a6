"""The heat map's cells, written in one call per ward: a district of 100 wards has 900 cells, and
the template language (or format_html) would resolve and escape a dozen values in each. Every
text is escaped once (`_escaped` remembers criteria names and verdict labels across rows). The
HTML is the evaluation matrix's cell: colour class, symbol, verdict in words, sub-criteria met."""

from functools import lru_cache

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

register = template.Library()

CELL = (
    '<td class="cell"><a class="verdict-{verdict}" href="{href}#criterion-{code}"'
    ' title="{unit} – {code}. {name}: {label}"><span aria-hidden="true">{symbol}</span>'
    ' {short}<span class="sub">{met}/{total}</span></a></td>'
)
EMPTY = '<td class="cell"><span class="muted">{}</span></td>'


@lru_cache(maxsize=4096)
def _escaped(text: str) -> str:
    return str(escape(text))


@register.filter
def heatmap_cells(line, query: str):
    """The `<td>` of every criterion of one `WardLine`; `query` picks the scorecard's run."""
    href = _escaped(f"{line.scorecard_url}?{query}")
    unit = _escaped(line.unit.name)
    cells = []
    for column, cell in line.row.cells:
        if cell is None:
            cells.append(EMPTY.format(_escaped(_("Chưa có"))))
            continue
        verdict = cell.verdict
        cells.append(
            CELL.format(
                verdict=_escaped(verdict.code),
                href=href,
                code=_escaped(cell.code),
                unit=unit,
                name=_escaped(column.name),
                label=_escaped(str(verdict.label)),
                symbol=_escaped(verdict.symbol),
                short=_escaped(str(verdict.short)),
                met=int(cell.met_count),
                total=int(cell.total_count),
            )
        )
    return mark_safe("".join(cells))  # noqa: S308 - every value above is escaped or an int
