"""Load catalog data files into the database: all or nothing, one audit record per load."""

import hashlib
from pathlib import Path

from django.db import transaction

from tieuchi.accounts import audit
from tieuchi.catalog.fileformat import CatalogSpec, NodeSpec
from tieuchi.catalog.models import Catalog, CatalogNode, Measure, Threshold
from tieuchi.catalog.signals import catalog_changed
from tieuchi.catalog.validation import validate_catalog
from tieuchi.core.yamlfile import DataFileError, Problem, read_yaml
from tieuchi.orgs.models import LegalDocument
from tieuchi.orgs.services import upsert_legal_document


def load_catalog(path: Path | str, *, actor=None, channel: str = "system") -> tuple[Catalog, bool]:
    """Load (or reload) a catalog file. Returns (catalog, changed). Raises DataFileError."""
    path = Path(path)
    data = read_yaml(path)
    spec, problems = validate_catalog(data)
    if problems:
        raise DataFileError(str(path), problems)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    existing = Catalog.objects.filter(key=spec.key, version=spec.version).first()
    if existing and existing.source_sha256 == digest:
        return existing, False
    with transaction.atomic():
        document = upsert_legal_document(spec.legal_document, actor=actor, channel=channel)
        catalog = _save_catalog(spec, document, existing, path, digest)
        _sync_nodes(catalog, spec, str(path))
        audit.record(
            actor,
            "load" if existing is None else "reload",
            catalog,
            after={"key": spec.key, "version": spec.version, "sha256": digest, "file": path.name},
            channel=channel,
        )
        transaction.on_commit(lambda: catalog_changed.send(sender=Catalog, catalog=catalog))
    return catalog, True


def _save_catalog(spec: CatalogSpec, document, existing, path: Path, digest: str) -> Catalog:
    catalog = existing or Catalog(key=spec.key, version=spec.version)
    catalog.name = spec.name
    catalog.kind = spec.kind
    catalog.legal_document = document
    catalog.applies_to_unit_types = spec.applies_to_unit_types
    catalog.effective_from = spec.effective_from
    catalog.period_start = spec.period_start
    catalog.period_end = spec.period_end
    catalog.recognition_rule = dict(spec.recognition)
    catalog.description = spec.description
    catalog.source_file = path.name
    catalog.source_sha256 = digest
    catalog.save()
    return catalog


def _sync_nodes(catalog: Catalog, spec: CatalogSpec, filename: str) -> None:
    """Update nodes and measures in place (by code) so values and plans that point at them survive."""
    nodes = {node.code: node for node in catalog.nodes.all()}
    measures = {(m.node_id, m.code): m for m in Measure.objects.filter(node__catalog=catalog)}
    documents = {doc.number: doc for doc in LegalDocument.objects.all()}
    kept_nodes: set[int] = set()
    kept_measures: set[int] = set()
    position = 0

    def save_node(node_spec: NodeSpec, parent: CatalogNode | None) -> None:
        nonlocal position
        position += 1
        node = nodes.get(node_spec.code) or CatalogNode(catalog=catalog, code=node_spec.code)
        node.parent = parent
        node.node_type = node_spec.node_type
        node.name = node_spec.name
        node.short_name = node_spec.short_name
        node.position = position
        node.evidence_required = node_spec.evidence_required
        node.guidance = node_spec.guidance
        node.note = node_spec.note
        node.save()
        kept_nodes.add(node.pk)
        for index, measure_spec in enumerate(node_spec.measures):
            measure = measures.get((node.pk, measure_spec.code)) or Measure(
                node=node, code=measure_spec.code
            )
            measure.name = measure_spec.name
            measure.kind = measure_spec.kind
            measure.unit_of_measure = measure_spec.unit
            measure.numerator_label = measure_spec.numerator
            measure.denominator_label = measure_spec.denominator
            measure.aggregation = measure_spec.aggregation or (
                "ratio_of_sums" if measure_spec.kind == "ratio" else ""
            )
            measure.collected_at = measure_spec.collected_at
            measure.config = measure_spec.config
            measure.position = index
            measure.save()
            kept_measures.add(measure.pk)
            measure.thresholds.all().delete()
            Threshold.objects.bulk_create(
                _threshold(measure, t, i, documents) for i, t in enumerate(measure_spec.thresholds)
            )
        for child in node_spec.children:
            save_node(child, node)

    for top in spec.nodes:
        save_node(top, None)
    _remove_stale(catalog, kept_nodes, kept_measures, filename)


def _threshold(measure, spec, index, documents) -> Threshold:
    return Threshold(
        measure=measure,
        layer=spec.layer,
        unit_type=spec.unit_type,
        comparator=spec.comparator,
        value=spec.value,
        value_max=spec.value_max,
        level=spec.level,
        benchmark=spec.benchmark,
        baseline_value=spec.baseline_value,
        baseline_text=spec.baseline,
        target_year=spec.target_year,
        due_text=spec.due,
        text=spec.text,
        source_document=documents.get(spec.source) if spec.source else None,
        source_ref=spec.source_ref
        if not spec.source or spec.source in documents
        else f"{spec.source} {spec.source_ref}".strip(),
        note=spec.note,
        position=index,
    )


def _remove_stale(
    catalog: Catalog, kept_nodes: set[int], kept_measures: set[int], filename: str
) -> None:
    stale_measures = Measure.objects.filter(node__catalog=catalog).exclude(pk__in=kept_measures)
    used = (
        stale_measures.filter(observations__isnull=False).values_list("code", flat=True).distinct()
    )
    stale_nodes = catalog.nodes.exclude(pk__in=kept_nodes)
    planned = stale_nodes.filter(plan_rows__isnull=False).values_list("code", flat=True).distinct()
    problems = [
        Problem(0, code, "chỉ số đo đã có số liệu nên không thể xóa khỏi bộ tiêu chí")
        for code in used
    ]
    problems += [
        Problem(0, code, "tiêu chí đã có trong kế hoạch nên không thể xóa") for code in planned
    ]
    if problems:
        raise DataFileError(filename, problems)
    stale_measures.delete()
    stale_nodes.filter(parent__isnull=False).delete()
    stale_nodes.delete()


def latest_catalog(key: str) -> Catalog | None:
    """The newest loaded version of a catalog key."""
    return (
        Catalog.objects.filter(key=key)
        .select_related("legal_document")
        .order_by("-version", "-pk")
        .first()
    )
