"""Hà Nội → quận Long Biên (14 wards as of 2023) → phường Giang Biên with its 20 tổ dân phố."""

import datetime as dt

from django.db import transaction

from tieuchi.orgs.models import AdminUnit, LegalDocument, Organisation, UnitLevel, UnitType

# Official codes (mã ĐVHC, Quyết định 124/2004/QĐ-TTg and later lists). Long Biên was created by
# Nghị định 132/2003/NĐ-CP; its wards run 00115–00154 in steps of 3, Giang Biên is 00121.
LONG_BIEN_WARDS = [
    ("00115", "Thượng Thanh"),
    ("00118", "Ngọc Thụy"),
    ("00121", "Giang Biên"),
    ("00124", "Đức Giang"),
    ("00127", "Việt Hưng"),
    ("00130", "Gia Thụy"),
    ("00133", "Ngọc Lâm"),
    ("00136", "Phúc Lợi"),
    ("00139", "Bồ Đề"),
    ("00142", "Sài Đồng"),
    ("00145", "Long Biên"),
    ("00148", "Thạch Bàn"),
    ("00151", "Phúc Đồng"),
    ("00154", "Cự Khối"),
]
GIANG_BIEN_CODE = "00121"
TDP_COUNT = 20  # Source A: "CLB tình nguyện vì môi trường 20 tổ dân phố"
DISTRICT_FOUNDED = dt.date(2004, 1, 1)  # NĐ 132/2003/NĐ-CP of 06/11/2003, in force from 01/01/2004
# Nghị quyết 1656/NQ-UBTVQH15: the new commune-level units operate from 01/07/2025, so the district
# and its old wards were last valid on 30/06/2025.
LAST_DAY_BEFORE_REFORM = dt.date(2025, 6, 30)


def tdp_code(number: int) -> str:
    """TDPs have no official code; we derive a stable one from the ward's code."""
    return f"{GIANG_BIEN_CODE}-TDP{number:02d}"


def _unit(code, name, level, unit_type, parent, valid_from, valid_to, **extra) -> AdminUnit:
    unit, _ = AdminUnit.objects.update_or_create(
        official_code=code,
        valid_from=valid_from,
        defaults={
            "name": name,
            "level": level,
            "unit_type": unit_type,
            "parent": parent,
            "valid_to": valid_to,
            **extra,
        },
    )
    return unit


@transaction.atomic
def build_units() -> dict[str, AdminUnit]:
    """Create (or update) the unit tree. Idempotent: keyed by official code and start date."""
    founding, _ = LegalDocument.objects.get_or_create(
        number="132/2003/NĐ-CP",
        defaults={
            "doc_type": "NĐ",
            "title": "Về việc điều chỉnh địa giới hành chính để thành lập "
            "quận Long Biên, quận Hoàng Mai, thành phố Hà Nội",
            "issuer": "Chính phủ",
            "issued_on": dt.date(2003, 11, 6),
        },
    )
    hanoi = _unit("01", "Hà Nội", UnitLevel.PROVINCE, UnitType.THANH_PHO_TW, None, None, None)
    district = _unit(
        "004",
        "Long Biên",
        UnitLevel.DISTRICT,
        UnitType.QUAN,
        hanoi,
        DISTRICT_FOUNDED,
        LAST_DAY_BEFORE_REFORM,
        established_by=founding,
        area_km2="60.38",
    )
    units = {"01": hanoi, "004": district}
    for code, name in LONG_BIEN_WARDS:
        extra = {"area_km2": "4.71"} if code == GIANG_BIEN_CODE else {}
        units[code] = _unit(
            code,
            name,
            UnitLevel.COMMUNE,
            UnitType.PHUONG,
            district,
            DISTRICT_FOUNDED,
            LAST_DAY_BEFORE_REFORM,
            established_by=founding,
            **extra,
        )
    giang_bien = units[GIANG_BIEN_CODE]
    giang_bien.is_public = True
    giang_bien.save(update_fields=["is_public"])
    for number in range(1, TDP_COUNT + 1):
        tdp = _unit(
            tdp_code(number),
            f"Tổ dân phố số {number}",
            UnitLevel.RESIDENTIAL_GROUP,
            UnitType.TO_DAN_PHO,
            giang_bien,
            DISTRICT_FOUNDED,
            LAST_DAY_BEFORE_REFORM,
        )
        units[tdp.official_code] = tdp
        Organisation.objects.update_or_create(
            admin_unit=giang_bien,
            represents_unit=tdp,
            defaults={
                "name": f"Tổ dân phố số {number}",
                "short_name": f"TDP {number}",
                "kind": Organisation.Kind.RESIDENTIAL_GROUP,
                "aliases": [f"TDP {number}", f"Tổ dân phố {number}"],
            },
        )
    for code in ["01", "004", *[code for code, _ in LONG_BIEN_WARDS]]:
        unit = units[code]
        label = {"01": "UBND thành phố Hà Nội", "004": "UBND quận Long Biên"}.get(
            code, f"UBND phường {unit.name}"
        )
        Organisation.objects.update_or_create(
            admin_unit=unit,
            kind=Organisation.Kind.PEOPLES_COMMITTEE,
            defaults={
                "name": f"Ủy ban nhân dân {unit.get_unit_type_display().lower()} {unit.name}"
                if code != "01"
                else "Ủy ban nhân dân thành phố Hà Nội",
                "short_name": label,
                "aliases": [label, "UBND"],
            },
        )
    return units
