"""Tờ trình đề nghị công nhận phường đạt chuẩn đô thị văn minh, from the ward to the district.

The four conditions of QĐ 04/2022 Điều 5 khoản 2 (registered; 9/9 criteria; registered for at least
2 years, 5 for re-recognition; at least 90% of residents satisfied) with the stored figures: the
registration and the UBMTTQ survey (`tieuchi.evaluation.recognition`), the engine's verdict on each
condition in the stored run, the 9 criteria, and the documents of the dossier. A ward that does
not meet every condition gets the same document with the shortfall said plainly.
"""

from __future__ import annotations

from tieuchi.core.formatting import vn_number
from tieuchi.core.nd30.document import Heading, OfficialDocument, Paragraph, Table
from tieuchi.core.nd30.names import running_name
from tieuchi.evaluation.models import RecognitionDossier, Registration, SatisfactionSurvey, Verdict
from tieuchi.evaluation.recognition.rules import CHECKLIST
from tieuchi.reports.kinds import ReportKind
from tieuchi.reports.request import ReportInputError, ReportRequest
from tieuchi.reports.results_text import count_text, date_text

CATALOG_KEY = "qd04-2022"
CONDITION_HEADERS = ("TT", "Điều kiện", "Yêu cầu", "Kết quả của phường", "Đánh giá")
CONDITION_WIDTHS = (10.0, 38.0, 38.0, 52.0, 27.0)
CRITERIA_HEADERS = ("TT", "Tiêu chí", "Số nội dung đạt", "Kết quả")
CRITERIA_WIDTHS = (12.0, 93.0, 30.0, 30.0)


def survey_rate_text(survey: SatisfactionSurvey) -> str:
    """ "94,24% (1.178/1.250 người hài lòng, đồng thuận)", as the engine words the condition."""
    return (
        f"{vn_number(survey.rate, 2)}% ({vn_number(survey.satisfied)}/"
        f"{vn_number(survey.respondents)} người hài lòng, đồng thuận)"
    )


def registration_of(unit, run) -> Registration | None:
    """The registration the stored run judged (the newest on or before its date)."""
    return (
        Registration.objects.filter(
            unit=unit, catalog__key=run.catalog.key, registered_on__lte=run.as_of
        )
        .prefetch_related("surveys")
        .order_by("-registered_on", "-pk")
        .first()
    )


def survey_of(registration: Registration | None, as_of) -> SatisfactionSurvey | None:
    if registration is None:
        return None
    done = [s for s in registration.surveys.all() if s.closed_on <= as_of]
    return max(done, key=lambda s: (s.closed_on, s.pk), default=None)


def build(request: ReportRequest) -> OfficialDocument:
    card, unit, header = request.scorecard, request.unit, request.header
    place = running_name(unit)
    if card is None:
        raise ReportInputError(
            f"Chưa có kết quả đánh giá của {place}: hãy tính kết quả trên trang phiếu đánh giá "
            "trước khi lập tờ trình."
        )
    run = card.run
    registration = registration_of(unit, run)
    if registration is None:
        raise ReportInputError(
            f"{place[:1].upper()}{place[1:]} chưa đăng ký xây dựng phường đạt chuẩn đô thị văn "
            f"minh (tính đến ngày {date_text(run.as_of)}): hãy ghi nhận việc đăng ký trước."
        )
    survey = survey_of(registration, run.as_of)
    conditions = {c["code"]: c for c in run.result.get("conditions", [])}
    rule = run.catalog.recognition_rule or {}
    parent = running_name(unit.parent) if unit.parent_id else ""
    blocks = [
        *_grounds(request, survey),
        Paragraph(
            f"Ủy ban nhân dân {place} kính trình Chủ tịch Ủy ban nhân dân {parent} xem xét, "
            f"công nhận {place} đạt chuẩn đô thị văn minh năm {run.as_of.year}, cụ thể như sau:"
        ),
        Heading("I. Điều kiện đề nghị công nhận"),
        Table(
            CONDITION_HEADERS,
            _condition_rows(registration, survey, conditions, rule, card),
            widths_mm=CONDITION_WIDTHS,
            font_size_pt=11,
        ),
        Heading("II. Kết quả thực hiện các tiêu chí"),
        Paragraph(
            f"Tính đến ngày {date_text(run.as_of)}, {place} đạt "
            f"{count_text(card.met_count, card.total_count)} tiêu chí."
        ),
        Table(
            CRITERIA_HEADERS,
            tuple(
                (c.code, c.name, count_text(c.met_count, c.total_count), c.verdict.label)
                for c in card.criteria
            ),
            widths_mm=CRITERIA_WIDTHS,
        ),
        Heading("III. Hồ sơ kèm theo"),
        *_dossier(registration),
        *_closing(conditions, place, parent),
    ]
    return header.document(
        symbol=KIND.symbol,
        kind_title="TỜ TRÌNH",
        summary=f"Đề nghị công nhận {place} đạt chuẩn đô thị văn minh năm {run.as_of.year}",
        blocks=tuple(blocks),
        file_name=f"to-trinh-cong-nhan-{unit.official_code}-{run.as_of.isoformat()}.docx",
    )


def _grounds(request: ReportRequest, survey: SatisfactionSurvey | None) -> list:
    law = request.scorecard.run.catalog.legal_document
    lines = [
        f"Căn cứ Quyết định số {law.number} ngày {date_text(law.issued_on)} của {law.issuer} "
        f"{law.title[:1].lower() + law.title[1:]};"
    ]
    plan = request.plan
    if plan is not None:
        document = plan.legal_document
        lines.append(
            f"Căn cứ Kế hoạch số {document.number} ngày {date_text(document.issued_on)} của "
            f"{document.issuer} về {plan.name[:1].lower() + plan.name[1:]};"
        )
    if survey is not None:
        lines.append(
            f"Căn cứ kết quả lấy ý kiến sự hài lòng của người dân do {survey.organiser} tổ chức "
            f"từ ngày {date_text(survey.opened_on)} đến ngày {date_text(survey.closed_on)},"
        )
    return [Paragraph(line) for line in lines]


def _verdict(conditions: dict, code: str) -> str:
    found = conditions.get(code)
    return str(Verdict(found["verdict"]).label) if found else str(Verdict.NO_DATA.label)


def _finding(condition: dict | None) -> str:
    """The engine's explanation without its leading verdict ("Đạt: đăng ký … " → "đăng ký …")."""
    if not condition:
        return ""
    text = condition.get("explanation", "")
    for verdict in Verdict:
        prefix = f"{verdict.label}: "
        if text.startswith(prefix):
            return text[len(prefix)].upper() + text[len(prefix) + 1 :]
    return text


def _condition_rows(registration, survey, conditions, rule, card) -> tuple:
    renewal = registration.kind == Registration.Kind.RENEWAL
    years = rule.get("min_registration_years_renewal" if renewal else "min_registration_years")
    percent = rule.get("min_satisfaction_percent", 90)
    registered = (
        f"{registration.get_kind_display()}, đăng ký ngày {date_text(registration.registered_on)} "
        f"với {registration.registered_with}"
    )
    return (
        (
            "1",
            "Đăng ký xây dựng",
            "Có đăng ký với UBND cấp huyện",
            registered,
            str(Verdict.MET.label),
        ),
        (
            "2",
            "Đạt đủ các tiêu chí",
            f"Đạt {card.total_count:02d}/{card.total_count:02d} tiêu chí",
            f"Đạt {count_text(card.met_count, card.total_count)} tiêu chí",
            _verdict(conditions, "criteria"),
        ),
        (
            "3",
            "Thời gian đăng ký",
            f"Tối thiểu {years:02d} năm" if years else "",
            _finding(conditions.get("registration")),
            _verdict(conditions, "registration"),
        ),
        (
            "4",
            "Người dân hài lòng, đồng thuận",
            f"Tối thiểu {vn_number(percent)}%",
            survey_rate_text(survey) if survey else "Chưa có kết quả lấy ý kiến",
            _verdict(conditions, "survey"),
        ),
    )


def _dossier(registration: Registration) -> list:
    dossier = RecognitionDossier.objects.filter(registration=registration).order_by("-pk").first()
    checklist = dossier.checklist if dossier else {}
    lines = [
        f"- {label}" + ("." if checklist.get(key) else " (chưa có).") for key, label in CHECKLIST
    ]
    return [Paragraph(line) for line in lines]


def _closing(conditions: dict, place: str, parent: str) -> list:
    failed = [c for c in conditions.values() if c["verdict"] != Verdict.MET]
    blocks = []
    if failed:
        blocks.append(
            Paragraph(
                f"Lưu ý: {place[:1].upper()}{place[1:]} chưa đủ điều kiện đề nghị công nhận: "
                + "; ".join(f"{c['name'].lower()}: {c['explanation']}" for c in failed)
                + ".",
                italic=True,
            )
        )
    blocks.append(
        Paragraph(
            f"Ủy ban nhân dân {place} kính trình Chủ tịch Ủy ban nhân dân {parent} xem xét, "
            "quyết định./."
        )
    )
    return blocks


KIND = ReportKind(
    slug="to-trinh",
    title="Tờ trình đề nghị công nhận phường đạt chuẩn đô thị văn minh",
    symbol="TTr-UBND",
    needs_round=False,
    build=build,
    catalog_key=CATALOG_KEY,
    addressees=("Chủ tịch {parent_committee}",),
    recipients=("Như trên;", "Thường trực Đảng ủy, HĐND {unit};", "UBMTTQ {unit};", "Lưu: VT."),
)
