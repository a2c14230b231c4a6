"""POST /values with a figure far outside the unit's own history: refused with the stable code
`unusual` until the request confirms it, and the confirmation kept in the value's history."""

import pytest

from tieuchi.accounts.models import AuditEvent
from tieuchi.collection.models import Observation


def figure(measure="6.1", **figures) -> dict:
    return {
        "unit": "00121-TDP01",
        "catalog": "qd04-2022",
        "measure": measure,
        "period": "2024",
        **figures,
    }


def written() -> tuple[int, int]:
    return Observation.objects.count(), AuditEvent.objects.count()


@pytest.mark.django_db
def test_an_unusual_figure_is_refused_until_confirmed_then_recorded(api, login):
    head = api("tdp01.giangbien")
    unusual = figure(numerator=10, denominator=760)  # 1,3 % after 94,2 % in 2023
    usual = figure(measure="8.2", numerator=700, denominator=760)
    before = written()
    response = head.post("/values", {"values": [usual, unusual]})
    assert response.status_code == 422, response.content
    error = response.json()["error"]
    assert (error["code"], error["field"]) == ("unusual", "values[1]")
    assert "lệch hơn 30 điểm so với kỳ trước" in error["message"]
    assert "confirm_unusual: true" in error["message"]
    assert written() == before  # all or nothing: the usual figure is not written either

    response = head.post("/values", {"values": [usual, {**unusual, "confirm_unusual": True}]})
    assert response.status_code == 200, response.content
    [warning] = response.json()["warnings"]
    assert (warning["code"], warning["field"]) == ("unusual", "values[1]")
    saved = response.json()["values"][1]
    event = AuditEvent.objects.get(object_type="collection.observation", object_id=str(saved["id"]))
    assert (event.actor.username, event.channel) == ("tdp01.giangbien", "api")
    assert event.note.startswith("Đã xác nhận giá trị bất thường: Tỷ lệ 1,3 %")
    usual_event = AuditEvent.objects.get(
        object_type="collection.observation", object_id=str(response.json()["values"][0]["id"])
    )
    assert usual_event.note == ""

    history = login("canbo.giangbien").get(f"/data/values/{saved['id']}/history/")
    html = history.content.decode()
    assert "Đã xác nhận giá trị bất thường" in html and ">API<" in html


@pytest.mark.django_db
def test_confirming_a_usual_figure_changes_nothing(api):
    response = api("tdp01.giangbien").post(
        "/values",
        {"values": [figure(numerator=700, denominator=760, confirm_unusual=True)]},
    )
    assert response.status_code == 200, response.content
    assert response.json()["warnings"] == []
    event = AuditEvent.objects.get(
        object_type="collection.observation", object_id=str(response.json()["values"][0]["id"])
    )
    assert event.note == ""
