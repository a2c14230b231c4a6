"""How verdicts and figures read on the pages: label, short label and symbol of a verdict, the
name of a target layer, and one measure's figures in Vietnamese number format."""

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from tieuchi.catalog.models import Layer
from tieuchi.core.formatting import vn_number
from tieuchi.evaluation.models import Verdict

# A symbol next to every verdict, so it never rests on colour alone (nor on the symbol alone).
SYMBOLS = {Verdict.MET: "✓", Verdict.NOT_MET: "✗", Verdict.NO_DATA: "?"}


@dataclass(frozen=True)
class VerdictView:
    code: str
    label: str
    short: str
    symbol: str


def verdict_view(code: str) -> VerdictView:
    """Label, short label and symbol of a verdict in the active language."""
    return _verdict_view(get_language(), code)


@lru_cache(maxsize=64)
def _verdict_view(language: str | None, code: str) -> VerdictView:
    """Once per (language, verdict): pages ask for every cell, and gettext is not free."""
    labels = {
        Verdict.MET: (_("Đạt"), _("Đạt")),
        Verdict.NOT_MET: (_("Chưa đạt"), _("Chưa đạt")),
        Verdict.NO_DATA: (_("Chưa đủ dữ liệu"), _("Thiếu dữ liệu")),
    }
    label, short = labels.get(code, labels[Verdict.NO_DATA])
    return VerdictView(code=code, label=label, short=short, symbol=SYMBOLS.get(code, "?"))


def layer_label(layer: str) -> str:
    labels = {
        Layer.NATIONAL: _("Ngưỡng quốc gia"),
        Layer.CITY: _("Chỉ tiêu thành phố"),
        Layer.DISTRICT: _("Chỉ tiêu quận"),
        Layer.WARD: _("Chỉ tiêu phường"),
        Layer.PROGRAMME: _("Chỉ tiêu chương trình"),
    }
    return labels.get(layer, layer)


def figure_text(figures: dict) -> tuple[str, str]:
    """(fraction or value, percent) for one measure, in Vietnamese number format: ("7/8", "87,5%")."""
    if figures.get("numerator") is not None and figures.get("denominator") is not None:
        fraction = f"{vn_number(figures['numerator'])}/{vn_number(figures['denominator'])}"
        value = figures.get("value")
        return fraction, f"{vn_number(value, 2)}%" if value is not None else ""
    if "events" in figures:
        return _("%(n)s vụ việc") % {"n": figures["events"]}, ""
    if figures.get("previous_value") is not None:
        text = _("%(value)s (năm trước %(previous)s)")
        values = {
            "value": vn_number(figures["value"]),
            "previous": vn_number(figures["previous_value"]),
        }
        return text % values, ""
    if figures.get("benchmark") is not None and figures.get("value") is not None:
        values = {
            "value": vn_number(figures["value"]),
            "benchmark": vn_number(figures["benchmark"]),
        }
        return _("%(value)s (mức chuẩn %(benchmark)s)") % values, ""
    if figures.get("reduction_percent") is not None:
        return _("giảm %(p)s%%") % {"p": vn_number(figures["reduction_percent"], 2)}, ""
    if figures.get("level"):
        return str(figures["level"]), ""
    if "title_code" in figures:
        valid_to = figures.get("valid_to")
        if not valid_to:
            return (_("có hiệu lực") if figures.get("valid_from") else ""), ""
        day = dt.date.fromisoformat(valid_to)
        return _("hiệu lực đến %(day)s") % {"day": day.strftime("%d/%m/%Y")}, ""
    if "boolean" in figures:
        return (_("Có") if figures["boolean"] else _("Không")), ""
    if figures.get("value") is not None:
        return vn_number(figures["value"], 2), ""
    return "", ""
