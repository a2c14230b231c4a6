"""Tờ trình đề nghị công nhận for Giang Biên, read back: layout, the four conditions with the
stored registration, survey and engine verdicts, the criteria and the dossier."""

import pytest

from tieuchi.evaluation.models import (
    EvaluationRun,
    NodeResult,
    RecognitionDossier,
    Registration,
    SatisfactionSurvey,
    Verdict,
)
from tieuchi.evaluation.recognition.rules import CHECKLIST
from tieuchi.reports.tests.official_layout import assert_official_layout, render


def thousands(number: int) -> str:
    return f"{number:,}".replace(",", ".")


def current_run() -> EvaluationRun:
    return (
        EvaluationRun.objects.filter(
            unit__official_code="00121", catalog__key="qd04-2022", is_current=True
        )
        .order_by("-as_of", "-computed_at", "-pk")
        .first()
    )


@pytest.mark.django_db
def test_the_proposal_goes_from_the_ward_to_the_district_chair_in_the_official_layout():
    doc, request, _data = render("to-trinh", "00121", number="15")
    assert_official_layout(doc, request, "Số: 15/TTr-UBND")
    assert request.header.issuing_body == "ỦY BAN NHÂN DÂN PHƯỜNG GIANG BIÊN"
    assert "Kính gửi: Chủ tịch Ủy ban nhân dân quận Long Biên." in doc.paragraphs
    assert "TỜ TRÌNH" in doc.text


@pytest.mark.django_db
def test_the_conditions_show_the_stored_registration_survey_and_verdicts():
    run = current_run()
    registration = (
        Registration.objects.filter(
            unit=run.unit, catalog=run.catalog, registered_on__lte=run.as_of
        )
        .order_by("-registered_on", "-pk")
        .first()
    )
    survey = (
        SatisfactionSurvey.objects.filter(registration=registration, closed_on__lte=run.as_of)
        .order_by("-closed_on", "-pk")
        .first()
    )
    assert registration is not None and survey is not None, "the demo has both"
    doc, _request, _data = render("to-trinh", "00121")
    rows = {row[0]: row for row in doc.table_with("Điều kiện").rows[1:]}
    assert registration.registered_on.strftime("%d/%m/%Y") in rows["1"][3]
    rate = f"{survey.satisfied * 100 / survey.respondents:.2f}".replace(".", ",")
    assert rows["4"][3].startswith(
        f"{rate}% ({thousands(survey.satisfied)}/{thousands(survey.respondents)} người"
    )
    verdicts = {c["code"]: str(Verdict(c["verdict"]).label) for c in run.result["conditions"]}
    assert (rows["2"][4], rows["3"][4], rows["4"][4]) == (
        verdicts["criteria"],
        verdicts["registration"],
        verdicts["survey"],
    )
    assert rows["2"][3] == f"Đạt {run.met_count}/{run.total_count} tiêu chí"
    assert survey.organiser in doc.text


@pytest.mark.django_db
def test_the_criteria_table_equals_the_stored_results():
    run = current_run()
    doc, _request, _data = render("to-trinh", "00121")
    rows = {row[0]: row for row in doc.table_with("Tiêu chí").rows[1:]}
    criteria = NodeResult.objects.filter(run=run, depth=0)
    assert len(rows) == criteria.count() == 9
    for result in criteria:
        assert rows[result.code][2] == f"{result.met_count}/{result.total_count}"
        assert rows[result.code][3] == result.get_verdict_display()


@pytest.mark.django_db
def test_the_dossier_lists_what_it_holds_and_the_shortfall_is_said():
    run = current_run()
    dossier = RecognitionDossier.objects.filter(registration__unit=run.unit).latest("pk")
    doc, _request, _data = render("to-trinh", "00121")
    for key, label in CHECKLIST:
        suffix = "." if dossier.checklist.get(key) else " (chưa có)."
        assert f"- {label}{suffix}" in doc.paragraphs
    if not run.recognisable:
        assert any(
            p.startswith("Lưu ý: Phường Giang Biên chưa đủ điều kiện") for p in doc.paragraphs
        )
