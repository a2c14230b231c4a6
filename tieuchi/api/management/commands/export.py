"""tieuchi export catalog|plan|units …: print data as JSON (shapes documented in docs/cli.md)."""

import datetime as dt
import json

from django.core.management.base import BaseCommand, CommandError

from tieuchi.accounts.models import User
from tieuchi.catalog.queries import catalog_dict, catalogs_visible_to
from tieuchi.orgs.queries import default_day, visible_tree
from tieuchi.plans.exports import plan_dict
from tieuchi.plans.queries import plans_visible_to


class _SystemUser:
    """The command line runs with full access unless --as-user narrows it to a person's scope."""

    is_authenticated = True
    is_superuser = True
    pk = None


class Command(BaseCommand):
    help = "Xuất dữ liệu dạng JSON: catalog KEY, plan KEY, units --as-of YYYY-MM-DD."

    def add_arguments(self, parser):
        parser.add_argument("what", choices=["catalog", "plan", "units"])
        parser.add_argument("key", nargs="?", help="mã bộ tiêu chí hoặc kế hoạch")
        parser.add_argument("--format", choices=["json"], default="json")
        parser.add_argument(
            "--as-of",
            help="ngày (YYYY-MM-DD) cho cây đơn vị; mặc định hôm nay, hoặc ngày cuối các đơn vị còn hiệu lực",
        )
        parser.add_argument("--as-user", help="chỉ xuất những gì người dùng này được xem")

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
        else:
            day = self._day(options.get("as_of")) or default_day(user)
            data = {
                "as_of": day.isoformat(),
                "units": [node.to_dict() for node in visible_tree(user, day)],
            }
        self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))

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
