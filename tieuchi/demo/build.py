"""Build the whole demo: units, catalogs, the Giang Biên plan, accounts and 2023 figures."""

from pathlib import Path

from django.conf import settings

from tieuchi.catalog.services import load_catalog
from tieuchi.demo.units import build_units
from tieuchi.demo.users import build_users
from tieuchi.demo.values import build_values
from tieuchi.plans.services import load_plan

DATA = Path(settings.BASE_DIR) / "data"
CATALOG_FILES = ["catalogs/qd04-2022.yaml", "catalogs/ctr02-longbien-2020-2025.yaml"]
PLAN_FILES = ["plans/giang-bien-2023.yaml"]


def build_demo(*, with_values: bool = True) -> dict:
    """Idempotent: running it again changes nothing that is already there."""
    units = build_units()
    catalogs = {}
    for name in CATALOG_FILES:
        catalog, _changed = load_catalog(DATA / name)
        catalogs[catalog.key] = catalog
    plans = {}
    for name in PLAN_FILES:
        plan, _changed = load_plan(DATA / name)
        plans[plan.key] = plan
    users = build_users()
    if with_values:
        build_values(catalogs["qd04-2022"], entered_by=users["canbo.giangbien"])
    return {"units": units, "catalogs": catalogs, "plans": plans, "users": users}
