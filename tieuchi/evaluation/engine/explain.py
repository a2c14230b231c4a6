"""Vietnamese wording of the engine: numbers (87,5 / 1.234), dates, comparators, threshold labels."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from tieuchi.core.formatting import vn_number  # pure Python: no Django import

from .types import Number, ThresholdDef

SYMBOL = {"gte": "≥", "gt": ">", "lte": "≤", "lt": "<", "eq": "="}
NEGATION = {"gte": "<", "gt": "≤", "lte": ">", "lt": "≥", "eq": "≠"}

UNIT_TYPE_LABELS = {
    "tinh": "tỉnh",
    "thanh_pho_tw": "thành phố trực thuộc Trung ương",
    "quan": "quận",
    "huyen": "huyện",
    "thi_xa": "thị xã",
    "thanh_pho_thuoc_tinh": "thành phố thuộc tỉnh",
    "phuong": "phường",
    "xa": "xã",
    "thi_tran": "thị trấn",
    "dac_khu": "đặc khu",
    "to_dan_pho": "tổ dân phố",
    "thon": "thôn",
}

LAYER_NOUNS = {
    "national": "ngưỡng",
    "programme": "chỉ tiêu chương trình",
    "city": "chỉ tiêu của thành phố",
    "district": "chỉ tiêu của quận",
    "ward": "chỉ tiêu của phường",
}

_DOC_NUMBER = re.compile(r"^(\d+)/(\d{4})/([A-ZĐ]+)-")


def D(value: Number | str | None) -> Decimal | None:
    """A Decimal from a number (floats through their shortest text, so 0.1 stays 0.1)."""
    if value is None or value == "":
        return None
    if isinstance(value, Decimal):
        return value
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def num(value: Number | None, decimals: int = 2) -> str:
    """87,5 · 1.234 · 66,67 (at most `decimals` places, trailing zeros dropped)."""
    if value is None:
        return "?"
    return vn_number(D(value), decimals)


def close_num(value: Decimal, other: Decimal) -> str:
    """`value` with enough places not to look equal to `other` when it is not (89,9999 ≠ 90)."""
    for decimals in (2, 4, 6):
        text = num(value, decimals)
        if value == other or text != num(other, decimals):
            return text
    return num(value, 10)


def quantity(value: Number | None, unit: str = "", other: Number | None = None) -> str:
    """A value with its unit: "78,5%", "12 vụ", "75.000.000 VND/người/năm"."""
    number = D(value)
    if number is None:
        return "?"
    other_number = D(other)
    text = close_num(number, other_number) if other_number is not None else num(number)
    if not unit:
        return text
    return f"{text}{unit}" if unit == "%" else f"{text} {unit}"


def fraction(numerator: Number | None, denominator: Number | None, noun: str = "") -> str:
    """ "157/200 người" """
    text = f"{num(numerator)}/{num(denominator)}"
    return f"{text} {noun}" if noun else text


def date_vn(day: dt.date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else "?"


def unit_type_label(unit_type: str) -> str:
    return UNIT_TYPE_LABELS.get(unit_type, unit_type)


def short_doc(number: str) -> str:
    """ "04/2022/QĐ-TTg" → "QĐ 04/2022"; other numbers ("68/KH-UBND") are kept as written."""
    match = _DOC_NUMBER.match(number.strip())
    if match:
        return f"{match.group(3)} {match.group(1)}/{match.group(2)}"
    return number.strip()


QUALITATIVE = ("is_true", "zero", "held", "level_gte")


def threshold_label(threshold: ThresholdDef) -> str:
    """ "ngưỡng thị trấn theo QĐ 04/2022", "chỉ tiêu của phường theo 68/KH-UBND".

    A national requirement without a number (is_true, zero, held, level_gte) is "căn cứ …".
    """
    if threshold.layer == "national" and threshold.comparator in QUALITATIVE:
        return f"căn cứ {short_doc(threshold.source)}" if threshold.source else ""
    label = LAYER_NOUNS.get(threshold.layer, f"chỉ tiêu {threshold.layer}")
    if threshold.unit_type and threshold.unit_type != "any":
        type_label = unit_type_label(threshold.unit_type)
        label = (
            f"{label} {type_label}" if threshold.layer == "national" else f"{label} ({type_label})"
        )
    if threshold.source:
        label = f"{label} theo {short_doc(threshold.source)}"
    return label


def layer_title(layer: str) -> str:
    """The layer as a heading: "Ngưỡng quốc gia", "Chỉ tiêu của phường"."""
    if layer == "national":
        return "ngưỡng quốc gia"
    return LAYER_NOUNS.get(layer, f"chỉ tiêu {layer}")


def requirement(threshold: ThresholdDef, unit: str = "") -> str:
    """The requirement in short: "≥ 80%", "25–30%", "không tăng so với năm trước"."""
    comparator = threshold.comparator
    value, value_max = D(threshold.value), D(threshold.value_max)
    if comparator in SYMBOL:
        return f"{SYMBOL[comparator]} {quantity(value, unit)}"
    if comparator == "between":
        return f"{num(value)}–{quantity(value_max, unit)}"
    if comparator == "maintain":  # a count kept, even on a ratio measure ("duy trì 7/8 trường")
        return f"duy trì {quantity(value, '' if unit == '%' else unit)}"
    if comparator == "streak_gte":
        return f"≥ {quantity(value, unit)}"
    if comparator == "reduction_gte":
        return f"giảm ≥ {num(value)}%"
    if comparator == "reduction_between":
        return f"giảm {num(value)}–{num(value_max)}%"
    if comparator in ("lte_previous", "lt_previous"):
        return (
            "không tăng so với năm trước"
            if comparator == "lte_previous"
            else "giảm so với năm trước"
        )
    if comparator.endswith("_benchmark"):
        symbol = SYMBOL.get(comparator.removesuffix("_benchmark"), comparator)
        return f"{symbol} {threshold.benchmark or 'mức chuẩn'}"
    if comparator in ("level_gte", "held") and threshold.level:
        return f"từ {threshold.level} trở lên"
    if comparator == "held":
        return "có danh hiệu còn hiệu lực"
    if comparator == "zero":
        return "không để xảy ra"
    if comparator == "is_true":
        return "được xác nhận"
    return comparator or "?"


def join_names(names: list[str] | tuple[str, ...]) -> str:
    return ", ".join(names)


def natural_key(text: str) -> tuple:
    """Sort "TDP 7" before "TDP 13"."""
    return tuple(int(part) if part.isdigit() else part for part in re.split(r"(\d+)", text))
