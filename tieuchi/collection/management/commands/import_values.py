"""tieuchi import_values FILE: check a filled-in template completely, then write it in one go."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tieuchi.accounts.models import User
from tieuchi.collection.excel.commit import import_file
from tieuchi.collection.excel.context import TemplateError, newest_catalog, normalise_period
from tieuchi.orgs.models import AdminUnit


class _SystemUser:
    """Without --user the command line acts with full access (like `tieuchi export`)."""

    is_authenticated = True
    is_superuser = True
    is_active = True
    pk = None


class Command(BaseCommand):
    help = (
        "Nhập số liệu từ mẫu Excel đã điền. Kiểm tra toàn bộ tệp trước; chỉ cần một lỗi là không "
        "ghi gì, và mọi lỗi được liệt kê (sheet, dòng, cột, lý do)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="tệp .xlsx đã điền")
        parser.add_argument(
            "--user", help="người nhập (quyền và nhật ký theo người này); mặc định: hệ thống"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="chỉ kiểm tra và cho xem trước, không ghi gì"
        )
        parser.add_argument(
            "--confirm-unusual",
            action="store_true",
            help="xác nhận các số liệu khác xa kỳ trước của đơn vị (không có: từ chối, liệt kê)",
        )
        parser.add_argument("--unit", help="chỉ nhận mẫu của đơn vị này")
        parser.add_argument("--period", help="chỉ nhận mẫu của kỳ này")
        parser.add_argument("--catalog", help="chỉ nhận mẫu của bộ tiêu chí này")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"Không có tệp {path}.")
        user = self._user(options.get("user"))
        unit = catalog = period = None
        if options.get("period"):
            try:
                period = normalise_period(options["period"])
            except TemplateError as error:
                raise CommandError(str(error)) from error
        if options.get("unit"):
            unit = AdminUnit.objects.filter(official_code=options["unit"]).first()
            if unit is None:
                raise CommandError(f"Không có đơn vị mã '{options['unit']}'.")
        if options.get("catalog"):
            catalog = newest_catalog(options["catalog"])
            if catalog is None:
                raise CommandError(f"Không có bộ tiêu chí '{options['catalog']}'.")
        outcome = import_file(
            path.read_bytes(),
            path.name,
            user,
            unit=unit,
            period=period,
            catalog=catalog,
            dry_run=options["dry_run"],
            confirm_unusual=options["confirm_unusual"],
        )
        result = outcome.result
        if not outcome.ok:
            lines = "\n".join(f"  - {problem}" for problem in outcome.problems)
            if all(problem.kind == "unusual" for problem in outcome.problems):
                raise CommandError(
                    f"Tệp {path} có {len(outcome.problems)} số liệu khác xa kỳ trước, chưa ghi "
                    f"gì:\n{lines}\nKiểm tra lại; nếu đúng, chạy lại với --confirm-unusual."
                )
            raise CommandError(
                f"Tệp {path} bị từ chối ({len(outcome.problems)} lỗi), chưa ghi gì:\n{lines}"
            )
        self.stdout.write(f"Tệp {path}: {result.summary()}.")
        if options["dry_run"]:
            self.stdout.write("Chạy thử (--dry-run): không ghi gì.")
            return
        report = outcome.report
        if not report.written:
            self.stdout.write(
                f"Không có gì để ghi: tệp không có số liệu mới hay thay đổi (lần nhập "
                f"#{outcome.batch.pk})."
            )
            return
        self.stdout.write(
            f"Đã ghi {report.written} số liệu ({report.created} mới, {report.updated} thay đổi), "
            f"lần nhập #{outcome.batch.pk}."
        )

    def _user(self, username):
        if not username:
            return _SystemUser()
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"Không có người dùng '{username}'.")
        return user
