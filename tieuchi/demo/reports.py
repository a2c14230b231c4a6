"""Demo records behind the official documents of phường Giang Biên, through the real services:

- round 1 (tháng 05/2023): the ward's self-assessment and the district's inspection with its
  remarks, confirmed (Biên bản thẩm tra). No corrective actions: test_rounds asserts that none
  exist in the whole database (the biên bản lists the items not met as still to be assigned);
- the registration (01/2021) and the UBMTTQ satisfaction survey (11/2023), with the dossier being
  prepared (Tờ trình đề nghị công nhận).

Programme 02 results are the district's (`tieuchi.demo.programme`): the progress report is
generated for quận Long Biên.

Round 2 is left untouched: the round tests and pages start it themselves. The ward does not meet
all criteria in 2023, so there is no recognition decision for it (the Quyết định is generated
only for a unit that has one). Idempotent: what exists is kept. All figures are invented.
"""

import datetime as dt

from tieuchi.accounts.models import User
from tieuchi.catalog.models import Catalog
from tieuchi.demo.units import GIANG_BIEN_CODE
from tieuchi.evaluation import recognition, rounds
from tieuchi.evaluation.models import (
    ItemAssessment,
    Registration,
    RoundAssessment,
    Verdict,
)
from tieuchi.evaluation.rounds.rules import ItemChange, item_version
from tieuchi.evaluation.services import evaluate_unit
from tieuchi.orgs.models import AdminUnit

REGISTERED_ON = dt.date(2021, 1, 12)
# Round 1: what the ward said where the computed verdict was not conclusive.
SELF_REMARKS = {
    "6.1": (Verdict.MET, "TDP số 13 đã báo cáo bằng văn bản ngày 29/05/2023: 91% (minh họa)."),
}
# Round 1: the district's verdicts and remarks (every item must end met or not met).
INSPECTION_REMARKS = {
    "1.4": (Verdict.MET, "Đã kiểm tra thực tế 5/5 tuyến phố, đèn chiếu sáng hoạt động tốt."),
    "1.5": (Verdict.NOT_MET, "Còn điểm trông giữ xe lấn chiếm đất công tại ngõ 201."),
    "2.3": (Verdict.NOT_MET, "Lấn chiếm vỉa hè tái diễn trên tuyến Ngô Gia Tự."),
    "5.5": (Verdict.NOT_MET, "Phường chưa có báo cáo, chưa có minh chứng."),
    "8.2": (Verdict.NOT_MET, "TDP số 7 và 13 chưa báo cáo tỷ lệ tham gia bảo hiểm y tế."),
    "8.7": (Verdict.MET, "Theo báo cáo của Trường THCS Giang Biên năm học 2022 - 2023."),
    "9.5": (Verdict.NOT_MET, "Quyết định công nhận chuẩn tiếp cận pháp luật đã hết hiệu lực."),
}


def build_report_records(catalog: Catalog, plan) -> None:
    """Everything the official documents of the demo ward read, once."""
    ward = AdminUnit.objects.get(official_code=GIANG_BIEN_CODE)
    leader = User.objects.get(username="dong.giangbien")
    inspector = User.objects.get(username="kiemtra.longbien")
    _registration(ward, catalog, leader)
    for evaluation_round in plan.rounds.all():  # the survey changes round 2's conditions
        evaluate_unit(
            ward, catalog, evaluation_round.judged_on, round=evaluation_round, trigger="round"
        )
    _round_one(ward, plan.rounds.get(number=1), leader, inspector)


def _registration(ward, catalog, leader) -> None:
    if Registration.objects.filter(unit=ward, catalog=catalog, registered_on=REGISTERED_ON):
        return
    registration = recognition.register(
        leader,
        ward,
        catalog,
        kind=Registration.Kind.FIRST,
        registered_on=REGISTERED_ON,
        registered_with="UBND quận Long Biên",
        note="Đăng ký xây dựng phường đạt chuẩn đô thị văn minh (minh họa).",
        channel="system",
    )
    recognition.record_survey(
        leader,
        registration,
        organiser="Ban Thường trực Ủy ban MTTQ Việt Nam phường Giang Biên",
        opened_on=dt.date(2023, 11, 1),
        closed_on=dt.date(2023, 11, 20),
        respondents=1_250,
        satisfied=1_178,
        method="Phiếu lấy ý kiến hộ gia đình tại 20 tổ dân phố (HD 91/HD-MTTW-BTT)",
        channel="system",
    )
    dossier = recognition.open_dossier(leader, registration, channel="system")
    done = {"to_trinh", "bao_cao_ket_qua", "bang_tu_danh_gia", "bao_cao_mttq"}
    recognition.update_checklist(leader, dossier, done, channel="system")


def _change(item: ItemAssessment, verdict: str, remark: str) -> ItemChange:
    return ItemChange(item.pk, verdict, remark, item_version(item))


def _changes(assessment: RoundAssessment, wanted: dict) -> list[ItemChange]:
    items = assessment.items.select_related("node")
    return [_change(item, *wanted[item.node.code]) for item in items if item.node.code in wanted]


def _round_one(ward, evaluation_round, leader, inspector) -> None:
    stage = RoundAssessment.Stage
    if RoundAssessment.objects.filter(round=evaluation_round, unit=ward, stage=stage.INSPECTION):
        return
    own = RoundAssessment.objects.filter(round=evaluation_round, unit=ward, stage=stage.SELF)
    own = own.first() or rounds.start_self_assessment(leader, evaluation_round, ward)
    rounds.update_items(leader, own, _changes(own, SELF_REMARKS), channel="system")
    rounds.submit_self_assessment(leader, own, "Gửi UBND quận (minh họa).", channel="system")
    inspection = rounds.start_inspection(inspector, own, channel="system")
    rounds.update_items(
        inspector, inspection, _changes(inspection, INSPECTION_REMARKS), channel="system"
    )
    note = "Phường còn 5 nội dung chưa đạt, cần khắc phục trước đợt 2 (minh họa)."
    rounds.confirm_inspection(inspector, inspection, note, channel="system")
