"""Reads for catalogs: the whole tree in three queries, as plain nested data."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Prefetch

from tieuchi.catalog.models import Catalog, CatalogNode, Measure, Threshold


def catalogs_visible_to(user):
    """Catalogs are published legal data: every logged-in user may read all of them."""
    return Catalog.objects.select_related("legal_document").order_by("key", "-version")


@dataclass
class NodeView:
    node: CatalogNode
    children: list["NodeView"] = field(default_factory=list)
    measures: list[Measure] = field(default_factory=list)

    def leaves(self):
        if not self.children:
            yield self
        for child in self.children:
            yield from child.leaves()


def catalog_tree(catalog: Catalog) -> list[NodeView]:
    """Nodes with their measures and thresholds, nested as in the source."""
    thresholds = Threshold.objects.select_related("source_document").order_by("position")
    measures = Measure.objects.prefetch_related(
        Prefetch("thresholds", queryset=thresholds)
    ).order_by("position")
    nodes = list(
        CatalogNode.objects.filter(catalog=catalog)
        .prefetch_related(Prefetch("measures", queryset=measures))
        .order_by("position")
    )
    views = {node.pk: NodeView(node, measures=list(node.measures.all())) for node in nodes}
    children = defaultdict(list)
    roots = []
    for node in nodes:
        if node.parent_id is None:
            roots.append(views[node.pk])
        else:
            children[node.parent_id].append(views[node.pk])
    for pk, kids in children.items():
        views[pk].children = kids
    return roots


def threshold_dict(threshold: Threshold, measure_code: str) -> dict:
    def number(value):
        if value is None:
            return None
        return int(value) if value == value.to_integral_value() else float(value)

    data = {
        "measure": measure_code,
        "layer": threshold.layer,
        "unit_type": threshold.unit_type,
        "comparator": threshold.comparator,
        "value": number(threshold.value),
        "value_max": number(threshold.value_max),
        "text": threshold.text,
    }
    optional = {
        "level": threshold.level,
        "benchmark": threshold.benchmark,
        "baseline_value": number(threshold.baseline_value),
        "baseline": threshold.baseline_text,
        "target_year": threshold.target_year,
        "due": threshold.due_text,
        "source": threshold.source_document.number if threshold.source_document_id else "",
        "source_ref": threshold.source_ref,
        "note": threshold.note,
    }
    data.update({key: value for key, value in optional.items() if value not in (None, "")})
    return data


def node_dict(view: NodeView) -> dict:
    """The export shape (docs/cli.md): code, name, children; leaves add kind, thresholds, measures."""
    node = view.node
    data = {"code": node.code, "name": node.name, "type": node.node_type}
    if node.short_name:
        data["short_name"] = node.short_name
    if view.measures:
        data["kind"] = view.measures[0].kind
        data["thresholds"] = [
            threshold_dict(t, m.code) for m in view.measures for t in m.thresholds.all()
        ]
        data["measures"] = [
            {
                "code": m.code,
                "name": m.name,
                "kind": m.kind,
                "unit": m.unit_of_measure,
                "thresholds": [threshold_dict(t, m.code) for t in m.thresholds.all()],
            }
            for m in view.measures
        ]
    data["children"] = [node_dict(child) for child in view.children]
    return data


def catalog_dict(catalog: Catalog) -> dict:
    return {
        "key": catalog.key,
        "version": catalog.version,
        "name": catalog.name,
        "kind": catalog.kind,
        "legal_document": catalog.legal_document.number,
        "applies_to_unit_types": catalog.applies_to_unit_types,
        "recognition": catalog.recognition_rule,
        "children": [node_dict(view) for view in catalog_tree(catalog)],
    }
