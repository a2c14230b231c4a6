"""Recognition of a unit (QĐ 04/2022 Điều 5, 8): all criteria met, registration age, survey."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from .explain import D, date_vn, num
from .results import Condition, NodeResult
from .rollup import HUNDRED, combine
from .types import EvaluationInput, Verdict


def add_years(day: dt.date, years: int) -> dt.date:
    """The same day `years` later; 29/02 becomes 28/02 in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def criteria_condition(criteria: tuple[NodeResult, ...]) -> Condition:
    verdict = combine(node.verdict for node in criteria)
    met = sum(1 for node in criteria if node.verdict == Verdict.MET)
    parts = [f"{met}/{len(criteria)} tiêu chí đạt"]
    for wanted, word in ((Verdict.NOT_MET, "chưa đạt"), (Verdict.NO_DATA, "chưa đủ dữ liệu")):
        codes = [node.code for node in criteria if node.verdict == wanted]
        if codes:
            parts.append(f"{word}: {', '.join(codes)}")
    return Condition(
        key="criteria",
        name="Đạt tất cả các tiêu chí",
        verdict=verdict,
        explanation=f"{verdict.label}: " + "; ".join(parts),
        figures={"met_count": met, "total_count": len(criteria)},
    )


def registration_condition(inp: EvaluationInput, rule: dict[str, Any]) -> Condition | None:
    registration = inp.registration
    renewal = registration is not None and registration.kind == "renewal"
    years = rule.get("min_registration_years")
    if renewal and rule.get("min_registration_years_renewal") is not None:
        years = rule["min_registration_years_renewal"]
    if years is None:
        return None
    name = "Thời gian đăng ký"
    if registration is None:
        reason = "Chưa đủ dữ liệu: chưa có thông tin đăng ký xây dựng"
        return Condition("registration", name, Verdict.NO_DATA, reason)
    years = int(years)
    kind = "công nhận lại" if renewal else "lần đầu"
    due = add_years(registration.registered_on, years)
    figures = {"registered_on": registration.registered_on, "kind": registration.kind}
    figures.update(required_years=years, eligible_from=due)
    said = f"đăng ký ({kind}) ngày {date_vn(registration.registered_on)}"
    if due <= inp.as_of:
        text = f"Đạt: {said}, đủ {years} năm từ {date_vn(due)}"
        return Condition("registration", name, Verdict.MET, text, figures)
    text = f"Chưa đạt: {said}, đến {date_vn(inp.as_of)} chưa đủ {years} năm (đủ từ {date_vn(due)})"
    return Condition("registration", name, Verdict.NOT_MET, text, figures)


def survey_condition(inp: EvaluationInput, rule: dict[str, Any]) -> Condition | None:
    minimum = D(rule.get("min_satisfaction_percent"))
    if minimum is None:
        return None
    name = "Tỷ lệ người dân hài lòng"
    survey = inp.survey
    if survey is None:
        reason = "Chưa đủ dữ liệu: chưa có kết quả lấy ý kiến sự hài lòng của người dân"
        return Condition("survey", name, Verdict.NO_DATA, reason)
    if survey.respondents <= 0 or survey.satisfied < 0 or survey.satisfied > survey.respondents:
        reason = (
            f"Chưa đủ dữ liệu: số liệu khảo sát không hợp lệ "
            f"({survey.satisfied}/{survey.respondents} người)"
        )
        return Condition("survey", name, Verdict.NO_DATA, reason)
    rate = Decimal(survey.satisfied) * HUNDRED / Decimal(survey.respondents)
    ok = rate >= minimum
    figures = {"respondents": survey.respondents, "satisfied": survey.satisfied, "rate": rate}
    relation = "≥" if ok else "<"
    verdict = Verdict.MET if ok else Verdict.NOT_MET
    text = (
        f"{verdict.label}: {num(rate)}% ({num(survey.satisfied)}/{num(survey.respondents)} người "
        f"hài lòng, đồng ý) {relation} {num(minimum)}%"
    )
    return Condition("survey", name, verdict, text, figures)


def conditions(inp: EvaluationInput, criteria: tuple[NodeResult, ...]) -> tuple[Condition, ...]:
    found = [criteria_condition(criteria)]
    rule = inp.recognition_rule or {}
    for make in (registration_condition, survey_condition):
        condition = make(inp, rule)
        if condition is not None:
            found.append(condition)
    return tuple(found)


def recognisable(inp: EvaluationInput, verdict: Verdict) -> bool | None:
    """True/False when a recognition rule applies and the answer is certain; else None.

    A condition not met makes the unit not recognisable even if another lacks data.
    """
    if not inp.recognition_rule:
        return None
    return {Verdict.MET: True, Verdict.NOT_MET: False}.get(verdict)
