"""tieuchi seed_demo: load the demo data into the configured database (safe to run again)."""

from django.core.management.base import BaseCommand, CommandError

from tieuchi.core.yamlfile import DataFileError
from tieuchi.demo.build import build_demo
from tieuchi.demo.users import ACCOUNTS, DEMO_PASSWORD


class Command(BaseCommand):
    help = (
        "Nạp dữ liệu minh họa (Hà Nội – Long Biên – Giang Biên, QĐ 04/2022, CTr 02, KH 68/KH-UBND)."
    )

    def handle(self, *args, **options):
        try:
            result = build_demo()
        except DataFileError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Dữ liệu minh họa sẵn sàng: {len(result['units'])} đơn vị, "
            f"{len(result['catalogs'])} bộ tiêu chí, {len(result['plans'])} kế hoạch."
        )
        self.stdout.write(f"Tài khoản (mật khẩu: {DEMO_PASSWORD}):")
        for account in ACCOUNTS:
            self.stdout.write(
                f"  {account.username:<20} {account.role.label} – {account.unit_code}"
            )
