"""The Excel import encodes each value's audit snapshot itself (`row_writer.snapshot_json`):
it must be exactly the JSON that `audit.record` stores for the same dict."""

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tieuchi.accounts.audit import JsonText
from tieuchi.collection.excel.row_writer import SNAPSHOT_KEYS, snapshot_json

CASES = [
    (["157", "200", None, None, ""], "draft", 1),
    ([None, None, "87.5", None, ""], "submitted", 3),
    ([None, None, None, True, ""], "approved", 12),
    ([None, None, None, False, ""], "returned", 2),
    ([None, None, None, None, "khá"], "draft", 1),
    ([None, None, None, None, 'loại "tốt"\\ \t mới'], "draft", 1),
    ([None, None, None, None, None], "draft", 1),
    (["0", "0", None, None, ""], "draft", 1),
]


def expected(figures, status, version) -> dict:
    data = dict(zip(SNAPSHOT_KEYS, figures, strict=True))
    data["level"] = data["level"] or ""
    return data | {"status": status, "version": version}


@pytest.mark.parametrize(("figures", "status", "version"), CASES)
def test_snapshot_json_is_json_dumps_of_the_snapshot(figures, status, version):
    text = snapshot_json(figures, status, version)
    assert isinstance(text, JsonText)
    assert text == json.dumps(expected(figures, status, version))
    assert json.loads(text) == expected(figures, status, version)


numbers = st.one_of(st.none(), st.decimals(allow_nan=False, allow_infinity=False).map(str))


@given(
    numbers,
    numbers,
    numbers,
    st.one_of(st.none(), st.booleans()),
    st.text(),
    st.sampled_from(["draft", "submitted", "returned", "approved"]),
    st.integers(min_value=1, max_value=10**6),
)
def test_any_snapshot_round_trips(numerator, denominator, value, boolean, level, status, version):
    figures = [numerator, denominator, value, boolean, level]
    assert snapshot_json(figures, status, version) == json.dumps(expected(figures, status, version))
