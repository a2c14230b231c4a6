"""Báo cáo tiến độ Chương trình 02 of quận Long Biên (the programme's unit), read back: one row per official indicator,
each current value and verdict equal to the stored figures and run, each trajectory standing
as the pure computation gives it from the stored lines, and the charts embedded."""

import io

import docx
import pytest

from tieuchi.catalog.models import CatalogNode, Threshold
from tieuchi.collection.models import Observation
from tieuchi.evaluation.models import EvaluationRun, Verdict
from tieuchi.evaluation.trajectory import TargetForm, follow
from tieuchi.reports.kinds.ctr02_tien_do import CATALOG_KEY, STANDING_LABELS
from tieuchi.reports.tests.official_layout import assert_official_layout, render

DISTRICT = "004"


def thousands(number) -> str:
    return f"{int(number):,}".replace(",", ".")


def stored_run() -> EvaluationRun:
    return (
        EvaluationRun.objects.filter(
            unit__official_code=DISTRICT, catalog__key=CATALOG_KEY, is_current=True
        )
        .order_by("-as_of", "-pk")
        .first()
    )


def yearly_lines(run: EvaluationRun, code: str) -> dict[int, dict]:
    """The measure's stored line in the newest stored run of each year up to the report's run."""
    lines = {}
    runs = EvaluationRun.objects.filter(
        unit=run.unit, catalog=run.catalog, is_current=True, as_of__lte=run.as_of
    )
    for found in runs.order_by("as_of", "computed_at", "pk"):
        for group in found.result["children"]:
            for indicator in group["children"]:
                for measure in indicator.get("measures", []):
                    if measure["code"] == code:
                        lines[found.as_of.year] = measure
    return lines


@pytest.fixture
def report(db):
    doc, request, data = render("ctr02-tien-do", DISTRICT, number="3")
    return doc, request, data


def test_the_progress_report_has_the_official_layout(report):
    doc, request, _data = report
    assert_official_layout(doc, request, "Số: 03/BC-UBND")
    assert "Kính gửi: Ban Chủ nhiệm Chương trình 02-CTr/QU." in doc.paragraphs
    assert request.header.issuing_body == "ỦY BAN NHÂN DÂN QUẬN LONG BIÊN"
    assert request.run == stored_run()


def test_one_row_per_official_indicator(report):
    doc, _request, _data = report
    run = stored_run()
    indicators = CatalogNode.objects.filter(
        catalog=run.catalog, node_type=CatalogNode.NodeType.INDICATOR
    )
    rows = doc.table_with("Lộ trình").rows[1:]
    assert len(rows) == indicators.count() == 32
    assert [row[0] for row in rows] == list(
        indicators.order_by("position").values_list("code", flat=True)
    )


def test_current_values_and_verdicts_equal_the_stored_figures(report):
    doc, _request, _data = report
    run = stored_run()
    table = doc.table_with("Lộ trình")
    rows = {row[0]: row for row in table.rows[1:]}
    done = table.headers.index("Thực hiện")
    verdict_column = table.headers.index("Kết quả")
    year = str(run.as_of.year)
    figures = Observation.objects.filter(
        unit=run.unit, measure__node__catalog=run.catalog, period=year
    ).select_related("measure__node")
    assert figures.count() >= 10
    measures = {
        m["code"]: m
        for group in run.result["children"]
        for indicator in group["children"]
        for m in indicator.get("measures", [])
    }
    for figure in figures:
        cell = rows[figure.measure.node.code][done]
        if figure.denominator:
            assert f"{thousands(figure.numerator)}/{thousands(figure.denominator)}" in cell
        label = str(Verdict(measures[figure.measure.code]["verdict"]).label)
        assert label in rows[figure.measure.node.code][verdict_column]


def test_each_standing_is_the_trajectory_computed_from_the_stored_series(report):
    doc, _request, _data = report
    run = stored_run()
    rows = {row[0]: row for row in doc.table_with("Lộ trình").rows[1:]}
    period = (run.catalog.period_start.year, run.catalog.period_end.year)
    # A ramp, a ratio to 100%, a count and a falling target with a stated baseline, a reduction.
    for code in ("2.7", "2.8", "2.13", "3.3b", "5.1"):
        threshold = Threshold.objects.get(measure__node__catalog=run.catalog, measure__code=code)
        lines = yearly_lines(run, code)
        assert len(lines) >= 2, "the demo stores one result a year"
        progress = follow(TargetForm.of(threshold), lines, *period)
        assert STANDING_LABELS[progress.status] in rows[threshold.measure.node.code][-1]


def test_key_indicators_are_drawn_as_images(report):
    _doc, _request, data = report
    pictures = docx.Document(io.BytesIO(data)).inline_shapes
    assert 1 <= len(pictures) <= 3
