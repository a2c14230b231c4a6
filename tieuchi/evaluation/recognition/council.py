"""The appraisal council and the decision (QĐ 04/2022 Điều 8): forming the council, recording its
meeting and ballot, then recognising the ward or refusing. One transaction per step."""

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from tieuchi.evaluation import workflow
from tieuchi.evaluation.engine.recognition import add_years
from tieuchi.evaluation.models import (
    Council,
    CouncilMember,
    RecognitionDecision,
    RecognitionDossier,
)
from tieuchi.evaluation.recognition.dossier import lock_dossier
from tieuchi.evaluation.recognition.rules import (
    DEFAULT_VALIDITY_YEARS,
    Quorum,
    catalog_rule,
    quorum,
    votes_pass,
)
from tieuchi.evaluation.workflow import TransitionRefused


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
        dossier = lock_dossier(dossier)
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
        dossier = lock_dossier(council.dossier)
        workflow.check(actor, dossier, "record_meeting")
        council.refresh_from_db(from_queryset=Council.objects.select_for_update(of=("self",)))
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
        dossier = lock_dossier(dossier)
        workflow.check(actor, dossier, "recognise", note)
        council = _check_ballot(Council.objects.filter(dossier=dossier).first())
        if not number.strip():
            raise TransitionRefused(_("Cần ghi số quyết định."))
        if council.meeting_on and decided_on < council.meeting_on:
            raise TransitionRefused(_("Ngày quyết định phải sau ngày họp hội đồng."))
        registration = dossier.registration
        years = catalog_rule(registration.catalog, "validity_years", DEFAULT_VALIDITY_YEARS)
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
