"""The district plan KH 72/KH-UBND of quận Long Biên, linked to the ward plans that implement it.

Loads data/plans/long-bien-2023.yaml (which says what the sources give of KH 72 and what they do
not) and links every ward plan whose `parent_document` is KH 72, row by sub-criterion. Idempotent:
an unchanged file is not reloaded and a second link changes nothing.
"""

from pathlib import Path

from django.conf import settings

from tieuchi.plans.cascade_service import link_plan_cascade
from tieuchi.plans.models import Plan
from tieuchi.plans.services import load_plan

DISTRICT_PLAN_FILE = Path(settings.BASE_DIR) / "data" / "plans" / "long-bien-2023.yaml"


def build_cascade() -> Plan:
    plan, _changed = load_plan(DISTRICT_PLAN_FILE)
    link_plan_cascade(plan)
    return plan
