"""Loading a valid catalog file: one audit event, nothing changed by a second load, reloads update in
place, and the command reports what it did."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tieuchi.accounts.models import AuditEvent
from tieuchi.catalog.models import Measure, Threshold
from tieuchi.catalog.services import load_catalog
from tieuchi.catalog.tests.catalog_file_builders import (
    QD04,
    counts,
    dump,
    leaf,
    valid,
    write,
)
from tieuchi.core.yamlfile import DataFileError
from tieuchi.plans.models import Plan, PlanRow


@pytest.mark.django_db
def test_it_loads_a_valid_file_with_one_audit_event(tmp_path):
    path = write(tmp_path, dump(valid()))
    before = counts()
    catalog, changed = load_catalog(path)
    assert changed is True
    after = counts()
    assert after["Catalog"] == before["Catalog"] + 1
    assert after["CatalogNode"] == before["CatalogNode"] + 5
    assert after["Measure"] == before["Measure"] + 4
    assert after["Threshold"] == before["Threshold"] + 5
    assert after["LegalDocument"] == before["LegalDocument"]
    assert after["AuditEvent"] == before["AuditEvent"] + 1
    event = AuditEvent.objects.first()
    assert (event.action, event.object_type, event.object_id) == (
        "load",
        "catalog.catalog",
        str(catalog.pk),
    )
    assert event.after["file"] == "thu-nghiem.yaml"
    assert catalog.legal_document.number == "04/2022/QĐ-TTg"
    assert list(catalog.nodes.order_by("position").values_list("code", flat=True)) == [
        "1",
        "1.1",
        "1.2",
        "2",
        "2.1",
    ]
    by_unit_type = dict(
        Threshold.objects.filter(measure__node__catalog=catalog, measure__code="1.2").values_list(
            "unit_type", "value"
        )
    )
    assert by_unit_type == {"phuong": 90, "thi_tran": 80}


@pytest.mark.django_db
def test_it_audits_a_new_legal_document_separately_from_the_catalog(tmp_path):
    data = valid()
    data["legal_document"] = {**QD04, "number": "99/2024/QĐ-UBND", "issuer": "UBND thành phố"}
    before = AuditEvent.objects.count()
    catalog, _ = load_catalog(write(tmp_path, dump(data)))
    events = AuditEvent.objects.all()[: AuditEvent.objects.count() - before]
    assert sorted((e.action, e.object_type) for e in events) == [
        ("create", "orgs.legaldocument"),
        ("load", "catalog.catalog"),
    ]
    assert catalog.legal_document.number == "99/2024/QĐ-UBND"


@pytest.mark.django_db
def test_it_changes_nothing_when_the_same_file_is_loaded_again(tmp_path):
    path = write(tmp_path, dump(valid()))
    first, _ = load_catalog(path)
    nodes = dict(first.nodes.values_list("code", "pk"))
    thresholds = set(Threshold.objects.values_list("pk", flat=True))
    before = counts()
    again, changed = load_catalog(path)
    assert changed is False
    assert again.pk == first.pk
    assert counts() == before
    assert dict(again.nodes.values_list("code", "pk")) == nodes
    assert set(Threshold.objects.values_list("pk", flat=True)) == thresholds


@pytest.mark.django_db
def test_it_updates_a_changed_threshold_in_place_and_audits_the_reload(tmp_path):
    path = write(tmp_path, dump(valid()))
    catalog, _ = load_catalog(path)
    nodes = dict(catalog.nodes.values_list("code", "pk"))
    measures = dict(Measure.objects.filter(node__catalog=catalog).values_list("code", "pk"))
    data = valid()
    leaf(data, "1.2")["thresholds"][0]["value"] = 95
    path.write_text(dump(data), encoding="utf-8")
    before = counts()
    again, changed = load_catalog(path)
    assert changed is True
    assert again.pk == catalog.pk
    assert dict(again.nodes.values_list("code", "pk")) == nodes
    assert dict(Measure.objects.filter(node__catalog=catalog).values_list("code", "pk")) == measures
    value = Threshold.objects.get(
        measure__node__catalog=catalog, measure__code="1.2", unit_type="phuong"
    ).value
    assert value == 95
    assert counts() == {**before, "AuditEvent": before["AuditEvent"] + 1}
    event = AuditEvent.objects.first()
    assert (event.action, event.object_id) == ("reload", str(catalog.pk))


@pytest.mark.django_db
def test_it_refuses_a_reload_that_drops_a_planned_item_and_keeps_everything(tmp_path):
    path = write(tmp_path, dump(valid()))
    catalog, _ = load_catalog(path)
    PlanRow.objects.create(
        plan=Plan.objects.get(key="giang-bien-2023"),
        node=catalog.nodes.get(code="1.1"),
        criterion_code="T-1.1",
        position=999,
    )
    data = valid()
    data["nodes"][0]["children"].pop(0)  # drop 1.1
    leaf(data, "1.2")["thresholds"][0]["value"] = 70  # and change something else
    path.write_text(dump(data), encoding="utf-8")
    before = counts()
    with pytest.raises(DataFileError) as caught:
        load_catalog(path)
    assert [(p.key, p.message) for p in caught.value.problems] == [
        ("1.1", "tiêu chí đã có trong kế hoạch nên không thể xóa")
    ]
    assert counts() == before
    assert catalog.nodes.filter(code="1.1").exists()
    kept = Threshold.objects.get(
        measure__node__catalog=catalog, measure__code="1.2", unit_type="phuong"
    )
    assert kept.value == 90


@pytest.mark.django_db
def test_it_removes_an_unused_item_on_reload(tmp_path):
    path = write(tmp_path, dump(valid()))
    catalog, _ = load_catalog(path)
    data = valid()
    data["nodes"][0]["children"].pop(0)
    path.write_text(dump(data), encoding="utf-8")
    load_catalog(path)
    assert list(catalog.nodes.order_by("position").values_list("code", flat=True)) == [
        "1",
        "1.2",
        "2",
        "2.1",
    ]


# --- the command line ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_command_refuses_a_broken_file_with_the_line(tmp_path):
    data = valid()
    leaf(data, "1.2")["thresholds"][0]["value"] = "90%"
    path = write(tmp_path, dump(data))
    before = counts()
    with pytest.raises(CommandError) as caught:
        call_command("load_catalog", str(path), stdout=StringIO())
    assert "dòng" in str(caught.value)
    assert str(path) in str(caught.value)
    assert "'90%' không phải là số" in str(caught.value)
    assert counts() == before


@pytest.mark.django_db
def test_the_command_loads_then_reports_an_unchanged_file(tmp_path):
    path = write(tmp_path, dump(valid()))
    out = StringIO()
    call_command("load_catalog", str(path), stdout=out)
    call_command("load_catalog", str(path), stdout=out)
    assert out.getvalue().splitlines() == [
        "thu-nghiem 2024: đã nạp (3 nội dung, chỉ tiêu)",
        "thu-nghiem 2024: không đổi (3 nội dung, chỉ tiêu)",
    ]
    event = AuditEvent.objects.first()
    assert (event.action, event.channel) == ("load", "cli")
