"""The Programme 02 dashboard and the ctr02-tien-do document say the same thing: for the demo
district, each measure's standing on the trajectory, read from the rendered page and from the
generated .docx (python-docx read-back), is the same."""

import html
import re

import pytest
from django.urls import reverse

from tieuchi.catalog.models import Measure
from tieuchi.orgs.models import AdminUnit
from tieuchi.reports.kinds.ctr02_tien_do import CATALOG_KEY, STANDING_LABELS
from tieuchi.reports.tests.official_layout import render

pytestmark = pytest.mark.django_db
DISTRICT = "004"


def page_statuses(page: str) -> dict[str, str]:
    """Measure code → the status label of its row on the dashboard."""
    found = {}
    for code, row in re.findall(r'<tr id="measure-([^"]+)"(.*?)</tr>', page, re.S):
        match = re.search(r'<span class="progress-status[^"]*">.*?</span>(.*?)</span>', row, re.S)
        assert match, f"no status for {code}"
        found[code] = html.unescape(match.group(1)).strip()
    return found


def document_statuses(doc) -> dict[str, str]:
    """Measure code → the standing written in the "Lộ trình" column of the document (one line per
    measure, prefixed with its code when an indicator has several)."""
    by_indicator = {}
    for measure in Measure.objects.filter(node__catalog__key=CATALOG_KEY).select_related("node"):
        by_indicator.setdefault(measure.node.code, []).append(measure.code)
    found = {}
    for row in doc.table_with("Lộ trình").rows[1:]:
        codes, lines = by_indicator[row[0]], row[-1].split("\n")
        if len(codes) == 1:
            found[codes[0]] = lines[0]
            continue
        for line in lines:
            code, _sep, label = line.partition(": ")
            found[code] = label
    return found


def test_dashboard_and_document_give_every_measure_the_same_status(login):
    unit = AdminUnit.objects.get(official_code=DISTRICT)
    url = reverse("dashboards:programme", kwargs={"catalog_key": CATALOG_KEY, "unit_id": unit.pk})
    page = login("kiemtra.longbien").get(url).content.decode()
    doc, _request, _data = render("ctr02-tien-do", DISTRICT)
    on_page, in_document = page_statuses(page), document_statuses(doc)
    assert len(on_page) >= 50  # every measurable row of the 32 indicators
    assert on_page == in_document
    assert set(on_page.values()) <= set(STANDING_LABELS.values())
    # The demo exercises more than one standing, so the equality is not between blank columns.
    assert len(set(on_page.values())) >= 3
