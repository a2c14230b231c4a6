"""Reading one cell of a filled-in template: Vietnamese numbers, Đạt / Chưa đạt, grades.

Pure functions (no Django): every refusal raises `CellRejected` with the reason in Vietnamese,
which the validator turns into "Sheet 'Số liệu', dòng 14, cột F: <reason>". Numbers typed as text
follow the web form's rules (`tieuchi.collection.numbers`): "87,5", "1.234", "1.234,5", "87.5".
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

from tieuchi.collection.numbers import NumberError
from tieuchi.collection.numbers import parse_number as parse_typed_number

# Observation's DecimalFields: max_digits=16, decimal_places=4.
PLACES = Decimal("0.0001")
LIMIT = Decimal(10) ** 12

TRUE_WORDS = frozenset({"đạt", "dat", "có", "co", "x", "1", "true", "yes", "đúng"})
FALSE_WORDS = frozenset(
    {"chưa đạt", "chua dat", "không đạt", "khong dat", "không", "khong", "0", "false", "no"}
)
BOOLEAN_CHOICES = ("Đạt", "Chưa đạt")

_SPACES = re.compile(r"[\s\u00a0\u2009\u202f]+")


class CellRejected(ValueError):
    """The cell's content cannot be used; the message is the reason, in Vietnamese."""


class Figures(NamedTuple):
    """The values of one observation, as the template carries them."""

    numerator: Decimal | None = None
    denominator: Decimal | None = None
    value: Decimal | None = None
    boolean_value: bool | None = None
    level: str = ""

    @property
    def empty(self) -> bool:
        return (
            self.numerator is None
            and self.denominator is None
            and self.value is None
            and self.boolean_value is None
            and not self.level
        )

    def canonical(self) -> str:
        """A stable text of the figures ("n=700;d=760"): fingerprints and comparisons."""
        parts = []
        for name, number in (
            ("n", self.numerator),
            ("d", self.denominator),
            ("v", self.value),
        ):
            if number is not None:
                parts.append(f"{name}={decimal_text(number)}")
        if self.boolean_value is not None:
            parts.append(f"b={int(self.boolean_value)}")
        if self.level:
            parts.append(f"l={self.level}")
        return ";".join(parts)

    def as_json(self) -> dict:
        """Strings for numbers (exact), as in the audit log's snapshots."""
        return {
            "numerator": decimal_text(self.numerator),
            "denominator": decimal_text(self.denominator),
            "value": decimal_text(self.value),
            "boolean_value": self.boolean_value,
            "level": self.level,
        }

    def as_list(self) -> list:
        """The compact form kept in ImportBatch.rows: [numerator, denominator, value, boolean,
        level], numbers as exact text."""
        return [
            decimal_text(self.numerator),
            decimal_text(self.denominator),
            decimal_text(self.value),
            self.boolean_value,
            self.level,
        ]

    @classmethod
    def from_list(cls, data: list) -> Figures:
        numerator, denominator, value, boolean, level = data
        return cls(
            None if numerator is None else Decimal(numerator),
            None if denominator is None else Decimal(denominator),
            None if value is None else Decimal(value),
            boolean,
            level or "",
        )

    @classmethod
    def from_json(cls, data: dict | None) -> Figures:
        if not data:
            return cls()

        def number(key):
            text = data.get(key)
            return None if text is None or text == "" else Decimal(text)

        return cls(
            number("numerator"),
            number("denominator"),
            number("value"),
            data.get("boolean_value"),
            data.get("level") or "",
        )


def decimal_text(number: Decimal | None) -> str | None:
    """ "700" for 700.0000, "87.5" for 87.5000; None stays None."""
    if number is None:
        return None
    text = str(number)
    if "." not in text and "E" not in text and text != "-0":
        return text  # a whole number written plainly: most counts
    text = format(number.normalize(), "f")
    return "0" if text in {"-0", "0"} else text


def is_blank(raw) -> bool:
    return raw is None or (isinstance(raw, str) and not _SPACES.sub("", raw))


def shown(raw) -> str:
    """How a refused cell is quoted back to the user."""
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, dt.datetime):
        return raw.strftime("%d/%m/%Y %H:%M")
    if isinstance(raw, dt.date):
        return raw.strftime("%d/%m/%Y")
    return str(raw).strip()


def parse_number(raw) -> Decimal | None:
    """A number ≥ 0 from a cell: 87.5 (a number cell), "87,5", "1.234", "1.234,5", "87.5"."""
    if is_blank(raw):
        return None
    if isinstance(raw, bool):
        raise CellRejected(f"'{shown(raw)}' không phải là số.")
    if isinstance(raw, dt.date | dt.time | dt.timedelta):
        raise CellRejected(
            f"'{shown(raw)}' là ngày tháng, không phải là số (hãy định dạng ô là số)."
        )
    if isinstance(raw, int | float):
        if raw != raw or raw in (float("inf"), float("-inf")):
            raise CellRejected(f"'{shown(raw)}' không phải là số.")
        number = Decimal(repr(raw)) if isinstance(raw, float) else Decimal(raw)
    else:
        number = _parse_text(str(raw))
    if number < 0:
        raise CellRejected(f"'{shown(raw)}' là số âm; chỉ nhập số từ 0 trở lên.")
    if number >= LIMIT:
        raise CellRejected(f"'{shown(raw)}' quá lớn (tối đa 12 chữ số phần nguyên).")
    return number.quantize(PLACES, rounding=ROUND_HALF_UP)


def _parse_text(text: str) -> Decimal:
    """Typed text: the web form's rules (`collection.numbers`), so both channels agree."""
    try:
        number = parse_typed_number(text)
    except NumberError as error:
        raise CellRejected(str(error)) from error
    if number is None:
        raise CellRejected(f"'{text.strip()}' không phải là số.")
    return number


def norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def parse_boolean(raw) -> bool | None:
    """Đạt / Chưa đạt (also Không đạt, có/không, x, 1/0, TRUE/FALSE)."""
    if is_blank(raw):
        return None
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, int | float) and raw in (0, 1):
        return bool(raw)
    word = norm(str(raw))
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise CellRejected(f"'{shown(raw)}' không hợp lệ; chọn 'Đạt' hoặc 'Chưa đạt'.")


def parse_level(raw, scale: list[str]) -> str:
    """A grade of the measure's scale, returned as the catalog spells it."""
    if is_blank(raw):
        return ""
    wanted = norm(shown(raw))
    for item in scale:
        if norm(str(item)) == wanted:
            return str(item)
    if not scale:
        raise CellRejected("chỉ tiêu chưa có thang xếp loại; không nhập được mức.")
    raise CellRejected(
        f"'{shown(raw)}' không có trong thang xếp loại ({'; '.join(map(str, scale))})."
    )
