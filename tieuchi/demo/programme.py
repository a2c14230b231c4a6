"""Believable 2020 – 2024 figures of quận Long Biên for Programme 02 (CTr 02-CTr/QU), and their
stored evaluations, one per year-end, so the programme dashboard has a history to draw.

All figures are invented for the demo (source "Số liệu minh họa"), never presented as real. They
start from the baselines the programme states (56 phút mất điện năm 2020, 14/14 trạm y tế, 03
phường đã công nhận…) and move towards the 2025 targets at different speeds: some met, some on
track, some behind.
"""

import datetime as dt
from decimal import Decimal

from django.db import transaction

from tieuchi.catalog.models import Catalog, Measure
from tieuchi.collection.models import Observation
from tieuchi.demo.values import DEMO_SOURCE
from tieuchi.orgs.models import AdminUnit

CATALOG_KEY = "ctr02-longbien-2020-2025"
DISTRICT_CODE = "004"
YEARS = (2020, 2021, 2022, 2023, 2024)
# Ratios: code -> (denominator, percent per year 2020…2024); numerator = denominator × percent.
RATIOS = {
    "1.1a": (14, (71.5, 85.8, 100, 100, 100)),
    "1.2": (180, (38, 45, 52, 60, 66)),
    "1.3a": (294, (85, 96, 100, 100, 100)),
    "1.3b": (294, (12, 16, 20, 24, 27)),
    "2.1a": (4_300, (99.2, 99.5, 99.7, 99.8, 99.9)),
    "2.1b": (14, (78.6, 85.8, 92.9, 92.9, 100)),
    "2.2": (16, (75, 81.3, 87.5, 87.5, 93.8)),
    "2.3a": (60, (70, 80, 88.4, 95, 98.4)),
    "2.4": (60, (85, 88.4, 91.7, 95, 96.7)),
    "2.7": (32_000, (72, 80, 87, 92, 96)),
    "2.8": (330_000, (90.1, 91.4, 92.6, 93.5, 94.3)),
    "2.9a": (85_000, (90.2, 91.1, 91.8, 92.4, 92.6)),
    "2.9b": (85_000, (66, 68, 70.5, 72, 73)),
    "2.10a": (294, (80, 82, 84, 85, 85.8)),
    "2.10b": (294, (44, 47, 49, 52, 54)),
    "2.11": (120, (40, 55, 72, 88, 96)),
    "2.12": (14, (64.3, 71.5, 78.6, 85.8, 92.9)),
    "2.13": (294, (88, 92, 96, 98, 100)),
    "2.14": (150, (60, 70, 78, 86, 91)),
    "3.2a": (24, (25, 33.4, 41.7, 54.2, 62.5)),
    "3.2c": (24, (100, 100, 100, 100, 100)),
    "3.3a": (95_000, (97.5, 98.2, 98.9, 99.4, 99.7)),
    "4.2b": (420, (92, 95, 97, 100, 100)),
    "4.3": (120_000, (93.8, 94.5, 95.4, 96, 96.3)),
    "4.4a": (35, (100, 100, 100, 100, 100)),
    "5.2a": (380, (78, 80, 81, 82, 83)),
    "5.2b": (10, (100, 100, 100, 100, 100)),
    "5.4a": (180, (100, 100, 100, 100, 100)),
    "5.4b": (180, (18, 21, 24, 27, 29)),
    "5.5": (2_400, (96, 97.5, 98.4, 99.2, 99.6)),
    "5.7c": (95, (60, 72, 85, 93, 97)),
    "5.8a": (48, (100, 100, 100, 100, 100)),
}
# Counts and amounts: code -> value per year 2020…2024 (None: not counted that year).
COUNTS = {
    "1.1b": (3, 3, 3, 3, 3),
    "1.1c": (0, 0, 0, 1, 2),
    "2.3b": (8, 14, 20, 27, 32),
    "2.3c": (3, 3, 4, 3, 3),
    "2.5a": (3, 3, 3, 3, 3),
    "2.5b": (0, 0, 1, 1, 2),
    "2.5c": (1, 2, 2, 3, 3),
    "2.6": (14, 14, 14, 14, 14),
    "3.1a": (0, 0, 1, 1, 2),
    "3.1b": (0, 0, 0, 1, 1),
    "3.2b": (0, 0, 1, 1, 1),
    "3.3b": (56, 52, 47, 43, 39),
    # Poor households by the 2022 – 2025 multidimensional standard: counted from early 2021.
    "4.1a": (None, 412, 330, 215, 130),
    "4.1b": (0, 0, 0, 0, 0),
    "4.2a": (5_200, 4_800, 5_600, 6_100, 6_300),
    "4.4b": (2, 1, 2, 2, 1),
    "5.1": (410, 395, 388, 372, 361),
    "5.3a": (60, 52, 58, 57, 56),
    "5.3b": (21, 18, 21, 20, 21),
    "5.3c": (55, 47, 53, 52, 52),
    "5.4c": (12, 9, 6, 4, 3),
    "5.6": (14, 14, 14, 14, 14),
    "5.7a": (3, 3, 3, 3, 3),
    "5.7b": (0, 1, 2, 2, 2),
    "5.8b": (9, 7, 5, 4, 2),
}
# "so với nhiệm kỳ trước (2015 – 2020)": the yearly average of the previous term, as period 2015.
PREVIOUS_TERM = {"5.3a": 64, "5.3b": 22, "5.3c": 58}


def _store(unit, measure, year: int, value, entered_by) -> None:
    fields = {
        "period_start": dt.date(year, 1, 1),
        "period_end": dt.date(year, 12, 31),
        "source": DEMO_SOURCE,
        "status": Observation.Status.APPROVED,
        "entered_by": entered_by,
        "numerator": None,
        "denominator": None,
        "value": None,
    }
    if isinstance(value, tuple):
        fields["numerator"], fields["denominator"] = (Decimal(value[0]), Decimal(value[1]))
    else:
        fields["value"] = Decimal(value)
    Observation.objects.update_or_create(
        unit=unit, measure=measure, period=str(year), defaults=fields
    )


@transaction.atomic
def build_programme_values(entered_by=None) -> int:
    """Store Long Biên's CTr 02 figures; returns how many of its CTr 02 figures exist afterwards."""
    district = AdminUnit.objects.filter(official_code=DISTRICT_CODE).order_by("-valid_from")[0]
    measures = {m.code: m for m in Measure.objects.filter(node__catalog__key=CATALOG_KEY)}
    for code, (denominator, percents) in RATIOS.items():
        for year, percent in zip(YEARS, percents, strict=True):
            numerator = round(Decimal(denominator) * Decimal(str(percent)) / 100)
            _store(
                district,
                measures[code],
                year,
                (min(numerator, denominator), denominator),
                entered_by,
            )
    for code, values in COUNTS.items():
        for year, value in zip(YEARS, values, strict=True):
            if value is not None:
                _store(district, measures[code], year, value, entered_by)
    for code, value in PREVIOUS_TERM.items():
        _store(district, measures[code], 2015, value, entered_by)
    return Observation.objects.filter(
        unit=district, measure__node__catalog__key=CATALOG_KEY
    ).count()


def build_programme(entered_by=None) -> list:
    """The figures, then one stored run per year-end (unchanged inputs keep the existing run)."""
    from tieuchi.evaluation.services import evaluate_unit

    build_programme_values(entered_by)
    district = AdminUnit.objects.filter(official_code=DISTRICT_CODE).order_by("-valid_from")[0]
    catalog = Catalog.objects.filter(key=CATALOG_KEY).order_by("-version")[0]
    return [
        evaluate_unit(district, catalog, dt.date(year, 12, 31), trigger="full_recompute")
        for year in YEARS
    ]
