"""Recognition of a ward (QĐ 04/2022 Điều 5–9): registration, the UBMTTQ survey, the dossier,
the appraisal council, the decision, yearly maintenance checks and revocation. Every step is a
workflow transition with its audit record, in one transaction."""

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tieuchi.accounts import audit
from tieuchi.catalog.models import Catalog
from tieuchi.evaluation import workflow
from tieuchi.evaluation.engine.recognition import add_years
from tieuchi.evaluation.models import (
    Council,
    CouncilMember,
    EvaluationRun,
    MaintenanceCheck,
    RecognitionDecision,
    RecognitionDossier,
    Registration,
    SatisfactionSurvey,
    Verdict,
)
from tieuchi.evaluation.services import evaluate_unit
from tieuchi.evaluation.workflow import TransitionRefused

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


def _rule(catalog: Catalog, key: str, default: int) -> int:
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
        required_percent=_rule(catalog, "council_quorum_percent", DEFAULT_QUORUM_PERCENT),
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


# ─────────────────────────────── reads ───────────────────────────────


def recognition_of(unit) -> dict:
    """Everything the unit's recognition page shows, in a fixed number of queries."""
    members = CouncilMember.objects.order_by("id")
    dossiers = RecognitionDossier.objects.select_related("council", "decision", "run").order_by(
        "-id"
    )
    registrations = list(
        Registration.objects.filter(unit=unit)
        .select_related("catalog")
        .prefetch_related(
            "surveys",
            Prefetch("dossiers", queryset=dossiers),
            Prefetch("dossiers__council__members", queryset=members),
        )
        .order_by("-registered_on", "-id")
    )
    decisions = list(
        RecognitionDecision.objects.filter(unit=unit)
        .select_related("catalog")
        .prefetch_related(Prefetch("checks", queryset=MaintenanceCheck.objects.order_by("-year")))
    )
    return {"registrations": registrations, "decisions": decisions}


# ─────────────────────────────── registration and survey ───────────────────────────────


def register(
    actor,
    unit,
    catalog: Catalog,
    *,
    kind: str,
    registered_on: dt.date,
    registered_with: str,
    note: str = "",
    channel: str = "web",
) -> Registration:
    """The ward registers to build towards the standard, for the first time or for renewal."""
    registration = Registration(
        unit=unit,
        catalog=catalog,
        kind=kind,
        registered_on=registered_on,
        registered_with=registered_with.strip(),
        note=note.strip(),
    )
    if kind not in Registration.Kind.values:
        raise TransitionRefused(_("Hình thức đăng ký không hợp lệ."))
    if not catalog.recognition_rule:
        raise TransitionRefused(
            _("Bộ tiêu chí %(catalog)s không có điều kiện công nhận.") % {"catalog": catalog}
        )
    workflow.apply(
        actor,
        registration,
        "register",
        after={"kind": kind, "registered_on": registered_on, "catalog": catalog.key},
        channel=channel,
    )
    return registration


def record_survey(
    actor,
    registration: Registration,
    *,
    organiser: str,
    opened_on: dt.date,
    closed_on: dt.date,
    respondents: int,
    satisfied: int,
    method: str = "",
    channel: str = "web",
) -> SatisfactionSurvey:
    """The UBMTTQ's survey of residents who are satisfied with and agree to the proposal."""
    survey = SatisfactionSurvey(
        registration=registration,
        organiser=organiser.strip(),
        opened_on=opened_on,
        closed_on=closed_on,
        respondents=respondents,
        satisfied=satisfied,
        method=method.strip(),
    )
    workflow.check(actor, survey, "record")
    if respondents <= 0 or satisfied < 0 or satisfied > respondents:
        raise TransitionRefused(
            _("Số người hài lòng (%(satisfied)s) phải từ 0 đến số người được hỏi (%(asked)s).")
            % {"satisfied": satisfied, "asked": respondents}
        )
    if closed_on < opened_on:
        raise TransitionRefused(_("Ngày kết thúc lấy ý kiến phải sau ngày bắt đầu."))
    rate = round(satisfied * 100 / respondents, 2)
    workflow.apply(
        actor,
        survey,
        "record",
        after={"respondents": respondents, "satisfied": satisfied, "rate": rate},
        channel=channel,
    )
    return survey


# ─────────────────────────────── dossier ───────────────────────────────


def _lock(dossier: RecognitionDossier) -> RecognitionDossier:
    """Re-read the dossier in place under a row lock (the caller's object stays current)."""
    dossier.refresh_from_db(from_queryset=RecognitionDossier.objects.select_for_update())
    return dossier


def open_dossier(actor, registration: Registration, *, channel: str = "web") -> RecognitionDossier:
    """Start the dossier of a registration with the standard checklist, nothing ticked yet."""
    dossier = RecognitionDossier(
        registration=registration, checklist={key: False for key, _label in CHECKLIST}
    )
    workflow.check(actor, dossier, "open")
    with transaction.atomic():
        if registration.dossiers.exclude(status__in=CLOSED).exists():
            raise TransitionRefused(_("Đăng ký này đã có một hồ sơ đang xử lý."))
        workflow.apply(actor, dossier, "open", channel=channel)
    return dossier


def update_checklist(
    actor, dossier: RecognitionDossier, done: set[str], *, channel: str = "web"
) -> RecognitionDossier:
    """Tick the documents the dossier holds (while it is being prepared or was returned)."""
    with transaction.atomic():
        dossier = _lock(dossier)
        workflow.check(actor, dossier, "edit")
        before = dict(dossier.checklist)
        dossier.checklist = {key: key in done for key, _label in CHECKLIST}
        dossier.save(update_fields=["checklist"])
        audit.record(
            actor, "checklist", dossier, before=before, after=dossier.checklist, channel=channel
        )
    return dossier


def submit_dossier(
    actor,
    dossier: RecognitionDossier,
    note: str = "",
    *,
    on: dt.date | None = None,
    channel: str = "web",
) -> RecognitionDossier:
    """Send the dossier up. Refused until the checklist is complete and a fresh evaluation on the
    submission date says the unit is recognisable (all criteria, registration age, survey)."""
    on = on or timezone.localdate()
    with transaction.atomic():
        dossier = _lock(dossier)
        workflow.check(actor, dossier, "submit", note)
        missing = missing_documents(dossier)
        if missing:
            raise TransitionRefused(
                _("Hồ sơ chưa đủ, còn thiếu: %(docs)s.") % {"docs": "; ".join(missing)}
            )
        registration = dossier.registration
        run = evaluate_unit(
            registration.unit, registration.catalog, on, actor=actor, channel=channel
        )
        if run.recognisable is not True:
            reasons = failed_conditions(run) or [run.result.get("explanation", "")]
            raise TransitionRefused(
                _("Chưa đủ điều kiện đề nghị công nhận (đánh giá ngày %(day)s): %(reasons)s.")
                % {"day": on.strftime("%d/%m/%Y"), "reasons": "; ".join(reasons)}
            )
        workflow.apply(
            actor,
            dossier,
            "submit",
            note,
            changes={"run": run, "submitted_on": on},
            after={"run": run.pk},
            channel=channel,
        )
    return dossier


def accept_dossier(
    actor,
    dossier: RecognitionDossier,
    note: str = "",
    *,
    on: dt.date | None = None,
    channel: str = "web",
) -> RecognitionDossier:
    """The district receives a complete dossier (the 13 working days start here)."""
    workflow.apply(
        actor,
        dossier,
        "accept",
        note,
        changes={"accepted_on": on or timezone.localdate()},
        channel=channel,
    )
    return dossier


def return_dossier(
    actor, dossier: RecognitionDossier, note: str, *, channel: str = "web"
) -> RecognitionDossier:
    """Send the dossier back for completion, with the reason."""
    workflow.apply(actor, dossier, "return", note, channel=channel)
    return dossier


# ─────────────────────────────── council and decision ───────────────────────────────


@dataclass(frozen=True)
class MemberSpec:
    name: str
    position: str
    role: str = CouncilMember.Role.MEMBER


def form_council(
    actor,
    dossier: RecognitionDossier,
    *,
    formed_on: dt.date,
    members: list[MemberSpec],
    channel: str = "web",
) -> Council:
    """The appraisal council: members with their roles, one of them the chair."""
    with transaction.atomic():
        dossier = _lock(dossier)
        workflow.check(actor, dossier, "form_council")
        if not members:
            raise TransitionRefused(_("Hội đồng cần có thành viên."))
        if sum(1 for m in members if m.role == CouncilMember.Role.CHAIR) != 1:
            raise TransitionRefused(_("Hội đồng cần đúng một Chủ tịch Hội đồng."))
        if dossier.accepted_on and formed_on < dossier.accepted_on:
            raise TransitionRefused(_("Hội đồng thành lập sau ngày tiếp nhận hồ sơ đầy đủ."))
        council = Council.objects.create(dossier=dossier, formed_on=formed_on)
        CouncilMember.objects.bulk_create(
            CouncilMember(council=council, name=m.name, position=m.position, role=m.role)
            for m in members
        )
        workflow.apply(
            actor,
            dossier,
            "form_council",
            after={"formed_on": formed_on, "members": [m.name for m in members]},
            channel=channel,
        )
    return council


def _check_meeting(count: Quorum, votes_for: int, votes_against: int) -> None:
    if not count.ok:
        raise TransitionRefused(
            _(
                "Không đủ số thành viên dự họp: %(present)s/%(total)s (%(percent)s%%) < "
                "%(required)s%%; hội đồng chưa được biểu quyết."
            )
            % {
                "present": count.present,
                "total": count.total,
                "percent": f"{count.percent:.0f}",
                "required": count.required_percent,
            }
        )
    if votes_for < 0 or votes_against < 0 or votes_for + votes_against > count.present:
        raise TransitionRefused(
            _("Tổng số phiếu (%(votes)s) không được vượt số thành viên có mặt (%(present)s).")
            % {"votes": votes_for + votes_against, "present": count.present}
        )


def record_meeting(
    actor,
    council: Council,
    *,
    meeting_on: dt.date,
    present_ids: set[int],
    votes_for: int,
    votes_against: int,
    conclusion: str = "",
    channel: str = "web",
) -> Council:
    """Attendance and the ballot. Refused without the quorum (≥ 70% of members present) or with
    more ballots than members present."""
    with transaction.atomic():
        dossier = _lock(council.dossier)
        workflow.check(actor, dossier, "record_meeting")
        council.refresh_from_db(from_queryset=Council.objects.select_for_update())
        members = list(council.members.order_by("id"))
        unknown = set(present_ids) - {member.pk for member in members}
        if unknown:
            raise TransitionRefused(_("Có người dự họp không phải thành viên hội đồng."))
        for member in members:
            member.present = member.pk in present_ids
        count = quorum(council, members)
        _check_meeting(count, votes_for, votes_against)
        if meeting_on < council.formed_on:
            raise TransitionRefused(_("Ngày họp phải sau ngày thành lập hội đồng."))
        CouncilMember.objects.bulk_update(members, ["present"])
        council.meeting_on = meeting_on
        council.votes_for, council.votes_against = votes_for, votes_against
        council.conclusion = conclusion.strip()
        council.save()
        workflow.apply(
            actor,
            dossier,
            "record_meeting",
            after={
                "meeting_on": meeting_on,
                "present": count.present,
                "members": count.total,
                "votes_for": votes_for,
                "votes_against": votes_against,
            },
            channel=channel,
        )
    return council


def _check_ballot(council: Council | None) -> Council:
    """The council met with its quorum and more than half of those present voted for."""
    if council is None or council.votes_for is None:
        raise TransitionRefused(_("Hội đồng thẩm định chưa họp và biểu quyết."))
    count = quorum(council)
    if not count.ok:
        raise TransitionRefused(_("Cuộc họp hội đồng không đủ số thành viên dự họp."))
    if not votes_pass(council, count.present):
        raise TransitionRefused(
            _(
                "Số phiếu đồng ý (%(votes)s/%(present)s thành viên có mặt) chưa quá bán; "
                "không thể công nhận."
            )
            % {"votes": council.votes_for, "present": count.present}
        )
    return council


def recognise(
    actor,
    dossier: RecognitionDossier,
    *,
    number: str,
    decided_on: dt.date,
    signer: str = "",
    note: str = "",
    channel: str = "web",
) -> RecognitionDecision:
    """The decision after a quorate council voted for: valid 5 years from its date."""
    with transaction.atomic():
        dossier = _lock(dossier)
        workflow.check(actor, dossier, "recognise", note)
        council = _check_ballot(Council.objects.filter(dossier=dossier).first())
        if not number.strip():
            raise TransitionRefused(_("Cần ghi số quyết định."))
        if council.meeting_on and decided_on < council.meeting_on:
            raise TransitionRefused(_("Ngày quyết định phải sau ngày họp hội đồng."))
        registration = dossier.registration
        years = _rule(registration.catalog, "validity_years", DEFAULT_VALIDITY_YEARS)
        decision = RecognitionDecision.objects.create(
            dossier=dossier,
            unit=registration.unit,
            catalog=registration.catalog,
            number=number.strip(),
            decided_on=decided_on,
            valid_until=add_years(decided_on, years),
            signer=signer.strip(),
        )
        after = {"decision": decision.number, "valid_until": decision.valid_until}
        workflow.apply(actor, dossier, "recognise", note, after=after, channel=channel)
    return decision


def refuse(actor, dossier: RecognitionDossier, note: str, *, channel: str = "web"):
    """Not recognised: the council's reasons are sent to the ward in writing."""
    workflow.apply(actor, dossier, "refuse", note, channel=channel)
    return dossier


# ─────────────────────────────── after the decision ───────────────────────────────


def maintenance_check(
    actor,
    decision: RecognitionDecision,
    *,
    year: int,
    checked_on: dt.date | None = None,
    note: str = "",
    channel: str = "web",
) -> MaintenanceCheck:
    """The yearly check that the unit still keeps all criteria, from a fresh evaluation."""
    checked_on = checked_on or timezone.localdate()
    with transaction.atomic():
        workflow.check(actor, decision, "check")
        if decision.checks.filter(year=year).exists():
            raise TransitionRefused(
                _("Năm %(year)s đã có kết quả kiểm tra duy trì.") % {"year": year}
            )
        if not decision.decided_on.year <= year <= decision.valid_until.year:
            raise TransitionRefused(
                _("Năm %(year)s nằm ngoài thời hạn của quyết định.") % {"year": year}
            )
        run = evaluate_unit(decision.unit, decision.catalog, checked_on, actor=actor)
        criteria = next(
            (c for c in run.result.get("conditions", []) if c["code"] == "criteria"), None
        )
        verdict = criteria["verdict"] if criteria else run.verdict
        check = MaintenanceCheck.objects.create(
            decision=decision,
            year=year,
            run=run,
            verdict=verdict,
            note=note.strip() or (criteria or {}).get("explanation", ""),
            checked_on=checked_on,
        )
        workflow.apply(
            actor,
            decision,
            "check",
            note,
            after={"year": year, "verdict": verdict, "run": run.pk},
            channel=channel,
        )
    return check


def revoke(
    actor,
    decision: RecognitionDecision,
    note: str,
    *,
    revoked_on: dt.date | None = None,
    channel: str = "web",
) -> RecognitionDecision:
    """Withdraw the recognition, with the reason."""
    workflow.apply(
        actor,
        decision,
        "revoke",
        note,
        changes={
            "revoked_on": revoked_on or timezone.localdate(),
            "revoke_reason": note.strip(),
            "revoked_by": actor if getattr(actor, "pk", None) else None,
        },
        channel=channel,
    )
    return decision
