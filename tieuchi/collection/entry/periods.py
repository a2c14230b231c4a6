"""Reporting periods: parsing "2023", "2023-Q4", "2023-11", the period before, and their labels."""

import datetime as dt

from django.utils.translation import gettext as _

from tieuchi.collection.services import (
    ValueRejected,
    period_bounds,
)

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


def parse_period(period: str) -> tuple[dt.date, dt.date]:
    """Bounds of "2023", "2023-Q4" or "2023-11"; ValueRejected for anything else."""
    if len(period) not in (4, 7):
        raise ValueRejected(f"Kỳ '{period}' không hợp lệ; dùng dạng 2023, 2023-Q4 hoặc 2023-11.")
    if len(period) == 7 and period[5] == "q":
        raise ValueRejected(f"Kỳ '{period}' không hợp lệ; viết quý bằng chữ Q hoa (2023-Q4).")
    return period_bounds(period)


def previous_period(period: str) -> str:
    """The period before: 2023 → 2022, 2023-Q1 → 2022-Q4, 2023-01 → 2022-12."""
    parse_period(period)
    if len(period) == 4:
        return str(int(period) - 1)
    year, part = int(period[:4]), period[5:]
    if part.startswith("Q"):
        quarter = int(part[1:])
        return f"{year - 1}-Q4" if quarter == 1 else f"{year}-Q{quarter - 1}"
    month = int(part)
    return f"{year - 1}-12" if month == 1 else f"{year}-{month - 1:02d}"


def period_label(period: str) -> str:
    """ "năm 2023", "quý IV/2023", "tháng 11/2023"."""
    if len(period) == 4:
        return f"năm {period}"
    year, part = period[:4], period[5:]
    if part.startswith("Q"):
        return f"quý {ROMAN.get(int(part[1:]), part[1:])}/{year}"
    return f"tháng {part}/{year}"


def period_title(period: str) -> str:
    """period_label in the reader's language, for pages (period_label stays Vietnamese for
    messages, e-mails and files)."""
    if len(period) == 4:
        return _("năm %(year)s") % {"year": period}
    year, part = period[:4], period[5:]
    if part.startswith("Q"):
        quarter = ROMAN.get(int(part[1:]), part[1:])
        return _("quý %(quarter)s/%(year)s") % {"quarter": quarter, "year": year}
    return _("tháng %(month)s/%(year)s") % {"month": part, "year": year}
