"""Numbers as officials type them: "87,5", "1.234", "1.234,5", " 90 % ", and "87.5" when unambiguous.

Vietnamese writing uses the dot to group thousands and the comma before decimals. A lone dot is
read as a thousands separator when what follows it is exactly three digits ("1.234" = 1234) and as
a decimal point otherwise ("87.5", "0.125"), because that is the only reading that makes sense.
Anything else is refused with a Vietnamese message naming what was typed.
"""

import re
from decimal import Decimal, InvalidOperation

from tieuchi.core.formatting import vn_number

_SPACES = re.compile(r"[\s\u00a0\u202f]+")
_SPACE_GROUPED = re.compile(r"[+-]?[1-9][0-9]{0,2}( [0-9]{3})+([.,][0-9]+)?")
_BODY = re.compile(r"[+-]?[0-9.,]+")


class NumberError(ValueError):
    """Text that is not a number, with the reason in Vietnamese."""


def _grouped(text: str, separator: str) -> bool:
    """True when `text` is digits grouped by three with `separator` ("1.234.567")."""
    groups = text.split(separator)
    first, rest = groups[0], groups[1:]
    return (
        1 <= len(first) <= 3
        and first.isdigit()
        and not (first.startswith("0"))
        and all(len(group) == 3 and group.isdigit() for group in rest)
    )


def _refuse(original: str, hint: str = "") -> NumberError:
    message = f"'{original.strip()}' không phải là số."
    return NumberError(f"{message} {hint}".strip())


def parse_number(text, *, allow_percent: bool = True) -> Decimal | None:
    """Read a typed number; None for an empty field. Raises NumberError with a Vietnamese reason."""
    if text is None:
        return None
    if isinstance(text, Decimal | int):
        return Decimal(text)
    original = str(text)
    compact = _SPACES.sub(" ", original).strip().removesuffix("%").rstrip()
    if " " in compact:  # "1 234" groups thousands with spaces; "1 2" is a typing slip
        if not _SPACE_GROUPED.fullmatch(compact):
            raise _refuse(original)
        compact = compact.replace(" ", "")
    compact += "%" if original.strip().endswith("%") else ""
    if compact == "":
        return None
    if compact.endswith("%"):
        if not allow_percent:
            raise _refuse(original, "Không ghi dấu % ở ô này.")
        compact = compact[:-1]
    if not _BODY.fullmatch(compact) or not any(ch.isdigit() for ch in compact):
        raise _refuse(original)
    sign = ""
    if compact[0] in "+-":
        sign, compact = ("-" if compact[0] == "-" else ""), compact[1:]
    dots, commas = compact.count("."), compact.count(",")
    grouping_hint = "Viết như 1.234,5: dấu chấm nhóm hàng nghìn, dấu phẩy trước phần thập phân."
    if dots and commas:
        vietnamese = compact.rfind(",") > compact.rfind(".")  # 1.234,5 (or English 1,234.5)
        mark, group = (",", ".") if vietnamese else (".", ",")
        whole, fraction = compact.rsplit(mark, 1)
        if compact.count(mark) > 1 or not _grouped(whole, group):
            raise _refuse(original, grouping_hint)
        whole = whole.replace(group, "")
    elif commas:
        if commas > 1:
            raise _refuse(original, "Chỉ dùng một dấu phẩy trước phần thập phân (ví dụ 87,5).")
        whole, fraction = compact.split(",")
    elif dots > 1 or (dots == 1 and len(compact.rsplit(".", 1)[1]) == 3 and _grouped(compact, ".")):
        if not _grouped(compact, "."):
            raise _refuse(original, "Dấu chấm chỉ dùng để nhóm hàng nghìn (ví dụ 1.234.567).")
        whole, fraction = compact.replace(".", ""), ""
    elif dots:
        whole, fraction = compact.split(".")  # 87.5: a decimal point, the only sensible reading
    else:
        whole, fraction = compact, ""
    if not (whole + fraction).isdigit() or not fraction and not whole:
        raise _refuse(original)
    try:
        return Decimal(f"{sign}{whole or '0'}.{fraction}" if fraction else f"{sign}{whole}")
    except InvalidOperation as exc:  # pragma: no cover - the checks above rule this out
        raise _refuse(original) from exc


def format_number(value, decimals: int | None = None) -> str:
    """The Vietnamese way back: 1234.5 → "1.234,5"; None → ""."""
    return vn_number(value, decimals)
