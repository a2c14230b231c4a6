"""Turn a parsed catalog file into a CatalogSpec, or a list of every problem. No database access."""

from typing import Any

from tieuchi.catalog.fileformat import (
    COMPARATORS,
    KINDS,
    LAYERS,
    LEAF_TYPES,
    NEEDS_MAX,
    NEEDS_VALUE,
    NODE_TYPES,
    UNIT_TYPES,
    CatalogSpec,
    Checker,
    MeasureSpec,
    NodeSpec,
    ThresholdSpec,
)


def validate_catalog(data: Any) -> tuple[CatalogSpec | None, list]:
    """Return (spec, []) for a valid file, or (None, problems)."""
    check = Checker()
    if not isinstance(data, dict):
        check.add(data, "", "tệp phải là một bảng khóa: giá trị (key, version, name, nodes, …)")
        return None, check.problems
    default_layer = check.choice(data, "layer", LAYERS, default="national") or "national"
    document = check.document(data, "legal_document")
    period = check.mapping(data, "period", required=False)
    unit_types = check.sequence(data, "applies_to_unit_types", required=False)
    for unit_type in unit_types:
        if unit_type not in UNIT_TYPES:
            check.add(data, "applies_to_unit_types", f"loại đơn vị '{unit_type}' không hợp lệ")
    spec = CatalogSpec(
        key=check.text(data, "key", max_length=80),
        version=check.text(data, "version", max_length=20),
        name=check.text(data, "name", max_length=300),
        kind=check.choice(data, "kind", {"criteria_set", "programme"}),
        legal_document=document,
        applies_to_unit_types=[str(item) for item in unit_types],
        effective_from=check.date(data, "effective_from"),
        period_start=check.date(period, "start") if period else None,
        period_end=check.date(period, "end") if period else None,
        recognition=check.mapping(data, "recognition", required=False),
        description=check.text(data, "description", required=False),
        nodes=[],
    )
    seen_codes: dict[str, int] = {}
    for raw in check.sequence(data, "nodes"):
        node = _node(check, raw, default_layer, seen_codes)
        if node:
            spec.nodes.append(node)
    if not spec.nodes and not check.problems:
        check.add(data, "nodes", "bộ tiêu chí không có tiêu chí nào")
    return (None, check.problems) if check.problems else (spec, [])


def _node(check: Checker, raw: Any, layer: str, seen: dict[str, int]) -> NodeSpec | None:
    if not isinstance(raw, dict):
        check.add(raw, "nodes", "mỗi tiêu chí phải là một bảng khóa: giá trị")
        return None
    code = check.text(raw, "code", max_length=20)
    if code in seen:
        check.add(raw, "code", f"mã '{code}' bị trùng (đã có ở dòng {seen[code]})")
    seen[code] = raw.line if hasattr(raw, "line") else 0
    node = NodeSpec(
        code=code,
        node_type=check.choice(raw, "type", NODE_TYPES),
        name=check.text(raw, "name"),
        short_name=check.text(raw, "short_name", required=False, max_length=200),
        evidence_required=bool(raw.get("evidence_required", False)),
        guidance=check.text(raw, "guidance", required=False),
        note=check.text(raw, "note", required=False),
    )
    if node.node_type in LEAF_TYPES:
        if raw.get("children"):
            check.add(raw, "children", f"'{code}' là nội dung/chỉ tiêu nên không có mục con")
        node.measures = _measures(check, raw, code, node.name, layer)
    elif node.node_type:
        if "kind" in raw or "measures" in raw:
            check.add(
                raw, "kind", f"'{code}' là nhóm/tiêu chí; kiểu đo chỉ đặt ở nội dung/chỉ tiêu"
            )
        for child in check.sequence(raw, "children"):
            child_node = _node(check, child, layer, seen)
            if child_node:
                node.children.append(child_node)
    return node


def _measures(check: Checker, raw: dict, code: str, name: str, layer: str) -> list[MeasureSpec]:
    if "measures" in raw and "kind" in raw:
        check.add(raw, "measures", f"'{code}': dùng 'kind' hoặc 'measures', không dùng cả hai")
        return []
    if "measures" not in raw:
        if "kind" not in raw:
            check.add(raw, "kind", f"'{code}' thiếu 'kind' (hoặc 'measures')")
            return []
        return [_measure(check, raw, code, name, layer)]
    measures = []
    codes: set[str] = set()
    for item in check.sequence(raw, "measures"):
        if not isinstance(item, dict):
            check.add(raw, "measures", "mỗi chỉ số đo phải là một bảng khóa: giá trị")
            continue
        measure_code = check.text(item, "code", max_length=20)
        if measure_code in codes:
            check.add(item, "code", f"mã chỉ số đo '{measure_code}' bị trùng trong '{code}'")
        codes.add(measure_code)
        measures.append(_measure(check, item, measure_code, check.text(item, "name"), layer))
    if not measures:
        check.add(raw, "measures", f"'{code}' cần ít nhất một chỉ số đo")
    return measures


def _measure(check: Checker, raw: dict, code: str, name: str, layer: str) -> MeasureSpec:
    config = check.mapping(raw, "config", required=False)
    measure = MeasureSpec(
        code=code,
        name=name,
        kind=check.choice(raw, "kind", KINDS),
        unit=check.text(raw, "unit", required=False, max_length=60),
        numerator=check.text(raw, "numerator", required=False, max_length=300),
        denominator=check.text(raw, "denominator", required=False, max_length=300),
        aggregation=check.text(raw, "aggregation", required=False, max_length=30),
        collected_at=check.choice(
            raw, "collected_at", {"ward", "residential_group"}, default="ward"
        ),
        config=dict(config),
    )
    for item in check.sequence(raw, "thresholds", required=False):
        threshold = _threshold(check, item, layer)
        if threshold:
            measure.thresholds.append(threshold)
    return measure


def _threshold(check: Checker, raw: Any, layer: str) -> ThresholdSpec | None:
    if not isinstance(raw, dict):
        check.add(raw, "thresholds", "mỗi ngưỡng phải là một bảng khóa: giá trị")
        return None
    comparator = check.choice(raw, "comparator", COMPARATORS)
    threshold = ThresholdSpec(
        comparator=comparator,
        text=check.text(raw, "text"),
        layer=check.choice(raw, "layer", LAYERS, default=layer),
        unit_type=check.choice(raw, "unit_type", UNIT_TYPES, default="any"),
        value=check.number(raw, "value"),
        value_max=check.number(raw, "value_max"),
        level=check.text(raw, "level", required=False, max_length=60),
        benchmark=check.text(raw, "benchmark", required=False, max_length=200),
        baseline_value=check.number(raw, "baseline_value"),
        baseline=check.text(raw, "baseline", required=False, max_length=200),
        due=check.text(raw, "due", required=False, max_length=120),
        source=check.text(raw, "source", required=False, max_length=60),
        source_ref=check.text(raw, "source_ref", required=False, max_length=120),
        note=check.text(raw, "note", required=False),
    )
    year = check.number(raw, "target_year")
    threshold.target_year = int(year) if year is not None else None
    # A value that is present but not a number has already been reported by check.number.
    if comparator in NEEDS_VALUE and raw.get("value") is None:
        check.add(raw, "value", f"phép so sánh '{comparator}' cần giá trị 'value'")
    if comparator in NEEDS_MAX:
        if raw.get("value_max") is None:
            check.add(raw, "value_max", f"phép so sánh '{comparator}' cần 'value_max'")
        elif (
            threshold.value is not None
            and threshold.value_max is not None
            and threshold.value_max < threshold.value
        ):
            check.add(raw, "value_max", "'value_max' nhỏ hơn 'value'")
    if comparator == "level_gte" and not threshold.level:
        check.add(raw, "level", "phép so sánh 'level_gte' cần 'level'")
    if comparator.endswith("_benchmark") and not threshold.benchmark:
        check.add(raw, "benchmark", f"phép so sánh '{comparator}' cần mô tả 'benchmark'")
    return threshold
