"""Báo cáo tiến độ Chương trình 02-CTr/QU (Long Biên, 2020 – 2025): the 32 indicators of the
catalog with their baseline, target, current value, verdict and standing against the trajectory
to the target (`tieuchi.evaluation.trajectory`, the same computation as the Programme 02
dashboard), and charts of a few key indicators.

The current value and verdict are the stored run's (`scorecard`), so the document agrees with the
scorecard page; the yearly series behind the trajectory are the stored runs of earlier years.
"""

from __future__ import annotations

from tieuchi.catalog.models import Measure
from tieuchi.core.formatting import vn_number
from tieuchi.core.nd30.document import Heading, Image, OfficialDocument, Paragraph, Table
from tieuchi.core.nd30.names import running_name
from tieuchi.evaluation.models import EvaluationRun
from tieuchi.evaluation.queries_scorecard import Item
from tieuchi.evaluation.trajectory import Progress, Status, TargetForm, follow, primary_threshold
from tieuchi.reports import charts
from tieuchi.reports.kinds import ReportKind
from tieuchi.reports.request import ReportInputError, ReportRequest
from tieuchi.reports.results_text import date_text, measure_text

CATALOG_KEY = "ctr02-longbien-2020-2025"
HEADERS = ("TT", "Chỉ tiêu", "Mốc", "Chỉ tiêu đến", "Thực hiện", "Kết quả", "Lộ trình")
WIDTHS = (11.0, 44.0, 22.0, 24.0, 26.0, 17.0, 21.0)
# The Programme 02 dashboard says the same words (dashboards.queries_programme.status_label).
STANDING_LABELS = {
    Status.MET: "Đã đạt chỉ tiêu",
    Status.ON_TRACK: "Đúng lộ trình",
    Status.BEHIND: "Chậm so với lộ trình",
    Status.BASELINE_ONLY: "Mới có số liệu năm mốc",
    Status.NO_DATA: "Chưa đủ dữ liệu",
}
COMPARATOR_SIGNS = {"gte": "≥", "gt": ">", "lte": "≤", "lt": "<", "eq": "="}
CHART_COUNT = 3


def yearly_lines(run: EvaluationRun) -> dict[str, dict[int, dict]]:
    """Each measure's stored line (verdict, figures, explanation) in the unit's newest current run
    of each year up to `run`, as the Programme 02 dashboard reads them (one query)."""
    runs = (
        EvaluationRun.objects.filter(
            unit_id=run.unit_id,
            catalog__key=run.catalog.key,
            is_current=True,
            as_of__lte=run.as_of,
        )
        .only("pk", "as_of", "result")
        .order_by("as_of", "computed_at", "pk")
    )
    per_year = {found.as_of.year: found for found in runs}
    lines: dict[str, dict[int, dict]] = {}
    for year, found in per_year.items():
        for group in found.result.get("children", []):
            for indicator in group.get("children", []):
                for measure in indicator.get("measures", []):
                    lines.setdefault(measure["code"], {})[year] = measure
    return lines


def target_text(threshold, unit_label: str) -> str:
    """ "≥ 95% (2025)", "91 – 93%", "giữ vững 14", "giảm ≥ 10%"."""
    value, top = vn_number(threshold.value), vn_number(threshold.value_max)
    unit = "%" if unit_label == "%" else f" {unit_label}" if unit_label else ""
    text = {
        "between": f"{value} – {top}{unit}",
        "maintain": f"giữ vững {value}{unit}",
        "reduction_gte": f"giảm ≥ {value}%",
        "reduction_between": f"giảm {value} – {top}%",
        "zero": "không để xảy ra",
    }.get(threshold.comparator)
    if text is None:
        sign = COMPARATOR_SIGNS.get(threshold.comparator, threshold.comparator)
        text = f"{sign} {value}{unit}" if threshold.value is not None else threshold.text
    return f"{text} ({threshold.target_year})" if threshold.target_year else text


def measure_rows(request: ReportRequest, card) -> list[dict]:
    """One dict per measure of the catalog: its line in the stored run, threshold and progress
    on the trajectory. Read in four queries whatever the number of indicators."""
    catalog = card.run.catalog
    measures = list(
        Measure.objects.filter(node__catalog=catalog)
        .select_related("node")
        .prefetch_related("thresholds")
        .order_by("node__position", "position")
    )
    stored = yearly_lines(card.run)
    lines = {line.code: line for item in card.items for line in item.measures}
    start = catalog.period_start.year if catalog.period_start else card.run.as_of.year
    end = catalog.period_end.year if catalog.period_end else card.run.as_of.year
    rows = []
    for measure in measures:
        threshold = primary_threshold(measure.thresholds.all())
        progress = None
        if threshold is not None:
            progress = follow(TargetForm.of(threshold), stored.get(measure.code, {}), start, end)
        rows.append(
            {
                "measure": measure,
                "line": lines.get(measure.code),
                "threshold": threshold,
                "progress": progress,
            }
        )
    return rows


def _cells(rows: list[dict], item: Item) -> tuple[str, str, str, str, str]:
    """Baseline, target, current value, verdict and standing of an indicator's measures, one
    line per measure (prefixed with its code when there are several)."""
    mine = [row for row in rows if row["measure"].node.code == item.code]
    columns: list[list[str]] = [[], [], [], [], []]
    for row in mine:
        threshold, line, progress = row["threshold"], row["line"], row["progress"]
        base = progress.baseline if progress else None
        unit = row["measure"].unit_of_measure
        values = [
            f"{vn_number(base.value, 2)}{'%' if unit == '%' else ''} ({base.year})" if base else "",
            target_text(threshold, unit) if threshold else "",
            (measure_text(line) or "Chưa có số liệu") if line else "",
            str(line.verdict.label) if line else "",
            STANDING_LABELS[progress.status] if progress else "",
        ]
        for column, value in zip(columns, values, strict=True):
            prefix = f"{row['measure'].code}: " if len(mine) > 1 else ""
            column.append(f"{prefix}{value}" if value else "")
    return tuple("\n".join(v for v in column if v) for column in columns)


def build(request: ReportRequest) -> OfficialDocument:
    card, unit, header = request.scorecard, request.unit, request.header
    place = running_name(unit)
    if card is None:
        raise ReportInputError(
            f"Chưa có kết quả đánh giá Chương trình 02 của {place}: hãy tính kết quả trên trang "
            "phiếu đánh giá (bộ chỉ tiêu Chương trình 02-CTr/QU) trước."
        )
    run = card.run
    programme = run.catalog.legal_document
    rows = measure_rows(request, card)
    table = Table(
        HEADERS,
        tuple((item.code, item.name, *_cells(rows, item)) for item in card.items),
        widths_mm=WIDTHS,
        font_size_pt=10,
    )
    blocks = [
        Paragraph(
            f"Thực hiện Chương trình số {programme.number} của {programme.issuer} về "
            f"{programme.title[:1].lower() + programme.title[1:]}, Ủy ban nhân dân {place} "
            f"báo cáo tiến độ thực hiện các chỉ tiêu (số liệu tính đến ngày "
            f"{date_text(run.as_of)}) như sau:"
        ),
        Heading("I. Kết quả chung"),
        Paragraph(_summary(card, rows)),
        Heading("II. Kết quả từng chỉ tiêu"),
        table,
        Heading("III. Diễn biến một số chỉ tiêu chủ yếu"),
        *_charts(rows),
        Heading("IV. Nhiệm vụ trọng tâm thời gian tới"),
        *_next_steps(rows),
        Paragraph(
            f"Trên đây là báo cáo tiến độ thực hiện Chương trình {programme.number} của "
            f"Ủy ban nhân dân {place}./."
        ),
    ]
    return header.document(
        symbol=KIND.symbol,
        kind_title="BÁO CÁO",
        summary=(
            f"Tiến độ thực hiện Chương trình {programme.number} giai đoạn "
            f"{_period(run.catalog)} (số liệu năm {run.as_of.year})"
        ),
        blocks=tuple(blocks),
        file_name=f"ctr02-tien-do-{unit.official_code}-{run.as_of.isoformat()}.docx",
    )


def _period(catalog) -> str:
    if catalog.period_start and catalog.period_end:
        return f"{catalog.period_start.year} – {catalog.period_end.year}"
    return ""


def _summary(card, rows: list[dict]) -> str:
    verdicts = [item.verdict.code for item in card.items]
    standings = [row["progress"].status for row in rows if row["progress"]]
    return (
        f"Trong {len(card.items)} chỉ tiêu: {verdicts.count('met')} chỉ tiêu đạt, "
        f"{verdicts.count('not_met')} chỉ tiêu chưa đạt, {verdicts.count('no_data')} chỉ tiêu "
        f"chưa đủ số liệu để đánh giá. Theo lộ trình đến năm đạt chỉ tiêu: "
        f"{standings.count(Status.MET)} nội dung đã đạt, {standings.count(Status.ON_TRACK)} nội "
        f"dung đúng lộ trình, {standings.count(Status.BEHIND)} nội dung chậm so với lộ trình."
    )


def chart_rows(rows: list[dict]) -> list[dict]:
    """Key indicators for the charts: at least two years of figures and a line to reach; those
    with a stated target year first, then those not yet reached, then in catalog order."""
    usable = [
        row
        for row in rows
        if row["progress"]
        and row["progress"].trajectory.end_value is not None
        and len(row["progress"].history) >= 2
    ]
    usable.sort(
        key=lambda row: (
            row["threshold"].target_year is None,
            row["progress"].status == Status.MET,
        )
    )
    return usable[:CHART_COUNT]


def _floats(points) -> list[tuple[int, float]]:
    return [(point.year, float(point.value)) for point in points]


def _charts(rows: list[dict]) -> list:
    chosen = chart_rows(rows)
    if not chosen:
        return [Paragraph("Chưa có chỉ tiêu nào đủ số liệu hai năm trở lên để vẽ biểu đồ.")]
    blocks = []
    for number, row in enumerate(chosen, start=1):
        measure, progress = row["measure"], row["progress"]
        png = charts.indicator_chart(
            f"{measure.code}. {measure.node.short_name or measure.name}"[:90],
            dict(_floats(progress.history)),
            _floats(progress.trajectory.points()),
            float(progress.trajectory.end_value),
            unit=measure.unit_of_measure,
        )
        caption = f"Hình {number}. {measure.name} ({STANDING_LABELS[progress.status]})"
        blocks.append(Image(png, width_mm=160, caption=caption))
    return blocks


def _next_step(measure, progress: Progress) -> str:
    name = f"Chỉ tiêu {measure.code} ({measure.name.rstrip('.')})"
    required = progress.required_now
    if required is None:
        return (
            f"- {name}: năm {progress.current.year} chưa đạt; tập trung giải pháp để đạt chỉ tiêu."
        )
    return (
        f"- {name}: năm {progress.current.year} đạt {vn_number(progress.current.value, 2)}, "
        f"lộ trình cần đạt {vn_number(required, 2)}; tập trung giải pháp để đạt chỉ tiêu."
    )


def _next_steps(rows: list[dict]) -> list:
    lines = [
        _next_step(row["measure"], row["progress"])
        for row in rows
        if row["progress"] and row["progress"].status == Status.BEHIND
    ]
    lines.append("- Hoàn thiện số liệu các chỉ tiêu chưa có số liệu, báo cáo đúng kỳ.")
    return [Paragraph(line) for line in lines]


KIND = ReportKind(
    slug="ctr02-tien-do",
    title="Báo cáo tiến độ thực hiện Chương trình 02-CTr/QU",
    symbol="BC-UBND",
    needs_round=False,
    build=build,
    catalog_key=CATALOG_KEY,
    addressees=("Ban Chủ nhiệm Chương trình 02-CTr/QU",),
    recipients=("Như trên;", "Thường trực HĐND {unit};", "Lưu: VT."),
    unit_levels=("district", "commune"),
)
