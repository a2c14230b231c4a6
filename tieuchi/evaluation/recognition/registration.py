"""The start of recognition (QĐ 04/2022 Điều 5): the ward registers, and the UBMTTQ surveys how
many residents are satisfied. Each is a workflow transition with its audit record."""

import datetime as dt

from django.utils.translation import gettext as _

from tieuchi.catalog.models import Catalog
from tieuchi.evaluation import workflow
from tieuchi.evaluation.models import Registration, SatisfactionSurvey
from tieuchi.evaluation.workflow import TransitionRefused


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
