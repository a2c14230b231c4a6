"""Believable 2023 figures for phường Giang Biên: mostly met, some not, some missing.

All figures are invented for the demo (source "Số liệu minh họa"), never presented as real.
"""

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction

from tieuchi.catalog.models import Measure
from tieuchi.collection.models import Benchmark, Event, Observation, TitleAward
from tieuchi.demo.units import GIANG_BIEN_CODE, TDP_COUNT, tdp_code
from tieuchi.orgs.models import AdminUnit

DEMO_SOURCE = "Số liệu minh họa (demo)"
YEAR = 2023
# Ward-level figures: code -> value. Booleans, counts (events/trend), levels or (numerator, denominator).
WARD_FIGURES = {
    "1.1": True,
    "1.2": True,
    "1.3": True,
    "1.6": True,
    "1.4": (5_210, 5_480),
    "2.1": True,
    "2.2": True,
    "2.3": False,  # lấn chiếm vỉa hè còn tái diễn ở tuyến Ngô Gia Tự
    "2.4": True,
    "2.6": (12, 12),
    "2.7": (94, 94),
    "3.1": True,
    "3.2": True,
    "3.5": True,
    "4.5a": 12,
    "4.5b": 28,
    "4.5c": 8,
    "4.5d": 0,
    "4.5e": 0,
    "5.1": True,
    "5.2": True,
    "5.3": True,  # 5.5 deliberately missing: not reported yet
    "7.1": True,
    "7.2": (19, 20),
    "7.4": True,
    "7.5": True,
    "8.3": (38, 412),
    "8.4a": (8, 8),
    "8.4b": (7, 8),
    "8.5": (1_236, 1_236),
    "8.6": "mức độ 3",
    "8.7a": (352, 420),
    "8.8": (1_920, 3_400),  # 8.7b missing: exam results not in yet
    "9.1": True,
    "9.2a": "trong sạch, vững mạnh",
    "9.2b": "khá",
    "9.3": True,
    "9.4": True,
    "6.2": 74_400_000,
    "6.3": Decimal("0.00"),
}
PREVIOUS_YEAR = {"4.5a": 14, "4.5b": 30, "4.5c": 9}
ZERO_EVENT_CODES = ["1.7", "3.6", "4.1", "4.2", "4.3", "4.4"]
# Household facts reported by each TDP: code -> (share met, households or people per TDP basis).
TDP_FIGURES = {
    "2.5": 1.0,
    "3.3": 1.0,
    "3.4": 1.0,
    "5.4": 1.0,
    "6.1": 0.91,
    "7.3": 0.94,
    "8.2": 0.925,
}
TDP_MISSING = {("8.2", 7), ("8.2", 13), ("6.1", 13)}  # TDP 7 and 13 have not reported these yet


def _period(year: int) -> dict:
    return {
        "period": str(year),
        "period_start": dt.date(year, 1, 1),
        "period_end": dt.date(year, 12, 31),
    }


def _store(unit, measure, year, value, user, status=Observation.Status.APPROVED):
    fields = {
        **_period(year),
        "source": DEMO_SOURCE,
        "status": status,
        "entered_by": user,
        "numerator": None,
        "denominator": None,
        "value": None,
        "boolean_value": None,
        "level": "",
    }
    if isinstance(value, bool):
        fields["boolean_value"] = value
    elif isinstance(value, tuple):
        fields["numerator"], fields["denominator"] = (Decimal(value[0]), Decimal(value[1]))
    elif isinstance(value, str):
        fields["level"] = value
    else:
        fields["value"] = Decimal(value)
    Observation.objects.update_or_create(
        unit=unit, measure=measure, period=str(year), defaults=fields
    )


@transaction.atomic
def build_values(catalog, entered_by=None) -> int:
    """Store the demo figures for the catalog; returns how many observations exist afterwards."""
    ward = AdminUnit.objects.get(official_code=GIANG_BIEN_CODE)
    measures = {m.code: m for m in Measure.objects.filter(node__catalog=catalog)}
    for code, value in WARD_FIGURES.items():
        if code in measures:
            _store(ward, measures[code], YEAR, value, entered_by)
    for code, value in PREVIOUS_YEAR.items():
        _store(ward, measures[code], YEAR - 1, value, entered_by)
    for code in ZERO_EVENT_CODES:
        _store(ward, measures[code], YEAR, 0, entered_by)
    _store(ward, measures["1.5"], YEAR, 1, entered_by, Observation.Status.SUBMITTED)
    _tdp_figures(measures, entered_by)
    _events_titles_benchmarks(ward, measures)
    return Observation.objects.filter(unit__path__startswith=ward.path).count()


def _tdp_figures(measures, entered_by) -> None:
    rng = random.Random(2023)  # fixed seed: the demo is the same on every machine
    for number in range(1, TDP_COUNT + 1):
        tdp = AdminUnit.objects.get(official_code=tdp_code(number))
        households = rng.randint(180, 320)
        for code, share in TDP_FIGURES.items():
            if (code, number) in TDP_MISSING:
                continue
            base = households * (3 if code in {"6.1", "8.2"} else 1)  # people, not households
            jitter = rng.uniform(-0.03, 0.03)
            met = base if share >= 1 else min(base, round(base * (share + jitter)))
            _store(tdp, measures[code], YEAR, (met, base), entered_by)


def _events_titles_benchmarks(ward, measures) -> None:
    Event.objects.get_or_create(
        unit=ward,
        measure=measures["1.5"],
        occurred_on=dt.date(2023, 8, 14),
        defaults={
            "description": "Lấn chiếm đất công làm bãi trông giữ xe tại khu đất trống ngõ 201 "
            "(minh họa)",
            "source": "Biên bản Tổ QLTTĐT (minh họa)",
            "cases": 1,
        },
    )
    Event.objects.get_or_create(
        unit=ward,
        measure=measures["3.6"],
        occurred_on=dt.date(2023, 6, 3),
        defaults={
            "description": "Ngộ độc thực phẩm tại đám cưới, 12 người mắc (dưới ngưỡng 30 người)",
            "source": "Báo cáo Trạm y tế phường (minh họa)",
            "cases": 12,
        },
    )
    titles = [
        (
            "an_toan_antt",
            "Phường đạt tiêu chuẩn An toàn về an ninh, trật tự",
            dt.date(2023, 1, 1),
            dt.date(2023, 12, 31),
        ),
        (
            "chuan_quoc_gia_y_te",
            "Phường đạt Bộ tiêu chí quốc gia về y tế",
            dt.date(2021, 6, 1),
            dt.date(2025, 12, 31),
        ),
        # Legal-access standard recognised for 2022 only: expired before the 2023 rounds.
        (
            "chuan_tiep_can_phap_luat",
            "Phường đạt chuẩn tiếp cận pháp luật",
            dt.date(2022, 1, 1),
            dt.date(2022, 12, 31),
        ),
    ]
    for code, name, start, end in titles:
        TitleAward.objects.get_or_create(
            unit=ward,
            title_code=code,
            valid_from=start,
            defaults={
                "title_name": name,
                "valid_to": end,
                "year": start.year,
                "decision_text": f"Quyết định công nhận năm {start.year} (minh họa)",
            },
        )
    hanoi = AdminUnit.objects.get(official_code="01")
    Benchmark.objects.get_or_create(
        key="thu_nhap_binh_quan",
        scope_unit=hanoi,
        period=str(YEAR),
        defaults={
            "name": "Thu nhập bình quân đầu người Hà Nội",
            "value": Decimal(68_400_000),
            "unit_of_measure": "VND/người/năm",
            "source": DEMO_SOURCE,
        },
    )
    Benchmark.objects.get_or_create(
        key="ty_le_ho_ngheo_da_chieu",
        scope_unit=hanoi,
        period=str(YEAR),
        defaults={
            "name": "Tỷ lệ hộ nghèo đa chiều Hà Nội",
            "value": Decimal("0.03"),
            "unit_of_measure": "%",
            "source": DEMO_SOURCE,
        },
    )


def _other_ward_value(measure, rng):
    """A plausible 2023 figure for a ward without TDP detail: mostly met, sometimes short."""
    kind, good = measure.kind, rng.random() > 0.05
    if kind == "boolean":
        return good
    if kind == "zero_events":
        return 0 if good else 1
    if kind in {"ratio", "streak"}:
        threshold = next(iter(measure.thresholds.all()), None)
        target = float(threshold.value) if threshold and threshold.value is not None else 95.0
        lower = threshold is not None and threshold.comparator in {"lte", "lt"}
        share = target + (-rng.uniform(1, 4) if lower == good else rng.uniform(0.5, 4))
        denominator = rng.randint(300, 5000)
        return (min(denominator, max(0, round(denominator * min(share, 100) / 100))), denominator)
    if kind == "trend":
        return rng.randint(5, 30)
    if kind == "level":
        scale = measure.config.get("scale") or []
        return scale[-1 if good else 0] if scale else ""
    if kind == "benchmark":
        return 71_000_000 if measure.unit_of_measure.startswith("VND") else Decimal("0.01")
    return None


@transaction.atomic
def build_other_wards(catalog, entered_by=None) -> None:
    """Figures for the other wards of Long Biên so district views compare real-looking results."""
    rng = random.Random(1656)
    wards = AdminUnit.objects.filter(parent__official_code="004").exclude(
        official_code=GIANG_BIEN_CODE
    )
    measures = list(Measure.objects.filter(node__catalog=catalog).prefetch_related("thresholds"))
    for ward in wards.order_by("official_code"):
        for measure in measures:
            value = _other_ward_value(measure, rng)
            if value is None or value == "":
                continue
            if rng.random() < 0.03:
                continue  # a few figures not yet reported
            _store(ward, measure, YEAR, value, entered_by)
            if measure.kind == "trend":
                _store(ward, measure, YEAR - 1, value + rng.choice([0, 1, 2, -1]), entered_by)
        for code, name in [
            ("an_toan_antt", "Phường đạt tiêu chuẩn An toàn về an ninh, trật tự"),
            ("chuan_quoc_gia_y_te", "Phường đạt Bộ tiêu chí quốc gia về y tế"),
            ("chuan_tiep_can_phap_luat", "Phường đạt chuẩn tiếp cận pháp luật"),
        ]:
            if rng.random() < 0.9:
                TitleAward.objects.get_or_create(
                    unit=ward,
                    title_code=code,
                    valid_from=dt.date(2023, 1, 1),
                    defaults={
                        "title_name": name,
                        "valid_to": dt.date(2023, 12, 31),
                        "year": YEAR,
                        "decision_text": "Quyết định công nhận năm 2023 (minh họa)",
                    },
                )
