"""Vietnamese number input: what officials type is read the way they mean it, or refused clearly."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tieuchi.collection.numbers import NumberError, format_number, parse_number


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("87,5", Decimal("87.5")),
        ("1.234", Decimal("1234")),
        ("1.234,5", Decimal("1234.5")),
        (" 90 % ", Decimal("90")),
        ("90%", Decimal("90")),
        ("87.5", Decimal("87.5")),  # a lone dot before 1 or 2 digits can only be a decimal point
        ("0.125", Decimal("0.125")),  # "0.125" cannot be a thousands grouping
        ("1234.567", Decimal("1234.567")),  # nor can "1234.567"
        ("1.234.567", Decimal("1234567")),
        ("1.234.567,89", Decimal("1234567.89")),
        ("1 234", Decimal("1234")),  # a space groups thousands too
        ("1 234,5 %", Decimal("1234.5")),
        ("1,234.5", Decimal("1234.5")),  # English writing, unambiguous because both marks appear
        ("0,5", Decimal("0.5")),
        (",5", Decimal("0.5")),
        ("-3", Decimal("-3")),
        ("74.400.000", Decimal("74400000")),
        ("", None),
        ("   ", None),
        (None, None),
    ],
)
def test_vietnamese_input_is_read_as_meant(typed, expected):
    assert parse_number(typed) == expected


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("12,3,4", "'12,3,4' không phải là số. Chỉ dùng một dấu phẩy"),
        ("1.2.3", "'1.2.3' không phải là số. Dấu chấm chỉ dùng để nhóm hàng nghìn"),
        ("1.2345.678", "'1.2345.678' không phải là số"),
        ("12.34,5", "'12.34,5' không phải là số. Viết như 1.234,5"),
        ("1,23.4", "'1,23.4' không phải là số. Viết như 1.234,5"),
        ("abc", "'abc' không phải là số."),
        ("8 7", "'8 7' không phải là số."),
        ("%", "'%' không phải là số."),
        ("1..2", "'1..2' không phải là số"),
        ("5e3", "'5e3' không phải là số."),
        ("NaN", "'NaN' không phải là số."),
    ],
)
def test_anything_else_is_refused_in_vietnamese(typed, message):
    with pytest.raises(NumberError) as error:
        parse_number(typed)
    assert str(error.value).startswith(message)


def test_a_percent_sign_can_be_refused_where_it_makes_no_sense():
    with pytest.raises(NumberError, match="Không ghi dấu %"):
        parse_number("12 %", allow_percent=False)


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (Decimal("1234.5"), "1.234,5"),
        (Decimal("87.50"), "87,5"),
        (1234567, "1.234.567"),
        (None, ""),
    ],
)
def test_numbers_are_shown_back_the_vietnamese_way(value, shown):
    assert format_number(value) == shown


@given(
    st.decimals(
        min_value=Decimal("-1e12"),
        max_value=Decimal("1e12"),
        places=4,
        allow_nan=False,
        allow_infinity=False,
    )
)
def test_what_is_shown_reads_back_as_the_same_number(number):
    assert parse_number(format_number(number)) == number
