"""Biên bản thẩm tra: the district's inspection of a ward in one round (QĐ 04/2022, domain.md §1.5).

Who inspected and when, then per criterion the district's verdict and, per sub-criterion, what the
ward said and what the district concluded with its remark, the corrective actions with their
owners and deadlines, and the conclusion. Everything is read from the round's stored inspection
(`tieuchi.evaluation.rounds`); issued by the district.
"""

from __future__ import annotations

from django.db.models import Prefetch

from tieuchi.core.nd30.document import Heading, OfficialDocument, Paragraph, Table
from tieuchi.core.nd30.names import committee_name, running_name
from tieuchi.evaluation.models import CorrectiveAction, RoundAssessment, Transition, Verdict
from tieuchi.reports.kinds import ReportKind
from tieuchi.reports.request import ReportInputError, ReportRequest
from tieuchi.reports.results_text import count_text, date_text

ITEM_HEADERS = ("TT", "Tiêu chí, nội dung", "Phường tự đánh giá", "Kết quả thẩm tra", "Nhận xét")
ITEM_WIDTHS = (14.0, 62.0, 24.0, 24.0, 41.0)
ACTION_HEADERS = ("Nội dung", "Việc cần khắc phục", "Đơn vị, người thực hiện", "Hạn", "Tình trạng")
ACTION_WIDTHS = (18.0, 60.0, 38.0, 22.0, 27.0)
UNASSIGNED = "Chưa giao việc khắc phục"
Stage = RoundAssessment.Stage


def inspection_of(request: ReportRequest) -> RoundAssessment:
    """The round's inspection of the unit, or a clear message naming the rounds that have one."""
    unit, evaluation_round = request.unit, request.round
    found = (
        RoundAssessment.objects.filter(unit=unit, stage=Stage.INSPECTION)
        .select_related("round__plan__legal_document", "created_by")
        .prefetch_related(
            Prefetch(
                "items__actions",
                queryset=CorrectiveAction.objects.select_related(
                    "responsible_organisation", "responsible_person"
                ),
            )
        )
    )
    inspection = found.filter(round=evaluation_round).first() if evaluation_round else None
    if inspection is not None:
        return inspection
    others = ", ".join(
        f"{a.round.name} (--round {a.round_id})" for a in found.order_by("round__scheduled_month")
    )
    asked = evaluation_round.name if evaluation_round else "Đợt đánh giá"
    raise ReportInputError(
        f"{asked} chưa có kết quả kiểm tra, thẩm tra của {running_name(unit)}"
        + (f". Các đợt đã kiểm tra: {others}." if others else ".")
    )


def _items(assessment: RoundAssessment | None) -> list:
    if assessment is None:
        return []
    return list(assessment.items.select_related("node__parent").order_by("node__position"))


def build(request: ReportRequest) -> OfficialDocument:
    inspection = inspection_of(request)
    evaluation_round, unit, header = inspection.round, request.unit, request.header
    own = RoundAssessment.objects.filter(
        round=evaluation_round, unit=unit, stage=Stage.SELF
    ).select_related("created_by")
    own = own.first()
    said = {item.node_id: item for item in _items(own)}
    items = _items(inspection)
    criteria = _by_criterion(items)
    met_criteria = sum(1 for _node, group in criteria if _all_met(group))
    inspector = inspection.created_by.display_name if inspection.created_by else ""
    place = running_name(unit)
    blocks = [
        Paragraph(_opening(inspection, place)),
        Heading("I. Thành phần"),
        Paragraph(
            f"1. Đơn vị kiểm tra: {inspection.assessor_name or evaluation_round.evaluator}"
            + (f"; cán bộ kiểm tra: {inspector}." if inspector else ".")
        ),
        Paragraph(
            f"2. Đơn vị được kiểm tra: {committee_name(unit)}"
            + (f"; đại diện: {own.created_by.display_name}." if own and own.created_by else ".")
        ),
        Heading("II. Kết quả thẩm tra"),
        Paragraph(
            f"Số liệu tính đến ngày {date_text(evaluation_round.judged_on)}. {place[:1].upper()}"
            f"{place[1:]} đạt {count_text(met_criteria, len(criteria))} tiêu chí; "
            f"{count_text(_count(items, Verdict.MET), len(items))} nội dung đạt, "
            f"{_count(items, Verdict.NOT_MET)} nội dung chưa đạt."
        ),
        _item_table(criteria, said),
        Heading("III. Những nội dung phải khắc phục"),
        *_actions(items),
        Heading("IV. Kết luận"),
        *_conclusion(inspection, met_criteria, len(criteria), place),
    ]
    return header.document(
        symbol=KIND.symbol,
        kind_title="BIÊN BẢN",
        summary=(
            f"Thẩm tra kết quả xây dựng phường đạt chuẩn đô thị văn minh của {place} "
            f"({evaluation_round.name})"
        ),
        blocks=tuple(blocks),
        file_name=f"bien-ban-tham-tra-{unit.official_code}-{evaluation_round.judged_on}.docx",
    )


def _opening(inspection: RoundAssessment, place: str) -> str:
    evaluation_round = inspection.round
    plan = evaluation_round.plan
    document = plan.legal_document
    return (
        f"Thực hiện Kế hoạch số {document.number} ngày {date_text(document.issued_on)} của "
        f"{document.issuer} về {plan.name[:1].lower() + plan.name[1:]}, "
        f"{inspection.assessor_name or evaluation_round.evaluator} tiến hành kiểm tra, thẩm tra "
        f"kết quả tự đánh giá của {place} ({evaluation_round.name.lower()}), kết quả như sau:"
    )


def _by_criterion(items) -> list[tuple[object, list]]:
    groups: dict[int, tuple[object, list]] = {}
    for item in items:
        parent = item.node.parent
        groups.setdefault(parent.pk if parent else 0, (parent, []))[1].append(item)
    return list(groups.values())


def _all_met(group) -> bool:
    return all(item.verdict == Verdict.MET for item in group)


def _count(items, verdict: str) -> int:
    return sum(1 for item in items if item.verdict == verdict)


def _item_table(criteria, said: dict) -> Table:
    rows, bold = [], set()
    for criterion, group in criteria:
        verdict = Verdict.MET.label if _all_met(group) else Verdict.NOT_MET.label
        bold.add(len(rows))
        met = count_text(_count(group, Verdict.MET), len(group))
        name = criterion.short_name or criterion.name if criterion else ""
        code = criterion.code if criterion else ""
        rows.append((code, f"{name} ({met} nội dung đạt)", "", str(verdict), ""))
        for item in group:
            own = said.get(item.node_id)
            rows.append(
                (
                    item.node.code,
                    item.node.short_name or item.node.name,
                    own.get_verdict_display() if own else "",
                    item.get_verdict_display(),
                    item.remark,
                )
            )
    return Table(
        headers=ITEM_HEADERS,
        rows=tuple(rows),
        widths_mm=ITEM_WIDTHS,
        bold_rows=frozenset(bold),
        font_size_pt=11,
    )


def action_owner(action: CorrectiveAction) -> str:
    parts = [str(action.responsible_organisation or ""), str(action.responsible_person or "")]
    return "; ".join(part for part in parts if part)


def _actions(items) -> list:
    """Each corrective action; a sub-criterion not met without one is listed as still to assign."""
    rows = []
    for item in items:
        actions = list(item.actions.all())
        for action in actions:
            status = action.get_status_display()
            if action.closed_on:
                status += f" ngày {date_text(action.closed_on)}"
            rows.append(
                (
                    item.node.code,
                    action.description,
                    action_owner(action),
                    date_text(action.due_on),
                    status,
                )
            )
        if not actions and item.verdict == Verdict.NOT_MET:
            rows.append((item.node.code, item.remark, "", "", UNASSIGNED))
    if not rows:
        return [Paragraph("Không có nội dung phải khắc phục.")]
    return [Table(ACTION_HEADERS, tuple(rows), widths_mm=ACTION_WIDTHS, font_size_pt=11)]


def confirm_note(inspection: RoundAssessment) -> str:
    """What the inspector wrote when confirming the inspection (kept on the transition)."""
    move = Transition.objects.filter(
        object_type=inspection._meta.label_lower, object_id=str(inspection.pk), action="confirm"
    )
    found = move.order_by("-at", "-pk").first()
    return found.note.strip() if found else ""


def _conclusion(inspection: RoundAssessment, met: int, total: int, place: str) -> list:
    blocks = [
        Paragraph(note) for note in (inspection.note.strip(), confirm_note(inspection)) if note
    ]
    if inspection.status != RoundAssessment.Status.CONFIRMED:
        blocks.append(
            Paragraph(
                f"Kết quả kiểm tra chưa được xác nhận ({inspection.get_status_display()}).",
                italic=True,
            )
        )
    standing = (
        "đủ điều kiện về tiêu chí để đề nghị công nhận"
        if met == total
        else "chưa đạt đủ các tiêu chí, chưa đủ điều kiện đề nghị công nhận"
    )
    blocks.append(
        Paragraph(
            f"{place[:1].upper()}{place[1:]} đạt {count_text(met, total)} tiêu chí, {standing}; "
            f"{committee_name(inspection.unit)} khắc phục các nội dung trên theo đúng thời hạn "
            f"và báo cáo kết quả về {inspection.round.evaluator or 'cấp trên'}."
        )
    )
    blocks.append(
        Paragraph("Biên bản được lập và thông qua, các bên thống nhất với nội dung trên./.")
    )
    return blocks


def _header_defaults(unit, plan) -> dict:
    """The inspection team signs the record (NĐ 30: "TM. ĐOÀN KIỂM TRA / TRƯỞNG ĐOÀN")."""
    return {"signer_authority": "TM. ĐOÀN KIỂM TRA", "signer_position": "TRƯỞNG ĐOÀN"}


KIND = ReportKind(
    slug="bien-ban-tham-tra",
    title="Biên bản thẩm tra kết quả xây dựng phường đạt chuẩn đô thị văn minh",
    symbol="BB-ĐKT",
    needs_round=True,
    build=build,
    issued_by_district=True,
    catalog_key="qd04-2022",
    recipients=("{unit_committee};", "Phòng Văn hóa và Thông tin {parent};", "Lưu: VT."),
    header_defaults=_header_defaults,
)
