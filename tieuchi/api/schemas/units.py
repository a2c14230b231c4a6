"""Response shapes of the administrative unit tree (/api/v1/units)."""

import datetime as dt

from ninja import Schema


class UnitNode(Schema):
    code: str
    name: str
    unit_type: str
    level: str
    type_label: str
    children: list["UnitNode"]


class UnitTree(Schema):
    as_of: dt.date
    units: list[UnitNode]
