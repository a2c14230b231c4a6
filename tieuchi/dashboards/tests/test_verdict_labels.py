"""verdict_view remembers its labels per (language, verdict): switching language must still
switch the labels, never serve the other language's cached ones."""

import pytest
from django.utils import translation

from tieuchi.evaluation.models import Verdict
from tieuchi.evaluation.verdict_display import verdict_view


@pytest.mark.parametrize(
    ("language", "code", "label", "short", "symbol"),
    [
        ("vi", Verdict.MET, "Đạt", "Đạt", "✓"),
        ("en", Verdict.MET, "Met", "Met", "✓"),
        ("vi", Verdict.NO_DATA, "Chưa đủ dữ liệu", "Thiếu dữ liệu", "?"),
        ("en", Verdict.NO_DATA, "Not enough data", None, "?"),
        ("vi", "unknown", "Chưa đủ dữ liệu", "Thiếu dữ liệu", "?"),
    ],
)
def test_the_labels_follow_the_active_language(language, code, label, short, symbol):
    for other in ("en", "vi", language):  # each language asked in turn: the cache must not mix
        with translation.override(other):
            view = verdict_view(code)
    assert (view.code, view.label, view.symbol) == (code, label, symbol)
    if short is not None:
        assert view.short == short
