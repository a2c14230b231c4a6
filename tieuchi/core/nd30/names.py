"""How an official document names a unit and its People's Committee (NĐ 30 ô 1–2).

Duck-typed on the unit (`unit_type`, `name`, `level`, `parent`), so it stays pure: the words are
Vietnamese whatever the interface language, unlike the model's translated type labels.
"""

from __future__ import annotations

# How a unit's type is written before its name in a document.
RUNNING_TYPE = {
    "tinh": "tỉnh",
    "thanh_pho_tw": "thành phố",
    "quan": "quận",
    "huyen": "huyện",
    "thi_xa": "thị xã",
    "thanh_pho_thuoc_tinh": "thành phố",
    "phuong": "phường",
    "xa": "xã",
    "thi_tran": "thị trấn",
    "dac_khu": "đặc khu",
    "to_dan_pho": "tổ dân phố",
    "thon": "thôn",
}
# Levels whose People's Committee is written without its parent above it (ô 1 left empty).
TOP_LEVELS = ("province", "district")


def running_name(unit) -> str:
    """ "phường Giang Biên", "quận Long Biên", "thành phố Hà Nội": the unit inside a sentence."""
    return f"{RUNNING_TYPE.get(unit.unit_type, '')} {unit.name}".strip()


def committee_name(unit) -> str:
    """ "Ủy ban nhân dân phường Giang Biên"."""
    return f"Ủy ban nhân dân {running_name(unit)}"


def issuer_lines(issuer) -> tuple[str, str]:
    """(parent body, issuing body) for a People's Committee, as NĐ 30 ô 2 writes them."""
    parent = issuer.parent if issuer.level not in TOP_LEVELS else None
    parent_body = f"UBND {running_name(parent)}".upper() if parent is not None else ""
    return parent_body, committee_name(issuer).upper()
