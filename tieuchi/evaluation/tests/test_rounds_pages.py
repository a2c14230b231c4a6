"""The round pages: Giang Biên's round 2 from self-assessment to a closed corrective action, as
the ward and the district inspector click through it; scope, read-only views and query counts."""

import pytest

from tieuchi.evaluation import rounds
from tieuchi.evaluation.models import CorrectiveAction, RoundAssessment, Transition
from tieuchi.evaluation.tests.test_rounds import DUE, conclude_all, user
from tieuchi.orgs.models import AdminUnit
from tieuchi.plans.models import EvaluationRound

BASE = "/evaluation/rounds/"


@pytest.fixture
def round2(db):
    return EvaluationRound.objects.get(plan__key="giang-bien-2023", number=2)


def page(round2, stage="") -> str:
    return f"{BASE}{round2.pk}/00121/{stage}"


def rows(assessment, posted: dict[str, tuple[str, str]]) -> dict:
    """The whole items form as the browser sends it, with some rows changed by code."""
    data = {}
    for item in assessment.items.select_related("node"):
        verdict, remark = posted.get(item.node.code, (item.verdict, item.remark))
        data[f"verdict-{item.pk}"] = verdict
        data[f"remark-{item.pk}"] = remark
        data[f"version-{item.pk}"] = rounds.item_version(item)
    return data


def message_of(response) -> str:
    return " ".join(str(m) for m in response.wsgi_request._messages)


@pytest.mark.django_db
def test_round_2_goes_from_self_assessment_to_a_closed_corrective_action(login, round2):
    leader, lead, inspector = (
        login("dong.giangbien"),
        login("hoai.giangbien"),
        login("kiemtra.longbien"),
    )
    listing = leader.get(BASE).content.decode()
    assert "Đợt 2 – tháng 11/2023" in listing and "Chưa bắt đầu" in listing

    assert leader.post(page(round2, "self/start/")).status_code == 302
    own = RoundAssessment.objects.get(round=round2, stage="self")
    html = leader.get(page(round2)).content.decode()
    assert html.count('<tr id="item-') == 52
    assert "Bắt đầu tự đánh giá</button>" not in html and "Gửi bản tự đánh giá</button>" in html

    six_one = own.items.get(node__code="6.1")
    row = {
        f"verdict-{six_one.pk}": "met",
        f"remark-{six_one.pk}": "",
        f"version-{six_one.pk}": rounds.item_version(six_one),
    }
    url = f"{BASE}assessments/{own.pk}/items/{six_one.pk}/"
    refused = lead.post(url, row, headers={"HX-Request": "true"}).content.decode()
    assert refused.startswith('<tr id="item-') and "cần ghi nhận xét giải thích" in refused
    row[f"remark-{six_one.pk}"] = "TDP 13 đã báo cáo bổ sung"
    saved = lead.post(url, row, headers={"HX-Request": "true"}).content.decode()
    assert "Đã lưu" in saved
    response = lead.post(
        f"{BASE}assessments/{own.pk}/items/", rows(own, {"1.1": ("met", "Đã công bố quy hoạch")})
    )
    assert response.status_code == 302 and "Đã lưu 1 nội dung" in message_of(response)

    leader.post(f"{BASE}assessments/{own.pk}/submit/", {"note": "Gửi quận"})
    own.refresh_from_db()
    assert own.status == "submitted"

    assert (
        "Bắt đầu kiểm tra</button>" in inspector.get(page(round2, "inspection/")).content.decode()
    )
    inspector.post(page(round2, "inspection/start/"))
    inspection = RoundAssessment.objects.get(round=round2, stage="inspection")
    undecided = {
        i.node.code: ("not_met", "Chưa có số liệu kiểm chứng")
        for i in inspection.items.select_related("node")
        if i.verdict == "no_data"
    }
    inspector.post(f"{BASE}assessments/{inspection.pk}/items/", rows(inspection, undecided))
    inspector.post(f"{BASE}assessments/{inspection.pk}/confirm/", {"note": "Kết luận đợt 2"})
    inspection.refresh_from_db()
    own.refresh_from_db()
    assert (inspection.status, own.status) == ("confirmed", "confirmed")
    assert "Giao việc khắc phục" in inspector.get(page(round2, "inspection/")).content.decode()

    failed = inspection.items.get(node__code="9.5")
    form = inspector.get(f"{BASE}items/{failed.pk}/actions/new/")
    assert form.status_code == 200
    inspector.post(
        f"{BASE}items/{failed.pk}/actions/new/",
        {"description": "Hoàn thiện hồ sơ tiếp cận pháp luật", "due_on": "2024-03-31"},
    )
    action = CorrectiveAction.objects.get(item=failed)
    listing = lead.get(f"{BASE}actions/").content.decode()
    assert "Hoàn thiện hồ sơ tiếp cận pháp luật" in listing and "31/03/2024" in listing
    lead.post(f"{BASE}actions/{action.pk}/close/", {"note": "Xong", "closed_on": "2024-03-01"})
    action.refresh_from_db()
    assert action.status == "done"
    steps = Transition.objects.filter(object_type="evaluation.roundassessment")
    assert [(t.action, t.to_state) for t in steps.filter(object_id=str(own.pk))] == [
        ("start", "draft"),
        ("submit", "submitted"),
        ("confirm", "confirmed"),
    ]


@pytest.mark.django_db
def test_a_bulk_save_with_a_missing_remark_keeps_what_was_typed(login, round2):
    leader = login("dong.giangbien")
    leader.post(page(round2, "self/start/"))
    own = RoundAssessment.objects.get(round=round2, stage="self")
    response = leader.post(
        f"{BASE}assessments/{own.pk}/items/",
        rows(own, {"6.1": ("met", ""), "1.1": ("met", "Ghi chú mới")}),
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "6.1: kết luận “Đạt” khác kết quả tính tự động" in html
    assert "Ghi chú mới" in html
    assert own.items.get(node__code="1.1").remark == ""


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "{round}/00121/"),
        ("get", "{round}/00121/inspection/"),
        ("post", "{round}/00121/self/start/"),
        ("post", "assessments/{own}/items/"),
        ("post", "assessments/{own}/submit/"),
        ("get", "recognition/00121/"),
    ],
)
@pytest.mark.django_db
def test_another_wards_leader_gets_404(login, round2, method, path):
    giang_bien = AdminUnit.objects.get(official_code="00121")
    own = RoundAssessment.objects.create(round=round2, unit=giang_bien, stage="self")
    client = login("lanhdao.phucloi")
    response = getattr(client, method)(BASE + path.format(round=round2.pk, own=own.pk))
    assert response.status_code == 404


@pytest.mark.django_db
def test_a_viewer_reads_the_assessment_but_cannot_start_or_edit_it(login, round2):
    login("dong.giangbien").post(page(round2, "self/start/"))
    viewer = login("xem.giangbien")
    html = viewer.get(page(round2)).content.decode()
    assert html.count('<tr id="item-') == 52
    assert '<select name="verdict-' not in html and "Gửi bản tự đánh giá</button>" not in html
    own = RoundAssessment.objects.get(round=round2, stage="self")
    response = viewer.post(f"{BASE}assessments/{own.pk}/submit/")
    assert "Chỉ Lãnh đạo phường hoặc Phụ trách tiêu chí mới được gửi" in message_of(response)
    own.refresh_from_db()
    assert own.status == "draft"


@pytest.mark.django_db
def test_the_pages_use_a_fixed_number_of_queries(login, round2, django_assert_max_num_queries):
    """However many items and actions there are: no query per row."""
    giang_bien = AdminUnit.objects.get(official_code="00121")
    own = rounds.start_self_assessment(user("dong.giangbien"), round2, giang_bien)
    rounds.submit_self_assessment(user("dong.giangbien"), own)
    inspection = rounds.start_inspection(user("kiemtra.longbien"), own)
    conclude_all(inspection, user("kiemtra.longbien"))
    rounds.confirm_inspection(user("kiemtra.longbien"), inspection)
    failed = inspection.items.filter(verdict="not_met").select_related("node")[:4]
    for item in failed:
        rounds.add_corrective_action(
            user("kiemtra.longbien"), item, description=item.node.code, due_on=DUE
        )
    client = login("kiemtra.longbien")
    for url, budget in [
        (page(round2), 13),
        (page(round2, "inspection/"), 14),
        (BASE, 8),
        (f"{BASE}actions/", 6),
    ]:
        with django_assert_max_num_queries(budget):
            assert client.get(url).status_code == 200
