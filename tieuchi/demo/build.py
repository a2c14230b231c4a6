"""Build the whole demo: units, catalogs, the Giang Biên plan, accounts and 2023 figures."""

from pathlib import Path

from django.conf import settings

from tieuchi.catalog.services import load_catalog
from tieuchi.demo.cascade import build_cascade
from tieuchi.demo.programme import build_programme
from tieuchi.demo.tasks import build_tasks
from tieuchi.demo.units import build_units
from tieuchi.demo.users import build_users
from tieuchi.demo.values import build_other_wards, build_values
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
    district_plan = build_cascade()
    plans[district_plan.key] = district_plan
    users = build_users()
    build_tasks(plans["giang-bien-2023"])
    if with_values:
        build_values(catalogs["qd04-2022"], entered_by=users["canbo.giangbien"])
        build_other_wards(catalogs["qd04-2022"], entered_by=users["admin"])
        _evaluate(catalogs["qd04-2022"], plans["giang-bien-2023"])
        _report_records(catalogs["qd04-2022"], plans["giang-bien-2023"])
        build_programme(entered_by=users["admin"])
    return {"units": units, "catalogs": catalogs, "plans": plans, "users": users}


def _evaluate(catalog, plan) -> None:
    """Store the results of the two 2023 rounds for Giang Biên and round 2 for every ward."""
    from tieuchi.evaluation.services import evaluate_unit
    from tieuchi.orgs.models import AdminUnit

    for evaluation_round in plan.rounds.all():
        as_of = evaluation_round.judged_on
        evaluate_unit(plan.unit, catalog, as_of, round=evaluation_round, trigger="round")
    last_day = max(r.judged_on for r in plan.rounds.all())
    for ward in AdminUnit.objects.filter(parent__official_code="004").exclude(pk=plan.unit_id):
        evaluate_unit(ward, catalog, last_day, trigger="round")


def _report_records(catalog, plan) -> None:
    """Round 1 inspection, registration and survey, Programme 02 figures (official documents)."""
    from tieuchi.demo.reports import build_report_records

    build_report_records(catalog, plan)
