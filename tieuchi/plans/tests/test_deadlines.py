"""Tests for tieuchi.plans.deadlines: every completion-time form found in the sources (domain.md
§7.4), as officials and OCR actually write them, and the promise never to guess."""

import json
import re
import unicodedata
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tieuchi.plans.deadlines import KINDS, Deadline, parse_deadline

PLAN_START = date(2023, 2, 8)
PLAN_END = date(2023, 11, 30)


def expect(kind, due=None, start=None, **extra):
    """The fields a literal must produce; unnamed optional fields must stay None."""
    fields = {"frequency": None, "weekday": None, "min_count": None, "linked_to": None}
    return {"kind": kind, "due": due, "start": start, **fields, **extra}


# Literals copied from the two sources, with what each must mean.
SOURCE_LITERALS = {
    "Thường xuyên": expect("continuous"),
    "Liên tục": expect("continuous"),
    "Hàng ngày": expect("recurring", frequency="daily"),
    "Hàng tuần": expect("recurring", frequency="weekly"),
    "sáng thứ 7 hàng tuần": expect("recurring", frequency="weekly", weekday=5),
    "chủ nhật hàng tuần": expect("recurring", frequency="weekly", weekday=6),
    "Duy trì đánh giá hàng tháng": expect("recurring", frequency="monthly"),
    "ít nhất 01 chương trình/tháng": expect("recurring", frequency="monthly", min_count=1),
    "Định kỳ, hàng tháng, quý": expect("recurring", frequency="monthly_or_quarterly"),
    "Định kỳ hàng quý": expect("recurring", frequency="quarterly"),
    "hằng năm": expect("recurring", frequency="yearly"),
    "Mỗi năm": expect("recurring", frequency="yearly"),
    "Từ năm 2021, hàng năm": expect("recurring", start=date(2021, 1, 1), frequency="yearly"),
    "Tháng 10/2023": expect("month", date(2023, 10, 31), date(2023, 10, 1)),
    "Tháng 11/2023": expect("month", date(2023, 11, 30), date(2023, 11, 1)),
    "tháng 05/2023": expect("month", date(2023, 5, 31), date(2023, 5, 1)),
    "T10/2023": expect("month", date(2023, 10, 31), date(2023, 10, 1)),
    "Năm 2023": expect("year", date(2023, 12, 31), date(2023, 1, 1)),
    "Trong năm 2023": expect("year", date(2023, 12, 31), date(2023, 1, 1)),
    "Đến cuối năm 2024": expect("year", date(2024, 12, 31), date(2024, 1, 1)),
    "Đến năm 2025": expect("year", date(2025, 12, 31), date(2025, 1, 1)),
    "Quý IV/2020": expect("quarter", date(2020, 12, 31), date(2020, 10, 1)),
    "Quý I/2023": expect("quarter", date(2023, 3, 31), date(2023, 1, 1)),
    "Quý I/2025": expect("quarter", date(2025, 3, 31), date(2025, 1, 1)),
    "quý 3/2023": expect("quarter", date(2023, 9, 30), date(2023, 7, 1)),
    "Năm học 2022 - 2023": expect("school_year", date(2023, 5, 31), date(2022, 9, 1)),
    "giai đoạn 2021 - 2025": expect("range", date(2025, 12, 31), date(2021, 1, 1)),
    "2020 – 2025": expect("range", date(2025, 12, 31), date(2020, 1, 1)),
    "Theo tiến độ dự án": expect("linked", linked_to="project"),
    "Theo các dự án": expect("linked", linked_to="project"),
    "Theo Kế hoạch": expect("linked", linked_to="plan"),
    "Theo nội dung QH": expect("linked", linked_to="planning"),
    "theo quy hoạch": expect("linked", linked_to="planning"),
    "Theo chỉ đạo của UBND quận": expect("linked", linked_to="other"),
}


def strip_accents(text):
    decomposed = unicodedata.normalize("NFD", text)
    plain = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return plain.replace("đ", "d").replace("Đ", "D")


# The ways the same literal reaches us: typed without accents, padded, other dashes, shouted.
VARIANTS = {
    "as_written": lambda text: text,
    "without_accents": strip_accents,
    "extra_spaces": lambda text: "  " + text.replace(" ", " \t ").replace("/", " / ") + " \n",
    "em_dash": lambda text: re.sub(r"\s*[-–]\s*", " — ", text),
    "tight_hyphen": lambda text: re.sub(r"\s*[-–]\s*", "-", text),
    "upper_case": str.upper,
    "decomposed_unicode": lambda text: unicodedata.normalize("NFD", text),
}


def fields_of(deadline):
    return {name: getattr(deadline, name) for name in expect("x")}


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("literal", SOURCE_LITERALS)
def test_reads_every_source_literal_however_it_is_typed(literal, variant):
    text = VARIANTS[variant](literal)
    deadline = parse_deadline(text)
    assert fields_of(deadline) == SOURCE_LITERALS[literal]
    assert deadline.text == text


CONFIDENT = [text for text, fields in SOURCE_LITERALS.items() if fields["kind"] != "linked"]
LINKED = [text for text, fields in SOURCE_LITERALS.items() if fields["kind"] == "linked"]


@pytest.mark.parametrize("literal", CONFIDENT)
def test_confident_readings_carry_no_flags(literal):
    assert parse_deadline(literal).flags == ()


@pytest.mark.parametrize("text", LINKED)
def test_linked_deadline_has_no_due_and_flags_where_the_date_comes_from(text):
    deadline = parse_deadline(text, plan_end=PLAN_END)
    assert deadline.due is None
    assert len(deadline.flags) == 1
    assert deadline.flags[0].startswith("Hạn hoàn thành theo")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("thuong xuyen", expect("continuous")),
        ("hang tuan", expect("recurring", frequency="weekly")),
        ("thang 10/2023", expect("month", date(2023, 10, 31), date(2023, 10, 1))),
        ("nam hoc 2022-2023", expect("school_year", date(2023, 5, 31), date(2022, 9, 1))),
        ("Hàng năm", expect("recurring", frequency="yearly")),
        ("Hằng tuần", expect("recurring", frequency="weekly")),
        ("Tháng 02/2024", expect("month", date(2024, 2, 29), date(2024, 2, 1))),
        ("tháng 10 năm 2023", expect("month", date(2023, 10, 31), date(2023, 10, 1))),
        ("Quý II/2023", expect("quarter", date(2023, 6, 30), date(2023, 4, 1))),
        ("Năm học 2022-23", expect("school_year", date(2023, 5, 31), date(2022, 9, 1))),
        ("Năm học 2022/2023", expect("school_year", date(2023, 5, 31), date(2022, 9, 1))),
        ("từ năm 2021 đến năm 2025", expect("range", date(2025, 12, 31), date(2021, 1, 1))),
        ("hàng tuần vào sáng thứ bảy", expect("recurring", frequency="weekly", weekday=5)),
        ("thứ 2 hàng tuần", expect("recurring", frequency="weekly", weekday=0)),
        ("- Thường xuyên.", expect("continuous")),
        ("Thường\u200b xuyên", expect("continuous")),
    ],
)
def test_reads_common_spellings_of_the_same_forms(text, expected):
    assert fields_of(parse_deadline(text)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Tháng 1O/2023", expect("month", date(2023, 10, 31), date(2023, 10, 1))),
        ("Tháng l0/2023", expect("month", date(2023, 10, 31), date(2023, 10, 1))),
        ("Tháng I0/2023", expect("month", date(2023, 10, 31), date(2023, 10, 1))),
        ("T1O/2023", expect("month", date(2023, 10, 31), date(2023, 10, 1))),
        ("Năm 2O23", expect("year", date(2023, 12, 31), date(2023, 1, 1))),
        ("Quý IV/2O2O", expect("quarter", date(2020, 12, 31), date(2020, 10, 1))),
        ("Năm học 2O22 - 2023", expect("school_year", date(2023, 5, 31), date(2022, 9, 1))),
        ("ít nhất 0l chương trình/tháng", expect("recurring", frequency="monthly", min_count=1)),
    ],
)
def test_repairs_ocr_digit_slips_and_asks_a_person_to_confirm(text, expected):
    deadline = parse_deadline(text)
    assert fields_of(deadline) == expected
    assert deadline.flags == (f"Đã sửa lỗi nhận dạng chữ số trong '{text}'",)


def test_roman_quarter_is_not_mistaken_for_an_ocr_slip():
    assert parse_deadline("Quý I/2025").flags == ()


@pytest.mark.parametrize("text", [None, "", "   ", "\n\t", "-", "…", " – ", "..."])
def test_blank_inherits_the_plan_end_and_says_so(text):
    deadline = parse_deadline(text, plan_start=PLAN_START, plan_end=PLAN_END)
    assert deadline.kind == "unspecified"
    assert deadline.due == PLAN_END
    assert deadline.start == PLAN_START
    assert deadline.text == (text or "")
    assert deadline.flags == (
        "Không ghi thời gian hoàn thành; tạm lấy hạn cuối của kế hoạch (30/11/2023)",
    )


@pytest.mark.parametrize("text", [None, "", "  ", "-", "…"])
def test_blank_without_plan_end_has_no_due_and_says_so(text):
    deadline = parse_deadline(text)
    assert deadline.kind == "unspecified"
    assert deadline.due is None
    assert deadline.flags == ("Không ghi thời gian hoàn thành; chưa xác định được hạn",)


@pytest.mark.parametrize(
    "text",
    [
        "sớm nhất có thể",
        "Tháng 13/2023",
        "Tháng 0/2023",
        "Quý V/2023",
        "Quý 0/2023",
        "Quý 5/2023",
        "năm học 2023-2022",
        "Năm học 2022 - 2024",
        "Năm 1850",
        "Năm 2300",
        "giai đoạn 2025 - 2021",
        "Trước tháng 10/2023",
        "Định kỳ",
        "Theo",
        "ít nhất 00 chương trình/tháng",
        "Hàng tháng xây dựng ít nhất 01 chương trình phát thanh",
        "15/10/2023",
        "Tháng 10/2023 và tháng 11/2023",
    ],
)
def test_unreadable_text_is_kept_verbatim_and_flagged_not_guessed(text):
    deadline = parse_deadline(text, plan_end=PLAN_END)
    assert deadline.kind == "unreadable"
    assert deadline.text == text
    assert deadline.due is None
    assert deadline.start is None
    assert deadline.frequency is None
    assert deadline.flags == (f"Không hiểu được thời hạn '{text}'; cần người kiểm tra",)


@pytest.mark.parametrize(
    ("school_year_end", "due"),
    [((31, 5), date(2023, 5, 31)), ((31, 8), date(2023, 8, 31)), ((30, 6), date(2023, 6, 30))],
)
def test_school_year_end_is_configurable(school_year_end, due):
    deadline = parse_deadline("Năm học 2022 - 2023", school_year_end=school_year_end)
    assert deadline.due == due
    assert deadline.start == date(2022, 9, 1)


def test_school_year_ending_on_29_february_falls_back_in_common_years():
    assert parse_deadline("Năm học 2022 - 2023", school_year_end=(29, 2)).due == date(2023, 2, 28)


def test_impossible_school_year_end_is_a_caller_error():
    with pytest.raises(ValueError):
        parse_deadline("Năm học 2022 - 2023", school_year_end=(31, 6))


def test_to_dict_is_json_ready():
    deadline = parse_deadline("Tháng 1O/2023")
    data = deadline.to_dict()
    assert data == {
        "kind": "month",
        "text": "Tháng 1O/2023",
        "due": "2023-10-31",
        "start": "2023-10-01",
        "frequency": None,
        "weekday": None,
        "min_count": None,
        "linked_to": None,
        "flags": ["Đã sửa lỗi nhận dạng chữ số trong 'Tháng 1O/2023'"],
    }
    assert json.loads(json.dumps(data, ensure_ascii=False)) == data


def test_to_dict_of_a_recurrence_keeps_its_details():
    data = parse_deadline("sáng thứ 7 hàng tuần").to_dict()
    assert (data["kind"], data["due"], data["frequency"], data["weekday"]) == (
        "recurring",
        None,
        "weekly",
        5,
    )
    assert data["flags"] == []


def test_deadline_is_immutable():
    deadline = parse_deadline("Năm 2023")
    with pytest.raises(AttributeError):
        deadline.kind = "year"  # type: ignore[misc]


SOURCE_LIKE_TEXT = st.one_of(
    st.text(),
    st.sampled_from(list(SOURCE_LITERALS)),
    st.builds(
        lambda literal, noise: literal + noise, st.sampled_from(list(SOURCE_LITERALS)), st.text()
    ),
    st.from_regex(r"(Tháng|Quý|Năm|Năm học|T) ?[0-9IVOl]{1,4}[/ –-]{1,3}[0-9Ol]{0,4}"),
)


@given(SOURCE_LIKE_TEXT)
def test_any_text_is_either_understood_or_flagged(text):
    deadline = parse_deadline(text, plan_start=PLAN_START, plan_end=PLAN_END)
    assert isinstance(deadline, Deadline)
    assert deadline.text == text
    assert deadline.kind in KINDS
    understood = (
        deadline.due is not None
        or deadline.frequency is not None
        or deadline.linked_to is not None
        or deadline.kind == "continuous"
    )
    assert understood or deadline.flags
    if deadline.due and deadline.start:
        assert deadline.start <= deadline.due
    json.dumps(deadline.to_dict())
