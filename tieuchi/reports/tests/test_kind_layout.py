"""Each of the ward's documents, generated for Giang Biên and read back, has the NĐ 30 layout."""

import datetime as dt

import pytest

from tieuchi.orgs.models import AdminUnit
from tieuchi.plans.models import EvaluationRound, Plan
from tieuchi.reports.kinds import all_kinds
from tieuchi.reports.request import ReportInputError
from tieuchi.reports.tests.nd30 import assert_nd30_layout, date_line, demo_ward, render

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("slug", ["bao-cao-ket-qua", "tu-danh-gia"])
@pytest.mark.parametrize("round_number", [1, 2])
def test_round_documents_have_the_nd30_layout_and_the_rounds_date(slug, round_number):
    evaluation_round = EvaluationRound.objects.get(
        plan__unit__official_code="00121", number=round_number
    )
    request, back = render(slug, round=evaluation_round)
    assert request.run.round_id == evaluation_round.pk
    assert_nd30_layout(back, symbol="BC-UBND", place="Giang Biên", day=evaluation_round.judged_on)
    assert "Kính gửi: Ủy ban nhân dân quận Long Biên." in back.paragraphs


def test_without_a_round_the_newest_evaluated_round_is_used():
    request, _back = render("bao-cao-ket-qua")
    newest = EvaluationRound.objects.filter(plan__unit__official_code="00121").latest(
        "scheduled_month"
    )
    assert request.round == newest


def test_the_plan_keeps_its_own_number_and_date_and_its_appendix_is_landscape():
    plan = Plan.objects.select_related("legal_document").get(unit__official_code="00121")
    _request, back = render("ke-hoach")
    assert_nd30_layout(
        back, symbol="KH-UBND", place="Giang Biên", day=plan.legal_document.issued_on
    )
    assert back.tables[0].rows[1][0] == f"Số: {plan.legal_document.number}"
    appendix = back.sections[1]
    assert appendix.landscape and appendix.restarts_numbering
    day = plan.legal_document.issued_on.strftime("%d/%m/%Y")
    assert (
        f"(Kèm theo Kế hoạch số {plan.legal_document.number} ngày {day} của UBND phường Giang Biên)"
    ) in back.paragraphs


def test_the_signer_is_the_wards_chairperson_from_the_data():
    for slug in ("bao-cao-ket-qua", "tu-danh-gia", "ke-hoach"):
        request, back = render(slug)
        signature = back.tables[-1] if slug != "ke-hoach" else _signature_table(back)
        assert request.header.signer_name == "Vũ Phương Đông"
        assert signature.rows[0][1].split("\n")[-1] == "Vũ Phương Đông"


def _signature_table(back):
    return next(t for t in back.tables if t.rows[0][0].startswith("Nơi nhận"))


def test_what_the_user_typed_replaces_the_defaults():
    overrides = {
        "number": "7",
        "date": dt.date(2023, 12, 4),
        "signer_name": "Nguyễn Thị Hoài",
        "signer_position": "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH",
        "recipients": "- UBND quận Long Biên;\nLưu: VT.",
        "addressees": "",
    }
    _request, back = render("bao-cao-ket-qua", overrides=overrides)
    assert back.tables[0].rows[1] == ["Số: 07/BC-UBND", date_line("Giang Biên", overrides["date"])]
    left, right = _signature_table(back).rows[0]
    assert left.split("\n") == ["Nơi nhận:", "- UBND quận Long Biên;", "- Lưu: VT."]
    assert [line for line in right.split("\n") if line] == [
        "TM. ỦY BAN NHÂN DÂN",
        "KT. CHỦ TỊCH",
        "PHÓ CHỦ TỊCH",
        "Nguyễn Thị Hoài",
    ]
    assert not any(text.startswith("Kính gửi") for text in back.paragraphs)


def test_a_ward_without_results_gets_a_clear_message_not_an_empty_report():
    ward = AdminUnit.objects.get(official_code="00136")  # Phúc Lợi: results from 11/2023 only
    with pytest.raises(ReportInputError, match="Chưa có kết quả đánh giá của phường Phúc Lợi"):
        render("tu-danh-gia", unit=ward, as_of=dt.date(2023, 1, 31))


def test_every_kind_in_the_registry_has_a_unique_slug_and_a_symbol():
    kinds = all_kinds()
    assert {"bao-cao-ket-qua", "tu-danh-gia", "ke-hoach"} <= set(kinds)
    assert all(kind.symbol and kind.title for kind in kinds.values())
    assert demo_ward().level == "commune"


@pytest.mark.parametrize(
    ("unit_type", "name", "running", "committee_upper"),
    [
        ("phuong", "Giang Biên", "phường Giang Biên", "ỦY BAN NHÂN DÂN PHƯỜNG GIANG BIÊN"),
        ("quan", "Long Biên", "quận Long Biên", "ỦY BAN NHÂN DÂN QUẬN LONG BIÊN"),
        ("thanh_pho_tw", "Hà Nội", "thành phố Hà Nội", "ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI"),
        ("thi_tran", "Trâu Quỳ", "thị trấn Trâu Quỳ", "ỦY BAN NHÂN DÂN THỊ TRẤN TRÂU QUỲ"),
    ],
)
def test_units_are_named_as_documents_write_them(unit_type, name, running, committee_upper):
    from tieuchi.core.nd30.names import committee_name, running_name

    unit = AdminUnit(unit_type=unit_type, name=name)
    assert running_name(unit) == running
    assert committee_name(unit).upper() == committee_upper
