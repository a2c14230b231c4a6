"""Build extra ward plans that implement KH 72, through the same services as the real ones."""

import datetime as dt

from tieuchi.catalog.models import CatalogNode
from tieuchi.orgs.models import AdminUnit, LegalDocument, Organisation, Person
from tieuchi.plans.cascade_service import link_plan_cascade
from tieuchi.plans.models import Plan
from tieuchi.plans.parties import PartyIndex
from tieuchi.plans.services import save_row
from tieuchi.plans.tasks_service import generate_tasks
from tieuchi.plans.validation import RowSpec

DISTRICT_KEY = "long-bien-2023"


def ward_plan(unit_code: str, rows: dict[str, str], *, units: str = "Bộ phận ĐC-XD") -> Plan:
    """A 2023 plan of ward `unit_code` implementing KH 72, with `rows` {criterion: deadline text},
    each implemented by `units`; linked to the district plan and with its tasks generated."""
    district = Plan.objects.get(key=DISTRICT_KEY)
    unit = AdminUnit.objects.filter(official_code=unit_code).order_by("-valid_from").first()
    document = LegalDocument.objects.create(
        number=f"{unit_code}/KH-UBND", doc_type="KH", title="Kế hoạch thử", issuer=str(unit)
    )
    plan = Plan.objects.create(
        key=f"test-{unit_code}-2023",
        name=f"Kế hoạch thử của {unit}",
        unit=unit,
        catalog=district.catalog,
        legal_document=document,
        parent_document=district.legal_document,
        period_start=dt.date(2023, 1, 1),
        period_end=dt.date(2023, 12, 31),
    )
    index = PartyIndex(
        Organisation.objects.filter(admin_unit=unit),
        Person.objects.filter(organisation__admin_unit=unit),
    )
    nodes = {node.code: node for node in CatalogNode.objects.filter(catalog=plan.catalog)}
    for position, (code, deadline) in enumerate(rows.items(), start=1):
        spec = RowSpec(
            line=position,
            criterion=code,
            criterion_text="",
            solution=f"Giải pháp thử {code}",
            leader="",
            implementing=units,
            coordinating="",
            deadline=deadline,
            note="",
        )
        save_row(plan, spec, nodes[code], index, position=position)
    link_plan_cascade(plan)
    generate_tasks(plan)
    return plan
