"""The legal rules of recognition (QĐ 04/2022 Điều 6–8): the dossier checklist, the time limits,
the council's quorum and ballot, and which recognition conditions an evaluation run fails."""

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext_lazy

from tieuchi.catalog.models import Catalog
from tieuchi.evaluation.models import (
    Council,
    CouncilMember,
    EvaluationRun,
    RecognitionDossier,
    Verdict,
)

# The dossier sent to the Chủ tịch UBND cấp huyện (QĐ 04/2022 Điều 6; domain.md §1.5 step 4).
CHECKLIST = (
    ("to_trinh", gettext_lazy("Tờ trình đề nghị công nhận")),
    ("bao_cao_ket_qua", gettext_lazy("Báo cáo kết quả xây dựng đô thị văn minh")),
    ("bang_tu_danh_gia", gettext_lazy("Bảng tự đánh giá kết quả thực hiện các tiêu chí")),
    ("bao_cao_mttq", gettext_lazy("Báo cáo của UBMTTQ về kết quả lấy ý kiến sự hài lòng")),
    ("minh_chung", gettext_lazy("Minh chứng kèm theo")),
)
DEFAULT_QUORUM_PERCENT = 70
DEFAULT_VALIDITY_YEARS = 5
Status = RecognitionDossier.Status
CLOSED = frozenset({Status.RECOGNISED, Status.REFUSED})


def catalog_rule(catalog: Catalog, key: str, default: int) -> int:
    """One number of the catalog's recognition rule, or `default` when the rule does not set it."""
    return int((catalog.recognition_rule or {}).get(key) or default)


def missing_documents(dossier: RecognitionDossier) -> list[str]:
    return [str(label) for key, label in CHECKLIST if not dossier.checklist.get(key)]


# QĐ 04/2022 Điều 8 (domain.md §1.5): council within 3 working days of a complete dossier, its
# meeting within 5 working days, the decision within 13 working days in total.
COUNCIL_DAYS, MEETING_DAYS, DECISION_DAYS = 3, 5, 13


def working_days_after(day: dt.date, count: int) -> dt.date:
    """The date `count` working days after `day` (Saturdays and Sundays skipped; public holidays
    are not known to the system and are not skipped)."""
    while count > 0:
        day += dt.timedelta(days=1)
        if day.weekday() < 5:
            count -= 1
    return day


def deadlines(dossier: RecognitionDossier, council: Council | None) -> dict[str, dt.date]:
    """Legal time limits counted from the day the complete dossier was received."""
    if dossier.accepted_on is None:
        return {}
    found = {
        "council": working_days_after(dossier.accepted_on, COUNCIL_DAYS),
        "decision": working_days_after(dossier.accepted_on, DECISION_DAYS),
    }
    if council is not None:
        found["meeting"] = working_days_after(council.formed_on, MEETING_DAYS)
    return found


@dataclass(frozen=True)
class Quorum:
    present: int
    total: int
    required_percent: int

    @property
    def percent(self) -> float:
        return self.present * 100 / self.total if self.total else 0.0

    @property
    def ok(self) -> bool:
        return self.total > 0 and self.present * 100 >= self.required_percent * self.total


def quorum(council: Council, members: list[CouncilMember] | None = None) -> Quorum:
    members = list(council.members.all()) if members is None else members
    catalog = council.dossier.registration.catalog
    return Quorum(
        present=sum(1 for member in members if member.present),
        total=len(members),
        required_percent=catalog_rule(catalog, "council_quorum_percent", DEFAULT_QUORUM_PERCENT),
    )


def votes_pass(council: Council, present: int) -> bool:
    """A ballot passes with more than half of the members present voting for."""
    return council.votes_for is not None and council.votes_for * 2 > present


def failed_conditions(run: EvaluationRun) -> list[str]:
    """Explanations of the recognition conditions the run does not meet (or lacks data for)."""
    return [
        condition["explanation"]
        for condition in run.result.get("conditions", [])
        if condition["verdict"] != Verdict.MET
    ]
