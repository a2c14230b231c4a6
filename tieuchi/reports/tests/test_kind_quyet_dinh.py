"""Quyết định công nhận, read back: for a ward taken through the real recognition steps (the
test ward of the recognition tests, since the demo ward does not meet all criteria) the number,
date, 5-year validity, council and legal basis equal the stored decision; the demo ward, which
has no decision, gets a clear message."""

import datetime as dt

import pytest

from tieuchi.evaluation import recognition
from tieuchi.evaluation.models import RecognitionDecision
from tieuchi.evaluation.tests.test_recognition import at_council, inspector, meet, ward  # noqa: F401
from tieuchi.reports.request import ReportInputError
from tieuchi.reports.tests.official_layout import assert_official_layout, render


@pytest.fixture
def decision(ward, inspector) -> RecognitionDecision:  # noqa: F811
    dossier = at_council(ward, inspector)
    meet(inspector, dossier, present=8, votes_for=7, votes_against=1)
    return recognition.recognise(
        inspector,
        dossier,
        number="1234/QĐ-UBND",
        decided_on=dt.date(2024, 7, 12),
        signer="Nguyễn Văn Chủ",
    )


@pytest.mark.django_db
def test_the_decision_is_issued_by_the_district_chair_with_its_own_number_and_date(decision):
    doc, request, _data = render("quyet-dinh", decision.unit.official_code)
    assert_official_layout(doc, request, f"Số: {decision.number}")
    assert request.header.date == decision.decided_on
    assert request.header.issuing_body == "ỦY BAN NHÂN DÂN QUẬN LONG BIÊN"
    assert "CHỦ TỊCH ỦY BAN NHÂN DÂN QUẬN LONG BIÊN" in doc.paragraphs
    assert decision.signer in doc.text and "TM. ỦY BAN NHÂN DÂN" not in doc.text
    assert "QUYẾT ĐỊNH" in doc.text and "Như Điều 3;" in doc.text


@pytest.mark.django_db
def test_the_articles_and_grounds_equal_the_stored_decision_and_council(decision):
    doc, _request, _data = render("quyet-dinh", decision.unit.official_code)
    years = decision.valid_until.year - decision.decided_on.year
    article_1 = next(p for p in doc.paragraphs if p.startswith("Điều 1."))
    assert f"có giá trị {years:02d} năm" in article_1
    assert decision.decided_on.strftime("%d/%m/%Y") in article_1
    assert decision.valid_until.strftime("%d/%m/%Y") in article_1
    law = decision.catalog.legal_document
    council = decision.dossier.council
    grounds = [p for p in doc.paragraphs if p.startswith("Căn cứ")]
    assert grounds[0].startswith(f"Căn cứ Quyết định số {law.number} ngày")
    assert grounds[1] == (
        f"Căn cứ kết quả họp Hội đồng thẩm định ngày {council.meeting_on:%d/%m/%Y}, "
        f"{council.votes_for} phiếu đồng ý, {council.votes_against} phiếu không đồng ý;"
    )


@pytest.mark.django_db
def test_an_edited_number_replaces_the_stored_one(decision):
    doc, request, _data = render("quyet-dinh", decision.unit.official_code, number="88")
    assert_official_layout(doc, request, "Số: 88/QĐ-UBND")


@pytest.mark.django_db
def test_the_demo_ward_without_a_decision_gets_a_clear_message():
    with pytest.raises(ReportInputError, match="Phường Giang Biên chưa có quyết định công nhận"):
        render("quyet-dinh", "00121")
