"""tieuchi export catalog|plan|units|values …: print data as JSON (shapes documented in docs/cli.md)."""

import datetime as dt
import json

from django.core.management.base import BaseCommand, CommandError

from tieuchi.accounts.models import User
from tieuchi.catalog.queries import catalog_dict, catalogs_visible_to
from tieuchi.collection.excel.context import TemplateError, find_unit, normalise_period
from tieuchi.collection.excel.values import values_dict
from tieuchi.orgs.models import AdminUnit
from tieuchi.orgs.queries import default_day, visible_tree
from tieuchi.orgs.scope import can_view_unit
from tieuchi.plans.exports import plan_dict
from tieuchi.plans.queries import plans_visible_to


class _SystemUser:
    """The command line runs with full access unless --as-user narrows it to a person's scope."""

    is_authenticated = True
    is_superuser = True
    pk = None


class Command(BaseCommand):
    help = (
        "Xuất dữ liệu dạng JSON: catalog KEY, plan KEY, units --as-of YYYY-MM-DD, "
        "values --unit CODE --period PERIOD."
    )

    def add_arguments(self, parser):
        parser.add_argument("what", choices=["catalog", "plan", "units", "values"])
        parser.add_argument("key", nargs="?", help="mã bộ tiêu chí hoặc kế hoạch")
        parser.add_argument("--format", choices=["json"], default="json")
        parser.add_argument(
            "--as-of",
            help="ngày (YYYY-MM-DD) cho cây đơn vị; mặc định hôm nay, hoặc ngày cuối các đơn vị còn hiệu lực",
        )
        parser.add_argument("--as-user", help="chỉ xuất những gì người dùng này được xem")
        parser.add_argument("--unit", help="values: mã đơn vị")
        parser.add_argument("--period", help="values: kỳ (2023, 2023-Q4, 2023-11)")
        parser.add_argument("--catalog", help="values: chỉ số liệu của bộ tiêu chí này")
        parser.add_argument(
            "--subunits", action="store_true", help="values: kèm các đơn vị trực thuộc"
        )

    def handle(self, *args, **options):
        user = self._user(options.get("as_user"))
        what, key = options["what"], options.get("key")
        if what in {"catalog", "plan"} and not key:
            raise CommandError(f"Thiếu mã {'bộ tiêu chí' if what == 'catalog' else 'kế hoạch'}.")
        if what == "catalog":
            catalog = catalogs_visible_to(user).filter(key=key).first()
            if catalog is None:
                raise CommandError(f"Không có bộ tiêu chí '{key}'.")
            data = catalog_dict(catalog)
        elif what == "plan":
            plan = (
                plans_visible_to(user)
                .filter(key=key)
                .select_related("legal_document", "unit", "catalog")
                .first()
            )
            if plan is None:
                raise CommandError(f"Không có kế hoạch '{key}' (hoặc người dùng không được xem).")
            data = plan_dict(plan)
        elif what == "values":
            data = self._values(user, options)
        else:
            day = self._day(options.get("as_of")) or default_day(user)
            data = {
                "as_of": day.isoformat(),
                "units": [node.to_dict() for node in visible_tree(user, day)],
            }
        self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))

    def _values(self, user, options) -> dict:
        if not options.get("unit") or not options.get("period"):
            raise CommandError("Cần --unit CODE và --period PERIOD.")
        try:
            period = normalise_period(options["period"])
            unit = find_unit(options["unit"], period)
        except TemplateError as error:
            raise CommandError(str(error)) from error
        if not can_view_unit(user, unit):
            raise CommandError(
                f"Không có đơn vị '{options['unit']}' (hoặc người dùng không được xem)."
            )
        units = [unit]
        if options.get("subunits"):
            units = list(AdminUnit.objects.visible_to(user).filter(path__startswith=unit.path))
        return values_dict(units, period, catalog_key=options.get("catalog"))

    def _user(self, username):
        if not username:
            return _SystemUser()
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"Không có người dùng '{username}'.")
        return user

    def _day(self, text):
        if not text:
            return None
        try:
            return dt.date.fromisoformat(text)
        except ValueError as exc:
            raise CommandError(f"Ngày '{text}' không hợp lệ; dùng dạng YYYY-MM-DD.") from exc
