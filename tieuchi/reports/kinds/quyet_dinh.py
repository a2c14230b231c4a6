"""Quyết định công nhận phường đạt chuẩn đô thị văn minh, issued by the Chủ tịch UBND of the
district (QĐ 04/2022 Điều 8, domain.md §1.5 step 7), valid for 5 years.

Read from the stored recognition decision (number, date, validity, signer), its council (meeting
date and ballot) and the dossier it closed; "Căn cứ" lines cite QĐ 04/2022/QĐ-TTg and the
council. A unit without a decision gets a clear message, never an invented one.
"""

from __future__ import annotations

from tieuchi.core.nd30.document import OfficialDocument, Paragraph
from tieuchi.core.nd30.names import committee_name, running_name
from tieuchi.evaluation.models import RecognitionDecision, RecognitionDossier
from tieuchi.evaluation.recognition.rules import DEFAULT_VALIDITY_YEARS, catalog_rule
from tieuchi.reports.kinds import ReportKind
from tieuchi.reports.request import ReportInputError, ReportRequest
from tieuchi.reports.results_text import date_text

DEFAULT_SYMBOL = "QĐ-UBND"


def decision_of(unit) -> RecognitionDecision | None:
    """The unit's newest recognition decision, with its dossier, council and legal basis."""
    return (
        RecognitionDecision.objects.filter(unit=unit)
        .select_related(
            "catalog__legal_document", "dossier__registration", "dossier__council", "unit__parent"
        )
        .order_by("-decided_on", "-pk")
        .first()
    )


def split_number(number: str) -> tuple[str, str]:
    """ "1234/QĐ-UBND" → ("1234", "QĐ-UBND"); a bare "1234" keeps the default symbol."""
    head, _slash, tail = number.strip().partition("/")
    return head.strip(), (tail.strip() or DEFAULT_SYMBOL)


def _missing(unit) -> ReportInputError:
    place = running_name(unit)
    dossier = RecognitionDossier.objects.filter(registration__unit=unit).order_by("-pk").first()
    state = f" (hồ sơ: {dossier.get_status_display().lower()})" if dossier else ""
    return ReportInputError(
        f"{place[:1].upper()}{place[1:]} chưa có quyết định công nhận đạt chuẩn đô thị văn minh"
        f"{state}: quyết định chỉ lập được sau khi hội đồng thẩm định biểu quyết đồng ý và "
        "quyết định đã được ghi nhận trên trang công nhận."
    )


def build(request: ReportRequest) -> OfficialDocument:
    unit, header = request.unit, request.header
    decision = decision_of(unit)
    if decision is None:
        raise _missing(unit)
    place = running_name(unit)
    district = running_name(unit.parent) if unit.parent_id else ""
    law = decision.catalog.legal_document
    _number, symbol = split_number(decision.number)
    validity = (
        f"từ ngày {date_text(decision.decided_on)} đến ngày {date_text(decision.valid_until)}"
    )
    years = catalog_rule(decision.catalog, "validity_years", DEFAULT_VALIDITY_YEARS)
    authority = f"CHỦ TỊCH {committee_name(unit.parent).upper()}" if unit.parent_id else ""
    blocks = [
        *(
            [Paragraph(authority, bold=True, align="center", first_line_indent=False)]
            if authority
            else []
        ),
        *(Paragraph(line, italic=True) for line in _grounds(decision, law, place)),
        Paragraph("QUYẾT ĐỊNH:", bold=True, align="center", first_line_indent=False),
        Paragraph(
            f"Điều 1. Công nhận {place}, {district} đạt chuẩn đô thị văn minh năm "
            f"{decision.decided_on.year}. Quyết định công nhận có giá trị {years:02d} năm, {validity}."
        ),
        Paragraph(
            f"Điều 2. Ủy ban nhân dân {place} có trách nhiệm duy trì, nâng cao chất lượng các "
            "tiêu chí đã đạt; hằng năm tự kiểm tra, báo cáo kết quả duy trì. Trường hợp không "
            "duy trì được các tiêu chí, quyết định công nhận bị xem xét thu hồi."
        ),
        Paragraph(
            f"Điều 3. Quyết định này có hiệu lực kể từ ngày ký. Chánh Văn phòng HĐND và UBND "
            f"{district}, Trưởng phòng Văn hóa và Thông tin, Chủ tịch Ủy ban nhân dân {place} "
            "và các cơ quan, đơn vị có liên quan chịu trách nhiệm thi hành Quyết định này./."
        ),
    ]
    if decision.revoked_on:
        blocks.append(
            Paragraph(
                f"Ghi chú: quyết định đã bị thu hồi ngày {date_text(decision.revoked_on)}"
                + (f" ({decision.revoke_reason})." if decision.revoke_reason else "."),
                italic=True,
            )
        )
    return header.document(
        symbol=symbol,
        kind_title="QUYẾT ĐỊNH",
        summary=f"Về việc công nhận {place} đạt chuẩn đô thị văn minh",
        blocks=tuple(blocks),
        addressees=(),
        file_name=f"quyet-dinh-cong-nhan-{unit.official_code}-{decision.decided_on}.docx",
    )


def _grounds(decision: RecognitionDecision, law, place: str) -> list[str]:
    lines = [
        f"Căn cứ Quyết định số {law.number} ngày {date_text(law.issued_on)} của {law.issuer} "
        f"{law.title[:1].lower() + law.title[1:]};"
    ]
    council = getattr(decision.dossier, "council", None)
    if council is not None and council.meeting_on:
        ballot = ""
        if council.votes_for is not None:
            ballot = f", {council.votes_for} phiếu đồng ý, {council.votes_against or 0} phiếu không đồng ý"
        lines.append(
            f"Căn cứ kết quả họp Hội đồng thẩm định ngày {date_text(council.meeting_on)}{ballot};"
        )
    submitted = decision.dossier.submitted_on
    lines.append(
        f"Xét đề nghị của Ủy ban nhân dân {place}"
        + (f" (hồ sơ nộp ngày {date_text(submitted)})" if submitted else "")
        + "."
    )
    return lines


def _header_defaults(unit, plan) -> dict:
    """The decision's own number, date and signer; the Chủ tịch signs in person (no "TM.")."""
    decision = decision_of(unit)
    if decision is None:
        return {}
    number, _symbol = split_number(decision.number)
    return {
        "number": number,
        "date": decision.decided_on,
        "signer_name": decision.signer,
        "signer_authority": "",
        "signer_position": "CHỦ TỊCH",
    }


KIND = ReportKind(
    slug="quyet-dinh",
    title="Quyết định công nhận phường đạt chuẩn đô thị văn minh",
    symbol=DEFAULT_SYMBOL,
    needs_round=False,
    build=build,
    issued_by_district=True,
    catalog_key="qd04-2022",
    addressees=(),
    recipients=("Như Điều 3;", "TT Quận ủy, HĐND {parent};", "UBMTTQ {parent};", "Lưu: VT."),
    header_defaults=_header_defaults,
)
