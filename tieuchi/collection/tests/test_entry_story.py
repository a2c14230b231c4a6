"""The issue's story, through the pages: a TDP head enters the figures on a phone-sized form and
submits them; the ward officer returns one with a reason; it is corrected, resubmitted, approved
by someone else and locked; the ward's scorecard changes; every step shows in the history."""

import re

import pytest

from tieuchi.accounts.models import User
from tieuchi.accounts.roles import Role
from tieuchi.catalog.models import Measure
from tieuchi.collection.models import Observation, Submission
from tieuchi.evaluation.models import EvaluationRun, NodeResult
from tieuchi.orgs.models import AdminUnit, Membership

CATALOG = "qd04-2022"
HTMX = {"HX-Request": "true"}


def ward_verdict(code: str) -> str:
    """The verdict of `code` in Giang Biên's current round-2 result (the scorecard)."""
    run = EvaluationRun.objects.get(
        unit__official_code="00121", as_of="2023-11-30", round__number=2, is_current=True
    )
    return NodeResult.objects.get(run=run, code=code).verdict


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


@pytest.mark.django_db
def test_enter_submit_return_correct_approve_lock_and_history(
    login, django_capture_on_commit_callbacks
):
    tdp13 = AdminUnit.objects.get(official_code="00121-TDP13")
    head_user = User.objects.create(username="tdp13.giangbien", full_name="Tổ trưởng TDP số 13")
    Membership.objects.create(user=head_user, unit=tdp13, role=Role.TDP_HEAD)
    head, officer, leader = (
        login("tdp13.giangbien"),
        login("canbo.giangbien"),
        login("dong.giangbien"),
    )
    m61, m82 = (Measure.objects.get(code=c, node__catalog__key=CATALOG) for c in ("6.1", "8.2"))
    page = f"/data/units/{tdp13.pk}/2023/?catalog={CATALOG}"
    flow = f"/data/units/{tdp13.pk}/2023/submission/?catalog={CATALOG}"

    def row(m):
        return f"/data/units/{tdp13.pk}/2023/rows/{m.pk}/"

    def version(m):
        found = Observation.objects.filter(unit=tdp13, measure=m, period="2023").first()
        return str(found.version) if found else ""

    assert ward_verdict("6.1") == "no_data"  # TDP 13 has not reported 6.1 yet

    # 1. The head opens the form (the phone layout is the same page) and types the figures.
    assert head.get(page).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        saved = head.post(
            row(m61), {"numerator": "700", "denominator": "760", "version": ""}, headers=HTMX
        )
    assert "Đã lưu lúc" in saved.content.decode() and "= 92,1 %" in saved.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        head.post(
            row(m82), {"numerator": "2.100", "denominator": "2.280", "version": ""}, headers=HTMX
        )
    assert ward_verdict("6.1") == "met"  # the scorecard changed right after the save

    # 2. Submitted.
    with django_capture_on_commit_callbacks(execute=True):
        head.post(flow, {"action": "submit"})
    assert Submission.objects.get(unit=tdp13, period="2023").status == "submitted"
    assert "Số liệu đã gửi duyệt" in text(head.get(page))

    # 3. The ward officer returns 6.1 with a reason; a return without a reason is refused.
    refused = officer.post(flow, {"action": "return", "reason": ""}, follow=True)
    assert "Cần ghi lý do khi trả lại." in text(refused)
    reason = "6.1: số người trong độ tuổi lao động chưa khớp sổ theo dõi (770 người)"
    with django_capture_on_commit_callbacks(execute=True):
        officer.post(flow, {"action": "return", "reason": reason, "measures": [m61.pk]})
    assert Submission.objects.get(unit=tdp13, period="2023").status == "returned"
    assert ward_verdict("6.1") == "no_data"  # a returned figure is not counted

    # 4. The head sees why, corrects 6.1 and submits again.
    shown = text(head.get(page))
    assert f"Lý do trả lại: {reason}" in shown and "Bị trả lại" in shown
    with django_capture_on_commit_callbacks(execute=True):
        corrected = head.post(
            row(m61),
            {"numerator": "705", "denominator": "770", "version": version(m61)},
            headers=HTMX,
        )
    assert "Đã lưu lúc" in corrected.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        head.post(flow, {"action": "submit"})
    assert Submission.objects.get(unit=tdp13, period="2023").status == "submitted"

    # 5. The head cannot approve their own figures; the ward leader approves.
    assert head.post(flow, {"action": "approve"}).status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        approved = leader.post(flow, {"action": "approve"}, follow=True)
    assert "Đã duyệt; số liệu được khóa." in text(approved)
    figure = Observation.objects.get(unit=tdp13, measure=m61, period="2023")
    assert (figure.numerator, figure.denominator, figure.status) == (705, 770, "approved")
    assert figure.approved_by.username == "dong.giangbien"

    # 6. Locked: the page is read-only and a late save is refused.
    locked_page = text(head.get(page))
    assert "đã được Vũ Phương Đông duyệt" in locked_page and "đã khóa" in locked_page
    late = head.post(
        row(m61), {"numerator": "1", "denominator": "770", "version": version(m61)}, headers=HTMX
    )
    assert "duyệt" in late.content.decode() and "khóa" in late.content.decode()
    figure.refresh_from_db()
    assert figure.numerator == 705

    # 7. The ward's scorecard counts the approved figure.
    assert ward_verdict("6.1") == "met"

    # 8. Every step is in the value's history: who, when, before, after, channel.
    response = officer.get(f"/data/values/{figure.pk}/history/")
    actions = re.findall(r'data-label="Thao tác">([^<]+)</td>', response.content.decode())
    assert actions == [
        "Nhập mới",  # 700/760 by the head
        "Gửi duyệt",
        "Trả lại",
        "Sửa",  # 705/770
        "Đổi trạng thái",  # returned → draft, because it was corrected
        "Gửi duyệt",
        "Duyệt",
    ]
    history = text(response)
    assert "700/760 (92,1 %)" in history and "705/770 (91,6 %)" in history
    assert "Tổ trưởng TDP số 13" in history and "Vũ Phương Đông" in history
    assert "Giao diện web" in history
    assert reason in history
    assert "Bị trả lại Đã gửi, chờ duyệt" in history  # the set's own steps, below
