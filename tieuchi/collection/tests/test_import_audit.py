"""Every figure an import writes has the audit record `save_observation` would have written for
it: on SQLite the new figures' records are made by the database (`excel/created_audit.py`), on
PostgreSQL they are COPYed from Python; both must equal the single-save snapshot."""

import pytest

from tieuchi.accounts.models import AuditEvent
from tieuchi.catalog.models import Measure
from tieuchi.collection.excel import layout
from tieuchi.collection.models import Observation
from tieuchi.collection.services import _snapshot
from tieuchi.collection.tests.test_excel_files import cell, fill, import_as, rows_by_code, template

# One typed value per kind of cell found in the ward's template, as officials type them.
TYPED = {
    "ratio": {"numerator": "87,25", "denominator": 100},
    "boolean": {"result": "Chưa đạt"},
    "value": {"value": "1.234,5"},
    "level": {},  # the measure's own best grade, below
}


def category(kind: str) -> str:
    if kind in layout.RATIO_KINDS | layout.BOOLEAN_KINDS | layout.LEVEL_KINDS:
        return kind
    return "value" if kind in layout.VALUE_KINDS else ""


def filled_ward_template() -> tuple[bytes, dict[str, str]]:
    data = template("00121", "2024")
    codes = {code for _, code in rows_by_code(data)}
    measures = {
        m.code: m for m in Measure.objects.filter(code__in=codes, node__catalog__key="qd04-2022")
    }
    chosen, values = {}, {}
    for code in sorted(codes):
        kind = category(measures[code].kind) if code in measures else ""
        if kind and kind not in chosen.values():
            chosen[code] = kind
            typed = TYPED[kind] or {"result": measures[code].config["scale"][-1]}
            for column, text in typed.items():
                values[cell(data, code, column, "00121")] = text
    return fill(data, values), chosen


@pytest.mark.django_db
def test_new_figures_of_every_kind_have_the_single_save_audit_record(ward_officer):
    data, chosen = filled_ward_template()
    assert sorted(chosen.values()) == sorted(TYPED)  # the template has every kind
    # The ratio's and the value's figures are far from last year's: confirmed, each record says so.
    outcome = import_as("canbo.giangbien", data, confirm_unusual=True)
    assert outcome.ok, [str(p) for p in outcome.problems]
    flagged = {row.code for row in outcome.result.unusual}
    assert flagged == {code for code, kind in chosen.items() if kind in ("ratio", "value")}
    events = AuditEvent.objects.filter(channel="excel", note__contains=f"#{outcome.batch.pk})")
    assert events.count() == len(chosen)
    for event in events:
        observation = Observation.objects.get(pk=event.object_id)
        assert (event.action, event.actor.username, event.before) == (
            "create",
            "canbo.giangbien",
            None,
        )
        assert event.after == _snapshot(observation)
        assert event.object_repr == str(observation)
        confirmed = observation.measure.code in flagged
        assert ("Đã xác nhận giá trị bất thường" in event.note) == confirmed
        assert event.note.startswith(f"Nhập từ tệp Excel mau.xlsx (lần nhập #{outcome.batch.pk})")
    ratio = next(code for code, kind in chosen.items() if kind == "ratio")
    event = events.get(object_repr__contains=f" {ratio} ")
    assert (event.after["numerator"], event.after["denominator"]) == ("87.25", "100")
    boolean = next(code for code, kind in chosen.items() if kind == "boolean")
    assert events.get(object_repr__contains=f" {boolean} ").after["boolean_value"] is False
    value = next(code for code, kind in chosen.items() if kind == "value")
    assert events.get(object_repr__contains=f" {value} ").after["value"] == "1234.5"


@pytest.fixture
def ward_officer(db):
    from tieuchi.accounts.models import User

    return User.objects.get(username="canbo.giangbien")
