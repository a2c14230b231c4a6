"""POST /values: the web forms' validation, locking, scope and audit, through the API."""

import datetime as dt
from decimal import Decimal

import pytest

from tieuchi.accounts.models import AuditEvent
from tieuchi.catalog.models import Catalog
from tieuchi.collection.models import Observation, ReportingWindow, Submission
from tieuchi.collection.signals import figures_changed
from tieuchi.orgs.models import AdminUnit


def figure(unit="00121-TDP01", measure="6.1", period="2024", **figures) -> dict:
    return {"unit": unit, "catalog": "qd04-2022", "measure": measure, "period": period, **figures}


def written() -> tuple[int, int]:
    return Observation.objects.count(), AuditEvent.objects.count()


@pytest.fixture
def head(api):
    return api("tdp01.giangbien")


@pytest.mark.django_db
def test_a_tdp_head_enters_a_figure_and_it_is_audited_as_api(head):
    response = head.post("/values", {"values": [figure(numerator=700, denominator=760)]})
    assert response.status_code == 200, response.content
    [value] = response.json()["values"]
    assert (value["unit"], value["measure"], value["period"]) == ("00121-TDP01", "6.1", "2024")
    assert (value["numerator"], value["denominator"], value["version"]) == (700, 760, 1)
    assert value["status"] == "draft" and value["entered_by"] == "tdp01.giangbien"
    assert value["percent"] == pytest.approx(92.1053, abs=1e-4)
    stored = Observation.objects.get(pk=value["id"])
    assert stored.numerator == Decimal(700)
    event = AuditEvent.objects.get(object_type="collection.observation", object_id=str(stored.pk))
    assert (event.action, event.channel, event.actor.username) == (
        "create",
        "api",
        "tdp01.giangbien",
    )
    assert event.after["numerator"] == "700"

    changed = head.post(
        "/values", {"values": [figure(numerator="712.5", denominator=760, expected_version=1)]}
    )
    assert changed.status_code == 200, changed.content
    assert changed.json()["values"][0]["numerator"] == 712.5
    assert changed.json()["values"][0]["version"] == 2
    update = AuditEvent.objects.filter(object_id=str(stored.pk), action="update").get()
    assert (update.channel, update.before["numerator"], update.after["numerator"]) == (
        "api",
        "700",
        "712.5",
    )


@pytest.mark.django_db
def test_saved_figures_refresh_the_results_after_commit(head, django_capture_on_commit_callbacks):
    received = []

    def listener(sender, unit, catalog, **kwargs):
        received.append((unit.official_code, catalog.key))

    figures_changed.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            response = head.post("/values", {"values": [figure(numerator=700, denominator=760)]})
        assert response.status_code == 200
        for callback in callbacks:
            callback()
    finally:
        figures_changed.disconnect(listener)
    assert ("00121-TDP01", "qd04-2022") in received


@pytest.mark.django_db
def test_a_tdp_head_cannot_write_another_tdps_figures(head):
    before = written()
    response = head.post(
        "/values", {"values": [figure(unit="00121-TDP02", numerator=1, denominator=2)]}
    )
    assert response.status_code == 403
    error = response.json()["error"]
    assert error["code"] == "forbidden"
    assert error["field"] == "values[0].unit"
    assert "không có quyền nhập số liệu" in error["message"]
    # Nor the ward's, nor by mixing it with an allowed figure: nothing at all is written.
    mixed = head.post(
        "/values",
        {
            "values": [
                figure(numerator=700, denominator=760),
                figure(unit="00121", measure="8.2", numerator=1, denominator=2),
            ]
        },
    )
    assert mixed.status_code == 403
    assert [d["code"] for d in mixed.json()["error"]["details"]] == ["forbidden"]
    assert written() == before


@pytest.mark.django_db
def test_a_viewer_may_read_but_not_write(api):
    viewer = api("xem.giangbien")
    assert viewer.get("/values", {"unit": "00121-TDP01"}).status_code == 200
    response = viewer.post("/values", {"values": [figure(numerator=1, denominator=2)]})
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"


@pytest.mark.django_db
def test_writing_to_a_unit_outside_the_scope_is_403_and_an_unknown_code_404(api):
    other_ward = api("lanhdao.phucloi")
    before = written()
    hidden = other_ward.post("/values", {"values": [figure(numerator=1, denominator=2)]})
    unknown = other_ward.post(
        "/values", {"values": [figure(unit="99999", numerator=1, denominator=2)]}
    )
    assert (hidden.status_code, hidden.json()["error"]["code"]) == (403, "forbidden")
    assert (unknown.status_code, unknown.json()["error"]["code"]) == (404, "not_found")
    assert unknown.json()["error"]["message"] == "Không có đơn vị mã '99999'."
    assert written() == before


@pytest.mark.django_db
def test_a_stale_version_is_a_conflict_with_the_current_value(head, api):
    first = head.post("/values", {"values": [figure(numerator=600, denominator=700)]}).json()
    assert first["values"][0]["version"] == 1
    ward = api("dong.giangbien")
    other = ward.post(
        "/values", {"values": [figure(numerator=650, denominator=700, expected_version=1)]}
    )
    assert other.status_code == 200
    before = written()
    stale = head.post(
        "/values", {"values": [figure(numerator=610, denominator=700, expected_version=1)]}
    )
    assert stale.status_code == 409
    error = stale.json()["error"]
    assert error["code"] == "conflict"
    assert error["field"] == "values[0].expected_version"
    assert "650/700" in error["message"] and "Vũ Phương Đông" in error["message"]
    assert error["current"]["numerator"] == 650 and error["current"]["version"] == 2
    assert error["current"]["entered_by"] == "dong.giangbien"
    assert written() == before
    # A "new" figure that already exists is a conflict too: the client must send the version.
    again = head.post("/values", {"values": [figure(numerator=700, denominator=760)]})
    assert again.status_code == 409 and again.json()["error"]["current"]["version"] == 2
    # And a version for a figure that does not exist.
    missing = head.post(
        "/values",
        {"values": [figure(period="2025", numerator=700, denominator=760, expected_version=3)]},
    )
    assert missing.status_code == 409
    assert missing.json()["error"]["current"] is None
    assert "hãy tải lại" in missing.json()["error"]["message"]


@pytest.mark.django_db
def test_an_approved_figure_is_locked(head):
    approved = Observation.objects.get(
        unit__official_code="00121-TDP01", measure__code="6.1", period="2023"
    )
    assert approved.status == "approved"
    before = written()
    response = head.post(
        "/values",
        {
            "values": [
                figure(period="2023", numerator=1, denominator=2, expected_version=approved.version)
            ]
        },
    )
    assert response.status_code == 423
    error = response.json()["error"]
    assert error["code"] == "locked"
    assert error["message"].startswith("Số liệu đã được duyệt và khóa")
    assert error["current"]["status"] == "approved"
    assert error["current"]["numerator"] == int(approved.numerator)
    assert written() == before


@pytest.mark.django_db
def test_a_closed_period_is_locked(head):
    ReportingWindow.objects.create(
        catalog=Catalog.objects.get(key="qd04-2022"),
        period="2024",
        opens_on=dt.date(2024, 1, 1),
        due_on=dt.date(2025, 1, 15),
        closed=True,
    )
    response = head.post("/values", {"values": [figure(numerator=1, denominator=2)]})
    assert response.status_code == 423
    assert response.json()["error"]["code"] == "locked"
    assert response.json()["error"]["message"] == (
        "Kỳ báo cáo năm 2024 đã khóa; không nhập hoặc sửa số liệu được nữa."
    )


@pytest.mark.parametrize(
    ("item", "field", "message"),
    [
        (
            figure(numerator=800, denominator=760),
            "values[0].numerator",
            "Tử số không được lớn hơn mẫu số.",
        ),
        (
            figure(numerator=-1, denominator=5),
            "values[0].numerator",
            "Tử số không được âm.",
        ),
        (figure(numerator=1), "values[0].denominator", "Cần nhập cả mẫu số."),
        (
            figure(value=5, numerator=1, denominator=5),
            "values[0].value",
            "Chỉ tiêu 6.1 nhận numerator và denominator; không nhận value.",
        ),
        (
            figure(measure="8.3", numerator=1, denominator=5),
            "values[0].measure",
            "8.3 không thuộc các chỉ tiêu Tổ dân phố số 1 nhập.",
        ),
        (
            figure(measure="6.1", numerator=1, denominator=2, catalog="khong-co"),
            "values[0].catalog",
            "Không có bộ tiêu chí 'khong-co'.",
        ),
        (
            figure(period="2024-13", numerator=1, denominator=5),
            "values[0].period",
            "Kỳ '2024-13' không hợp lệ; dùng dạng 2023, 2023-Q4 hoặc 2023-11.",
        ),
        (
            figure(period="2024-Q5", numerator=1, denominator=5),
            "values[0].period",
            "Kỳ '2024-Q5' không hợp lệ; dùng dạng 2023, 2023-Q4 hoặc 2023-11.",
        ),
        (
            figure(),
            "values[0]",
            "Chưa có số liệu: chỉ tiêu 6.1 cần numerator và denominator.",
        ),
        (
            figure(numerator="87,5", denominator=100),
            "values[0].numerator",
            "Phải là số (dấu chấm thập phân, ví dụ 87.5).",
        ),
        (
            figure(numerator="1.23456", denominator=5),
            "values[0].numerator",
            "Nhiều nhất 4 chữ số sau dấu thập phân.",
        ),
        (
            figure(value="1e13"),
            "values[0].value",
            "Nhiều nhất 12 chữ số phần nguyên.",
        ),
        (
            figure(numerater=1),
            "values[0].numerater",
            "Trường này không được nhận; xem tài liệu API.",
        ),
        ({"unit": "00121-TDP01", "numerator": 1}, "values[0].catalog", "Thiếu trường bắt buộc."),
        (
            figure(boolean="có lẽ"),
            "values[0].boolean",
            "Phải là true hoặc false.",
        ),
        (
            figure(measure="99.9", numerator=1, denominator=2),
            "values[0].measure",
            "Bộ tiêu chí 'qd04-2022' không có chỉ số đo '99.9'.",
        ),
    ],
)
@pytest.mark.django_db
def test_refusals_name_the_field_in_vietnamese(head, item, field, message):
    before = written()
    response = head.post("/values", {"values": [item]})
    assert response.status_code in {404, 422}, response.content
    error = response.json()["error"]
    assert error["code"] in {"validation_error", "not_found"}
    assert (error["field"], error["message"].split(" (và ")[0]) == (field, message)
    assert written() == before


@pytest.mark.django_db
def test_every_problem_of_a_batch_is_reported_and_nothing_is_written(head):
    before = written()
    response = head.post(
        "/values",
        {
            "values": [
                figure(measure="6.1", numerator=700, denominator=760),
                figure(measure="8.2", numerator=5, denominator=2),
                figure(measure="8.2", numerator=1, denominator=2, period="2024-Q9"),
                figure(measure="6.1", numerator=700, denominator=761),
            ]
        },
    )
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert [(d["field"], d["code"]) for d in error["details"]] == [
        ("values[1].numerator", "validation_error"),
        ("values[2].period", "validation_error"),
        ("values[3]", "validation_error"),
    ]
    assert error["details"][0]["message"] == "Tử số không được lớn hơn mẫu số."
    assert "đã có ở values[0]" in error["details"][2]["message"]
    assert error["message"].endswith("(và 2 lỗi khác, xem details)")
    assert written() == before


@pytest.mark.django_db
def test_a_batch_is_written_together(head):
    response = head.post(
        "/values",
        {
            "values": [
                figure(measure="6.1", numerator=700, denominator=760),
                figure(measure="8.2", numerator=650, denominator=700, period="2024-Q1"),
            ]
        },
    )
    assert response.status_code == 200
    assert [(v["measure"], v["period"]) for v in response.json()["values"]] == [
        ("6.1", "2024"),
        ("8.2", "2024-Q1"),
    ]
    assert (
        AuditEvent.objects.filter(channel="api", object_type="collection.observation").count() == 2
    )


@pytest.mark.django_db
def test_an_unreadable_body_is_a_bad_request(head):
    response = head.client.post(
        "/api/v1/values",
        "not json",
        content_type="application/json",
        headers={"authorization": f"Bearer {head.secret}"},
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "bad_request"
    empty = head.post("/values", {"values": []})
    assert empty.status_code == 422
    assert empty.json()["error"] == {
        "code": "validation_error",
        "message": "Phải có ít nhất 1 mục.",
        "field": "values",
    }


@pytest.mark.django_db
def test_a_submitted_set_is_closed_to_changes(head):
    Submission.objects.create(
        unit=AdminUnit.objects.get(official_code="00121-TDP01"),
        catalog=Catalog.objects.get(key="qd04-2022"),
        period="2024",
        status=Submission.Status.SUBMITTED,
    )
    response = head.post("/values", {"values": [figure(numerator=1, denominator=2)]})
    assert response.status_code == 423
    assert response.json()["error"]["code"] == "locked"
    assert response.json()["error"]["message"].startswith("Số liệu đã gửi duyệt")


@pytest.mark.django_db
def test_each_kind_takes_its_own_figure(api):
    ward = api("dong.giangbien")
    response = ward.post(
        "/values",
        {
            "values": [
                figure(unit="00121", measure="1.1", boolean=True),
                figure(unit="00121", measure="8.6", level="mức độ 3"),
                figure(unit="00121", measure="6.2", value="74400000"),
            ]
        },
    )
    assert response.status_code == 200, response.content
    saved = response.json()["values"]
    assert [(v["boolean"], v["level"], v["value"]) for v in saved] == [
        (True, "", None),
        (None, "mức độ 3", None),
        (None, "", 74400000),
    ]
