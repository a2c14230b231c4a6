"""Evaluating stored data: the CLI, stored runs with their inputs, and re-evaluation after a change."""

import datetime as dt
import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tieuchi.accounts.models import AuditEvent
from tieuchi.catalog.models import Catalog
from tieuchi.collection.models import Observation
from tieuchi.evaluation.models import EvaluationRun, NodeResult
from tieuchi.evaluation.services import evaluate_unit, reevaluate_after_change
from tieuchi.orgs.models import AdminUnit

AS_OF = dt.date(2023, 11, 30)


def run_command(*args) -> str:
    out = StringIO()
    call_command("evaluate", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def giang_bien(db):
    return AdminUnit.objects.get(official_code="00121")


@pytest.fixture
def catalog(db):
    return Catalog.objects.get(key="qd04-2022")


@pytest.mark.django_db
def test_the_command_returns_all_52_subcriteria_with_a_mix_of_verdicts():
    data = json.loads(run_command("--unit", "00121", "--as-of", "2023-11-30", "--format", "json"))
    items = [item for criterion in data["children"] for item in criterion["children"]]
    assert len(data["children"]) == 9
    assert len(items) == 52
    assert {c["verdict"] for c in data["children"]} == {"met", "not_met", "no_data"}
    by_code = {item["code"]: item for item in items}
    assert by_code["9.5"]["verdict"] == "not_met"
    assert "hết hiệu lực" in by_code["9.5"]["explanation"]
    assert by_code["6.1"]["verdict"] == "no_data"
    assert "Tổ dân phố số 13" in by_code["6.1"]["explanation"]
    schools = by_code["8.4"]["measures"][1]
    assert schools["layer_verdicts"] == {"national": "met", "ward": "met"}
    assert data["recognisable"] is False


@pytest.mark.django_db
def test_the_table_format_labels_verdicts_in_vietnamese():
    text = run_command("--unit", "00121", "--as-of", "2023-11-30")
    assert "Chưa đủ dữ liệu" in text and "Chưa đạt" in text and "\n  8.4   Đạt" in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--unit", "99999", "--as-of", "2023-11-30"], "Không có đơn vị"),
        (["--unit", "00121", "--as-of", "30/11/2023"], "không hợp lệ"),
        (
            ["--unit", "00121", "--as-of", "2023-11-30", "--catalog", "khong-co"],
            "Chưa nạp bộ tiêu chí",
        ),
    ],
)
@pytest.mark.django_db
def test_the_command_refuses_bad_input_in_vietnamese(args, message):
    with pytest.raises(CommandError, match=message):
        run_command(*args)


@pytest.mark.django_db
def test_a_stored_run_keeps_its_inputs_and_is_reused_while_nothing_changes(giang_bien, catalog):
    run = evaluate_unit(giang_bien, catalog, AS_OF)
    assert run.total_count == 9
    assert NodeResult.objects.filter(run=run, depth=1).count() == 52
    assert any(figure["measure_code"] == "6.1" for figure in run.inputs["figures"])
    again = evaluate_unit(giang_bien, catalog, AS_OF)
    assert again.pk == run.pk
    assert (
        EvaluationRun.objects.filter(
            unit=giang_bien, as_of=AS_OF, round=None, is_current=True
        ).count()
        == 1
    )


@pytest.mark.django_db
def test_a_changed_figure_reevaluates_the_unit_and_its_ancestors_only(giang_bien, catalog):
    tdp = AdminUnit.objects.get(official_code="00121-TDP13")
    other = AdminUnit.objects.get(official_code="00115")
    ward_run = evaluate_unit(giang_bien, catalog, AS_OF)
    tdp_run = evaluate_unit(tdp, catalog, AS_OF)
    other_run = EvaluationRun.objects.get(unit=other, is_current=True)
    measure = catalog.nodes.get(code="6.1").measures.get()
    Observation.objects.create(
        unit=tdp,
        measure=measure,
        period="2023",
        period_start=dt.date(2023, 1, 1),
        period_end=dt.date(2023, 12, 31),
        numerator=Decimal(700),
        denominator=Decimal(760),
        status="approved",
    )
    events_before = AuditEvent.objects.filter(action="evaluate").count()
    refreshed = reevaluate_after_change(tdp, catalog)
    assert {run.unit_id for run in refreshed} == {giang_bien.pk, tdp.pk}
    new_ward_run = EvaluationRun.objects.get(
        unit=giang_bien, as_of=AS_OF, round=None, is_current=True
    )
    assert new_ward_run.pk != ward_run.pk
    item = NodeResult.objects.get(run=new_ward_run, code="6.1")
    assert item.verdict == "met"
    assert EvaluationRun.objects.get(pk=other_run.pk).is_current
    assert EvaluationRun.objects.get(pk=tdp_run.pk).is_current is False
    # the ward's runs (two demo rounds and this one) and the TDP's: one audit event each
    assert len(refreshed) == 4
    assert AuditEvent.objects.filter(action="evaluate").count() == events_before + 4
