"""The recognition page: each step's form for the allowed role, the whole path through the page,
refusals shown as messages, and a fixed number of queries."""

import datetime as dt

import pytest
from django.test import Client

from tieuchi.evaluation.models import RecognitionDecision, RecognitionDossier, Registration
from tieuchi.evaluation.tests.test_recognition import ON, ward  # noqa: F401 - fixture

URL = "/evaluation/rounds/recognition/{code}/"


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def step(client, name: str, pk: int = 0, data=None, code="99991"):
    return client.post(f"{URL.format(code=code)}{name}/{pk}/", data or {})


def message_of(response) -> str:
    return " ".join(str(m) for m in response.wsgi_request._messages)


COUNCIL = "\n".join(
    ["Nguyễn Văn Chủ | Chủ tịch UBND quận | Chủ tịch"]
    + [f"Thành viên {n} | Trưởng phòng | Thành viên" for n in range(2, 11)]
)


@pytest.mark.django_db
def test_the_ward_and_the_inspector_walk_the_whole_recognition_through_the_page(
    ward,  # noqa: F811
    login,
    django_assert_max_num_queries,
):
    leader, inspector = client_of(ward["leader"]), login("kiemtra.longbien")
    html = leader.get(URL.format(code="99991")).content.decode()
    assert "Chưa đăng ký xây dựng" in html and "Ghi đăng ký</button>" in html
    assert "Ghi đăng ký</button>" not in inspector.get(URL.format(code="99991")).content.decode()

    step(
        leader,
        "register",
        data={
            "catalog": ward["catalog"].pk,
            "kind": "first",
            "registered_on": "2021-03-01",
            "registered_with": "UBND quận Long Biên",
        },
    )
    registration = Registration.objects.get(unit=ward["unit"])
    step(
        leader,
        "survey",
        registration.pk,
        {
            "organiser": "Ủy ban MTTQ phường Thử",
            "opened_on": "2024-04-01",
            "closed_on": "2024-05-01",
            "respondents": 1000,
            "satisfied": 960,
        },
    )
    step(leader, "open", registration.pk)
    dossier = RecognitionDossier.objects.get(registration=registration)
    response = step(leader, "submit", dossier.pk, {"on": ON.isoformat()})
    assert "Hồ sơ chưa đủ, còn thiếu: Tờ trình đề nghị công nhận" in message_of(response)
    done = ["to_trinh", "bao_cao_ket_qua", "bang_tu_danh_gia", "bao_cao_mttq", "minh_chung"]
    step(leader, "checklist", dossier.pk, {"done": done})
    step(leader, "submit", dossier.pk, {"on": ON.isoformat(), "note": "Kính trình"})
    step(inspector, "accept", dossier.pk, {"on": "2024-07-01"})
    bad = step(inspector, "council", dossier.pk, {"formed_on": "2024-07-03", "members": "Chỉ tên"})
    assert bad.status_code == 422 and "Dòng 1: cần ghi Họ và tên | Chức vụ." in bad.content.decode()
    step(inspector, "council", dossier.pk, {"formed_on": "2024-07-03", "members": COUNCIL})
    council = RecognitionDossier.objects.get(pk=dossier.pk).council
    ids = list(council.members.order_by("id").values_list("pk", flat=True))
    meeting = {"meeting_on": "2024-07-08", "votes_for": 6, "votes_against": 0}
    short = step(inspector, "meeting", council.pk, {**meeting, "present": ids[:6]})
    assert "6/10 (60%) < 70%" in message_of(short)
    step(inspector, "meeting", council.pk, {**meeting, "present": ids[:7]})
    step(inspector, "decide", dossier.pk, {"number": "88/QĐ-UBND", "decided_on": "2024-07-12"})
    decision = RecognitionDecision.objects.get(unit=ward["unit"])
    assert decision.valid_until == dt.date(2029, 7, 12)

    with django_assert_max_num_queries(14):
        html = inspector.get(URL.format(code="99991")).content.decode()
    assert "88/QĐ-UBND" in html and "12/07/2029" in html and "Còn hiệu lực" in html
    assert "7/10 (70%" in html and "✓ 96% ≥ 90%" in html
    assert "Kiểm tra duy trì hằng năm" in html and "Thu hồi quyết định" in html
    assert "Kiểm tra duy trì hằng năm" not in leader.get(URL.format(code="99991")).content.decode()

    refused = step(inspector, "revoke", decision.pk, {"revoked_on": "2025-01-10", "note": ""})
    assert refused.status_code == 422
    step(
        inspector, "revoke", decision.pk, {"revoked_on": "2025-01-10", "note": "Vi phạm tiêu chí 4"}
    )
    decision.refresh_from_db()
    assert decision.revoke_reason == "Vi phạm tiêu chí 4"
    html = leader.get(URL.format(code="99991")).content.decode()
    assert "Đã thu hồi" in html and "Vi phạm tiêu chí 4" in html


@pytest.mark.parametrize("code", ["00121", "99991"])
@pytest.mark.django_db
def test_another_wards_leader_gets_404(ward, login, code):  # noqa: F811
    client = login("lanhdao.phucloi")
    assert client.get(URL.format(code=code)).status_code == 404
    assert step(client, "register", code=code).status_code == 404


@pytest.mark.django_db
def test_a_step_on_an_object_of_another_unit_is_404(ward, login):  # noqa: F811
    leader = client_of(ward["leader"])
    other = Registration.objects.create(
        unit=ward["unit"].parent.children.get(official_code="00121"),
        catalog=ward["catalog"],
        registered_on=dt.date(2021, 1, 1),
        registered_with="UBND quận Long Biên",
    )
    assert step(leader, "open", other.pk).status_code == 404
