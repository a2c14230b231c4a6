"""Threshold and plan-target texts shown next to each row of the entry sheet."""

from collections import defaultdict

from tieuchi.catalog.models import Comparator, Measure
from tieuchi.core.formatting import vn_number
from tieuchi.plans.models import Plan, Target

NUMERIC = {"gte", "gt", "lte", "lt", "eq"}


def threshold_text(comparator: str, value, value_max, unit: str, level: str = "", text="") -> str:
    symbol = Comparator(comparator).label if comparator in Comparator.values else comparator
    unit_text = f" {unit}" if unit else ""
    if comparator in NUMERIC and value is not None:
        return f"{symbol} {vn_number(value)}{unit_text}"
    if comparator == "between" and value is not None:
        return f"{vn_number(value)}–{vn_number(value_max)}{unit_text}"
    if comparator in ("reduction_gte", "reduction_between") and value is not None:
        top = f"–{vn_number(value_max)}" if value_max is not None else ""
        return f"{symbol} {vn_number(value)}{top} %"
    if comparator in ("level_gte",) and level:
        return f"{symbol} “{level}”"
    if comparator in ("maintain", "streak_gte") and value is not None:
        return f"{symbol} {vn_number(value)}{unit_text}"
    return str(symbol) if symbol else text


# --- permissions ----------------------------------------------------------------------------------


def measure_thresholds(measure: Measure, unit_type: str) -> list[str]:
    texts = []
    for t in measure.thresholds.all():
        if t.unit_type not in ("any", unit_type):
            continue
        shown = threshold_text(
            t.comparator, t.value, t.value_max, measure.unit_of_measure, t.level, t.text
        )
        texts.append(f"{t.get_layer_display()}: {shown}")
    return texts


def plan_targets(ward, catalog, start, end, measure_ids) -> dict[int, list[str]]:
    if ward is None:
        return {}
    plan = (
        Plan.objects.filter(
            unit=ward, catalog__key=catalog.key, period_start__lte=end, period_end__gte=start
        )
        .select_related("legal_document")
        .first()
    )
    if plan is None:
        return {}
    found = defaultdict(list)
    targets = Target.objects.filter(plan=plan, measure_id__in=measure_ids).select_related("measure")
    for target in targets:
        shown = threshold_text(
            target.comparator,
            target.value,
            target.value_max,
            target.unit_of_measure or target.measure.unit_of_measure,
            text=target.text,
        )
        found[target.measure_id].append(f"{plan.legal_document.number}: {shown}")
    return found
