"""Read the "thời gian hoàn thành" cell of a ward plan row into a normalised deadline.

Ward officials write completion times in words ("Thường xuyên", "Tháng 10/2023", "Năm học
2022 - 2023", "Theo tiến độ dự án", ...; see domain.md §7.4). `parse_deadline` turns such a text
into a `Deadline` with a kind and, where the words fix one, the last day by which the work is due.
It never guesses: text it cannot read is kept verbatim, marked "unreadable" and flagged for a
person. Standard library only: an import-linter contract forbids Django here.
"""

import calendar
import re
import unicodedata
from dataclasses import dataclass, replace
from datetime import date

KINDS = (
    "continuous",
    "recurring",
    "month",
    "year",
    "quarter",
    "school_year",
    "range",
    "linked",
    "unspecified",
    "unreadable",
)
FREQUENCIES = ("daily", "weekly", "monthly", "quarterly", "yearly", "monthly_or_quarterly")
LINK_TARGETS = ("project", "plan", "planning", "other")

# Years outside this window are OCR noise or typos in a ward plan, not real deadlines.
MIN_YEAR = 1990
MAX_YEAR = 2100


@dataclass(frozen=True)
class Deadline:
    """A completion time read from a plan row, with what a person still has to check."""

    kind: str
    text: str
    due: date | None = None
    start: date | None = None
    frequency: str | None = None
    weekday: int | None = None
    min_count: int | None = None
    linked_to: str | None = None
    flags: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        """A JSON-ready dict (dates as "YYYY-MM-DD", flags as a list) for the assignment record."""
        return {
            "kind": self.kind,
            "text": self.text,
            "due": self.due.isoformat() if self.due else None,
            "start": self.start.isoformat() if self.start else None,
            "frequency": self.frequency,
            "weekday": self.weekday,
            "min_count": self.min_count,
            "linked_to": self.linked_to,
            "flags": list(self.flags),
        }


# --- Normalisation --------------------------------------------------------------------------

# Word processors turn the hyphen in "2022 - 2023" into any of these; they all mean the same.
_DASHES = str.maketrans(dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-"))
_SPACES = re.compile(r"\s+")
# "2022 - 2023", "10 / 2023" and "10/2023" must compare equal.
_AROUND_SEPARATORS = re.compile(r"\s*([-/])\s*")
# Cells often carry a list dash, a full stop or an ellipsis that says nothing about the date.
_EDGE_PUNCTUATION = " .;:,-\u2026"
# A run of digits with O/o, l or I mixed in is a number OCR misread ("1O/2023", "T1O/2023");
# a run without any real digit ("I", "IV" in "Quý IV") is left alone so Roman quarters survive.
_OCR_NUMBER = re.compile(r"(?<![a-z0-9])(t?)([0-9oil]*[0-9][0-9oil]*)(?![a-z0-9])")
_OCR_DIGITS = str.maketrans({"o": "0", "i": "1", "l": "1"})


def _plain(text: str) -> str:
    """Lower case, no accents ("đ" -> "d"), one kind of dash, single spaces, no edge punctuation."""
    lowered = unicodedata.normalize("NFC", text).lower()
    # Zero-width characters (category Cf) arrive with copy-paste and break whole-text matches.
    kept = (
        ch
        for ch in unicodedata.normalize("NFD", lowered)
        if unicodedata.category(ch) not in ("Mn", "Cf")
    )
    plain = "".join(kept).replace("đ", "d").translate(_DASHES)
    plain = _SPACES.sub(" ", plain)
    return _AROUND_SEPARATORS.sub(r"\1", plain).strip(_EDGE_PUNCTUATION)


def _fix_ocr_digits(plain: str) -> str:
    """Read O/o as 0 and l/I as 1 inside numbers, and only there."""
    return _OCR_NUMBER.sub(lambda m: m[1] + m[2].translate(_OCR_DIGITS), plain)


# --- Patterns (matched against the whole normalised text, never a part of it) ----------------

_UNITS = {
    "ngay": "daily",
    "tuan": "weekly",
    "thang": "monthly",
    "quy": "quarterly",
    "nam": "yearly",
}
_UNIT = r"(ngay|tuan|thang|quy|nam)"
_EVERY = r"(?:hang|moi)"  # "hàng", "hằng" and "mỗi" once accents are gone
# "Trong", "đến", "đến hết/cuối", "cuối", "hết" all end at the close of the period named. "Trước"
# (before) is left out on purpose: whether it means the period before is a person's call.
_BY = r"(?:(?:trong|den(?: het| cuoi)?|cuoi|het) )?"
_WEEKDAYS = {"2": 0, "3": 1, "4": 2, "5": 3, "6": 4, "7": 5}
_WEEKDAYS |= {"hai": 0, "ba": 1, "tu": 2, "nam": 3, "sau": 4, "bay": 5}
_DAY = r"(?:(?:sang|chieu|toi) )?(?:(?:thu|t) ?([2-7]|hai|ba|tu|nam|sau|bay)|(chu nhat|cn))"

_CONTINUOUS = re.compile(r"(?:duy tri )?(?:thuong xuyen|lien tuc)(?:,? (?:thuong xuyen|lien tuc))?")
_MONTHLY_OR_QUARTERLY = re.compile(r"(?:dinh ky,? )?hang thang,? (?:va |hoac )?(?:hang )?quy")
_WEEKLY_ON_DAY = re.compile(rf"(?:vao )?{_DAY},? {_EVERY} tuan")
_WEEKLY_THEN_DAY = re.compile(rf"{_EVERY} tuan,? (?:vao )?{_DAY}")
_FROM_YEAR_YEARLY = re.compile(r"(?:bat dau )?tu nam ([0-9]{4}),? " + _EVERY + " nam")
_MIN_COUNT = re.compile(
    r"(?:it nhat|toi thieu) ([0-9]{1,3})(?: [a-z]+){0,3}(?:/| (?:moi|hang|trong (?:1|mot)) )"
    + _UNIT
)
# "Duy trì đánh giá hàng tháng": a short activity before the frequency does not change it.
_RECURRING = re.compile(rf"(?:duy tri(?: [a-z]+){{0,2}} )?(?:dinh ky,? )?{_EVERY} {_UNIT}")
_MONTH = re.compile(rf"{_BY}(?:thang|t) ?([0-9]{{1,2}})(?:[/-]| nam )([0-9]{{4}})")
_QUARTER = re.compile(rf"{_BY}quy ?([ivx]+|[0-9]{{1,2}})(?:[/-]| nam )([0-9]{{4}})")
_SCHOOL_YEAR = re.compile(r"(?:trong )?nam hoc ([0-9]{4})[-/]([0-9]{4}|[0-9]{2})")
_YEAR = re.compile(rf"{_BY}nam ([0-9]{{4}})")
_RANGE = re.compile(
    r"(?:(?:trong )?giai doan |tu nam |tu |nam )?([0-9]{4})(?:-| den (?:nam )?)([0-9]{4})"
)
_LINKED = re.compile(r"(?:thuc hien |hoan thanh )?theo ((?=.*[a-z]).+)")
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}

_LINK_FLAGS = {
    "project": "Hạn hoàn thành theo tiến độ dự án; cần lấy ngày cụ thể từ hồ sơ dự án",
    "planning": "Hạn hoàn thành theo nội dung quy hoạch; cần lấy ngày cụ thể từ quy hoạch",
    "plan": "Hạn hoàn thành theo kế hoạch được dẫn chiếu; cần lấy ngày cụ thể từ kế hoạch đó",
    "other": "Hạn hoàn thành theo nội dung được dẫn chiếu ('{text}'); cần người xác định ngày",
}


def _year(digits: str) -> int | None:
    year = int(digits)
    return year if MIN_YEAR <= year <= MAX_YEAR else None


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _weekday(match: re.Match) -> int:
    return 6 if match[2] else _WEEKDAYS[match[1]]


def _link_target(reference: str) -> str:
    """What a "Theo …" cell points at: a project, a zoning plan (quy hoạch), a plan or other."""
    if re.search(r"\bdu an\b", reference):
        return "project"
    if re.search(r"\b(?:quy hoach|qh)\b", reference):
        return "planning"
    if re.search(r"\b(?:ke hoach|kh)\b", reference):
        return "plan"
    return "other"


def _school_year(match: re.Match, text: str, school_year_end: tuple[int, int]) -> Deadline | None:
    """September of the first year to the configured end of the next; other spans are not one."""
    first_year = _year(match[1])
    if first_year is None:
        return None
    second = int(match[2])
    # "2022-23" names the second year by its last two digits.
    second_year = (
        first_year + 1 if len(match[2]) == 2 and second == (first_year + 1) % 100 else second
    )
    if second_year != first_year + 1:
        return None
    day, month = school_year_end
    # A 29/02 end falls back to 28/02 in a common year rather than failing.
    day = min(day, calendar.monthrange(second_year, month)[1])
    return Deadline(
        "school_year", text, due=date(second_year, month, day), start=date(first_year, 9, 1)
    )


def _read(plain: str, text: str, school_year_end: tuple[int, int]) -> Deadline | None:
    """The deadline the normalised text states, or None when it states none we can trust."""
    if _CONTINUOUS.fullmatch(plain):
        return Deadline("continuous", text)
    if _MONTHLY_OR_QUARTERLY.fullmatch(plain):
        return Deadline("recurring", text, frequency="monthly_or_quarterly")
    if m := _WEEKLY_ON_DAY.fullmatch(plain) or _WEEKLY_THEN_DAY.fullmatch(plain):
        return Deadline("recurring", text, frequency="weekly", weekday=_weekday(m))
    if m := _FROM_YEAR_YEARLY.fullmatch(plain):
        if (year := _year(m[1])) is None:
            return None
        return Deadline("recurring", text, start=date(year, 1, 1), frequency="yearly")
    if m := _MIN_COUNT.fullmatch(plain):
        count = int(m[1])
        return (
            Deadline("recurring", text, frequency=_UNITS[m[2]], min_count=count) if count else None
        )
    if m := _RECURRING.fullmatch(plain):
        return Deadline("recurring", text, frequency=_UNITS[m[1]])
    if m := _MONTH.fullmatch(plain):
        month, year = int(m[1]), _year(m[2])
        if year is None or not 1 <= month <= 12:
            return None
        return Deadline("month", text, due=_month_end(year, month), start=date(year, month, 1))
    if m := _QUARTER.fullmatch(plain):
        quarter = _ROMAN.get(m[1]) or (int(m[1]) if m[1].isdigit() else None)
        year = _year(m[2])
        if year is None or quarter is None or not 1 <= quarter <= 4:
            return None
        first = 3 * quarter - 2
        return Deadline(
            "quarter", text, due=_month_end(year, first + 2), start=date(year, first, 1)
        )
    if m := _SCHOOL_YEAR.fullmatch(plain):
        return _school_year(m, text, school_year_end)
    if m := _YEAR.fullmatch(plain):
        if (year := _year(m[1])) is None:
            return None
        return Deadline("year", text, due=date(year, 12, 31), start=date(year, 1, 1))
    if m := _RANGE.fullmatch(plain):
        first_year, last_year = _year(m[1]), _year(m[2])
        if first_year is None or last_year is None or first_year > last_year:
            return None
        return Deadline("range", text, due=date(last_year, 12, 31), start=date(first_year, 1, 1))
    if m := _LINKED.fullmatch(plain):
        target = _link_target(m[1])
        flag = _LINK_FLAGS[target].format(text=text.strip())
        return Deadline("linked", text, linked_to=target, flags=(flag,))
    return None


def parse_deadline(
    text: str | None,
    *,
    plan_start: date | None = None,
    plan_end: date | None = None,
    school_year_end: tuple[int, int] = (31, 5),
) -> Deadline:
    """Read a plan row's completion time; unreadable or blank text comes back flagged, not guessed.

    `plan_start`/`plan_end` bound the plan: a blank cell inherits `plan_end` as its due date.
    `school_year_end` is the (day, month) a school year ends in its second calendar year; it is
    31/05 by default and 31/08 where the ward counts the summer in. Raises ValueError only for
    an impossible `school_year_end` and TypeError for a non-text `text`: both are caller mistakes.
    """
    if text is None:
        text = ""
    if not isinstance(text, str):
        raise TypeError(f"deadline text must be str or None, not {type(text).__name__}")
    day, month = school_year_end
    date(2000, month, day)  # a leap year, so 29/02 is allowed; raises ValueError when impossible

    plain = _plain(text)
    if not plain:
        start = plan_start
        if plan_end is None:
            flag = "Không ghi thời gian hoàn thành; chưa xác định được hạn"
        else:
            flag = (
                "Không ghi thời gian hoàn thành; tạm lấy hạn cuối của kế hoạch "
                f"({plan_end:%d/%m/%Y})"
            )
        return Deadline("unspecified", text, due=plan_end, start=start, flags=(flag,))

    fixed = _fix_ocr_digits(plain)
    deadline = _read(fixed, text, school_year_end)
    if deadline is None:
        return Deadline(
            "unreadable",
            text,
            flags=(f"Không hiểu được thời hạn '{text.strip()}'; cần người kiểm tra",),
        )
    if fixed != plain:
        # The digits were repaired, so a person should confirm the date really is this one.
        flag = f"Đã sửa lỗi nhận dạng chữ số trong '{text.strip()}'"
        deadline = replace(deadline, flags=(*deadline.flags, flag))
    return deadline
