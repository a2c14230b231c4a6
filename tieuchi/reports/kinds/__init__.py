"""The kinds of official documents tieuchi generates, found by module.

Each module in this package defines `KIND = ReportKind(...)`; `all_kinds()` collects them, so a
new kind is one new file. The slugs are what `tieuchi render_report KIND` and the report page
accept: bao-cao-ket-qua, tu-danh-gia, bien-ban-tham-tra, to-trinh, quyet-dinh, ke-hoach,
ctr02-tien-do.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ReportKind:
    slug: str  # "bao-cao-ket-qua"
    title: str  # shown on the report page: "Báo cáo kết quả xây dựng phường đạt chuẩn ĐTVM"
    symbol: str  # default symbol, e.g. "BC-UBND"
    needs_round: bool  # True when the document belongs to an inspection round
    # build(request: ReportRequest) -> OfficialDocument; ReportRequest is in tieuchi.reports.request
    build: Callable[[Any], Any]
    issued_by_district: bool = False  # Biên bản thẩm tra and Quyết định come from the district
    # Which stored results the document reads: a catalog key ("ctr02-longbien-2020-2025"), or
    # None for the unit's newest result of any criteria set.
    catalog_key: str | None = None
    # Default "Kính gửi" / "Nơi nhận" lines; None uses the rule in reports.request by symbol.
    # Lines may use {unit}, {parent}, {unit_committee}, {parent_committee} ("phường Giang Biên",
    # "quận Long Biên", "Ủy ban nhân dân phường Giang Biên", ...).
    addressees: tuple[str, ...] | None = None
    recipients: tuple[str, ...] | None = None
    # header_defaults(unit, plan) -> dict of DocumentHeader fields to change (number, date, ...)
    header_defaults: Callable[[Any, Any], dict] | None = None
    # Unit levels the kind applies to (the report page lists only these); () for any level.
    unit_levels: tuple[str, ...] = ("commune",)


def all_kinds() -> dict[str, ReportKind]:
    kinds: dict[str, ReportKind] = {}
    for module_info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{module_info.name}")
        kind = getattr(module, "KIND", None)
        if isinstance(kind, ReportKind):
            kinds[kind.slug] = kind
    return dict(sorted(kinds.items()))
