"""A value far outside the unit's own history is flagged for confirmation, never refused: on the
entry form, in an Excel import (preview, then commit with confirmation) and on the command line.
Each confirmation is kept in the value's history: who, when, through which channel, and why."""

import datetime as dt
from decimal import Decimal

import pytest

from tieuchi.accounts.models import AuditEvent, User
from tieuchi.accounts.roles import Role
from tieuchi.catalog.models import Measure
from tieuchi.collection import entry
from tieuchi.collection.models import ImportBatch, Observation
from tieuchi.collection.tests.test_entry import measure, row_url
from tieuchi.collection.tests.test_excel_files import cell, fill, stored, template
from tieuchi.collection.tests.test_import_cli import run
from tieuchi.collection.tests.test_import_pages import upload
from tieuchi.orgs.models import AdminUnit, Membership

HTMX = {"HX-Request": "true"}
CONFIRMED = "Đã xác nhận giá trị bất thường"


@pytest.fixture
def tdp13(db):
    return AdminUnit.objects.get(official_code="00121-TDP13")


@pytest.fixture
def head13(db, tdp13, login):
    """A TDP head for TDP 13, whose 6.1 and 8.2 figures of 2023 are still missing in the demo."""
    user = User.objects.create(username="tdp13.giangbien", full_name="Tổ trưởng TDP số 13")
    Membership.objects.create(user=user, unit=tdp13, role=Role.TDP_HEAD)
    return login("tdp13.giangbien")


def history_of(client, observation: Observation) -> str:
    return client.get(f"/data/values/{observation.pk}/history/").content.decode()


@pytest.mark.django_db
def test_the_entry_form_records_who_confirmed_an_unusual_value(head13, tdp13):
    head = head13
    user = User.objects.get(username="tdp13.giangbien")
    measure = Measure.objects.get(code="6.1", node__catalog__key="qd04-2022")
    Observation.objects.create(
        unit=tdp13,
        measure=measure,
        period="2022",
        period_start=dt.date(2022, 1, 1),
        period_end=dt.date(2022, 12, 31),
        numerator=600,
        denominator=700,
    )
    url = f"/data/units/{tdp13.pk}/2023/rows/{measure.pk}/"
    data = {"numerator": "100", "denominator": "700", "version": ""}
    flagged = head.post(url, data, headers=HTMX).content.decode()
    assert "lệch hơn 30 điểm" in flagged and 'name="confirm"' in flagged
    assert not Observation.objects.filter(unit=tdp13, measure=measure, period="2023").exists()

    head.post(url, {**data, "confirm": "1"}, headers=HTMX)
    saved = Observation.objects.get(unit=tdp13, measure=measure, period="2023")
    event = AuditEvent.objects.get(object_type="collection.observation", object_id=str(saved.pk))
    assert (event.actor, event.channel, event.action) == (user, "web", "create")
    assert event.note.startswith(f"{CONFIRMED}: Tỷ lệ 14,3 % lệch hơn 30 điểm")
    html = history_of(head, saved)
    assert CONFIRMED in html and "Tổ trưởng TDP số 13" in html and "Giao diện web" in html


def unusual_file() -> bytes:
    """TDP 13, 2024: 2.5 typed as 50/197 (25 %) after 197/197 (100 %) in 2023; 3.3 as usual."""
    data = template("00121-TDP13", "2024")
    return fill(
        data,
        {
            cell(data, "2.5", "numerator"): 50,
            cell(data, "2.5", "denominator"): 197,
            cell(data, "3.3", "numerator"): 190,
            cell(data, "3.3", "denominator"): 197,
        },
    )


@pytest.mark.django_db
def test_an_import_lists_unusual_rows_and_writes_only_once_they_are_confirmed(login):
    client = login("canbo.giangbien")
    response = upload(client, unusual_file(), "00121-TDP13", "2024")
    batch = ImportBatch.objects.latest("id")
    preview = client.get(response["Location"]).content.decode()
    assert 'id="import-unusual"' in preview
    assert "2.5: Tỷ lệ 25,4 % lệch hơn 30 điểm so với kỳ trước (100 %)" in preview
    assert 'name="confirm_unusual"' in preview
    assert preview.count("lệch hơn 30 điểm") == 1  # 3.3 is close to its history

    refused = client.post(f"/data/import/{batch.pk}/commit/", follow=True).content.decode()
    assert "1 số liệu khác xa kỳ trước cần được xác nhận" in refused
    batch.refresh_from_db()
    assert batch.status == "preview" and stored("2.5") is None and stored("3.3") is None

    client.post(f"/data/import/{batch.pk}/commit/", {"confirm_unusual": "1"})
    batch.refresh_from_db()
    assert batch.status == "committed"
    assert stored("2.5") == (Decimal(50), Decimal(197))
    assert stored("3.3") == (Decimal(190), Decimal(197))
    notes = dict(
        AuditEvent.objects.filter(channel="excel", note__contains=f"#{batch.pk}").values_list(
            "object_repr", "note"
        )
    )
    assert len(notes) == 2
    [unusual_note] = [note for repr_, note in notes.items() if " 2.5 " in repr_]
    [usual_note] = [note for repr_, note in notes.items() if " 3.3 " in repr_]
    assert f"(lần nhập #{batch.pk}). {CONFIRMED}: Tỷ lệ 25,4 %" in unusual_note
    assert CONFIRMED not in usual_note
    observation = Observation.objects.get(
        unit__official_code="00121-TDP13", measure__code="2.5", period="2024"
    )
    html = history_of(client, observation)
    assert CONFIRMED in html and "Tệp Excel" in html


@pytest.mark.django_db
def test_the_command_refuses_unusual_rows_unless_confirmed(tmp_path, capsys):
    path = tmp_path / "mau.xlsx"
    path.write_bytes(unusual_file())
    assert run("import_values", str(path), "--user", "canbo.giangbien") == 1
    error = capsys.readouterr().err
    assert "có 1 số liệu khác xa kỳ trước, chưa ghi gì" in error
    assert "2.5: Tỷ lệ 25,4 % lệch hơn 30 điểm" in error and "--confirm-unusual" in error
    assert stored("2.5") is None

    assert run("import_values", str(path), "--user", "canbo.giangbien", "--confirm-unusual") == 0
    assert stored("2.5") == (Decimal(50), Decimal(197))
    event = AuditEvent.objects.filter(channel="excel", object_repr__contains=" 2.5 2024").get()
    assert event.actor.username == "canbo.giangbien" and CONFIRMED in event.note


# The rule and the entry form ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("previous", "typed", "warning"),
    [
        ((600, 700), (100, 700), "lệch hơn 30 điểm"),  # 85,7 % → 14,3 %
        ((600, 700), (2500, 2600), "Mẫu số 2.600 khác xa kỳ trước (700)"),  # 96 %, 3.7× people
        ((600, 700), (60, 70), "Mẫu số 70 khác xa kỳ trước (700)"),
        ((600, 700), (640, 700), None),
        (None, (10, 700), None),  # no history: nothing to compare with
    ],
)
@pytest.mark.django_db
def test_a_figure_far_from_the_units_history_needs_confirmation(
    head13, tdp13, previous, typed, warning
):
    m = measure("6.1")
    if previous:
        Observation.objects.create(
            unit=tdp13,
            measure=m,
            period="2022",
            period_start=dt.date(2022, 1, 1),
            period_end=dt.date(2022, 12, 31),
            numerator=previous[0],
            denominator=previous[1],
        )
    data = {"numerator": str(typed[0]), "denominator": str(typed[1]), "version": ""}
    response = head13.post(row_url(tdp13, m), data, headers=HTMX)
    stored = Observation.objects.filter(unit=tdp13, measure=m, period="2023")
    if warning is None:
        assert stored.exists() and "Đã lưu lúc" in response.content.decode()
        return
    assert warning in response.content.decode()
    assert "Xác nhận giá trị bất thường" in response.content.decode()
    assert not stored.exists()
    confirmed = head13.post(row_url(tdp13, m), {**data, "confirm": "1"}, headers=HTMX)
    assert "đã xác nhận giá trị bất thường" in confirmed.content.decode()
    assert stored.get().numerator == typed[0]


@pytest.mark.parametrize(
    ("mode", "unit_of_measure", "previous", "values", "flagged"),
    [
        ("value", "vụ", Decimal(10), {"value": Decimal(31)}, True),
        ("value", "vụ", Decimal(10), {"value": Decimal(30)}, False),
        ("value", "vụ", Decimal(10), {"value": Decimal(3)}, True),
        ("value", "vụ", Decimal(0), {"value": Decimal(5)}, False),  # from nothing: no ratio
        ("value", "%", Decimal(40), {"value": Decimal(75)}, True),
        ("value", "%", Decimal(40), {"value": Decimal(69)}, False),
        ("ratio", "%", (90, 100), {"numerator": Decimal(59), "denominator": Decimal(100)}, True),
        ("ratio", "%", (90, 100), {"numerator": Decimal(61), "denominator": Decimal(100)}, False),
        ("boolean", "", True, {"boolean_value": False}, False),
    ],
)
def test_unusual_figures_rule(mode, unit_of_measure, previous, values, flagged):
    m = Measure(code="x", unit_of_measure=unit_of_measure, kind=mode)
    if mode == "ratio":
        before = Observation(numerator=previous[0], denominator=previous[1])
    elif mode == "boolean":
        before = Observation(boolean_value=previous)
    else:
        before = Observation(value=previous)
    assert bool(entry.unusual(mode, m, values, before)) is flagged
