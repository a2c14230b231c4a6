"""The legal time limits of recognition: working days, and the council, meeting and decision dates."""

import datetime as dt

import pytest

from tieuchi.evaluation import recognition
from tieuchi.evaluation.tests.test_recognition import (  # the scenario's fixtures and builders
    at_council,
    inspector,  # noqa: F401
    ward,  # noqa: F401
)


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        (dt.date(2024, 7, 1), 3, dt.date(2024, 7, 4)),  # Monday + 3 → Thursday
        (dt.date(2024, 7, 4), 3, dt.date(2024, 7, 9)),  # Thursday + 3 skips the weekend
        (dt.date(2024, 7, 1), 13, dt.date(2024, 7, 18)),
        (dt.date(2024, 7, 6), 1, dt.date(2024, 7, 8)),  # from a Saturday
    ],
)
def test_working_days_skip_weekends(start, days, expected):
    assert recognition.working_days_after(start, days) == expected


@pytest.mark.django_db
def test_the_legal_time_limits_count_from_the_accepted_dossier(ward, inspector):  # noqa: F811
    dossier = at_council(ward, inspector)
    limits = recognition.deadlines(dossier, dossier.council)
    assert limits == {
        "council": dt.date(2024, 7, 4),
        "meeting": dt.date(2024, 7, 10),
        "decision": dt.date(2024, 7, 18),
    }
