"""tieuchi demo: prepare the database, load the demo and start the server on 127.0.0.1:8000."""

from io import StringIO

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from tieuchi.demo.users import ACCOUNTS, DEMO_PASSWORD


class Command(BaseCommand):
    help = "Tạo cơ sở dữ liệu, nạp dữ liệu minh họa và chạy máy chủ tại http://127.0.0.1:8000/."

    def add_arguments(self, parser):
        parser.add_argument(
            "--addr", default="127.0.0.1:8000", help="địa chỉ:cổng (mặc định 127.0.0.1:8000)"
        )
        parser.add_argument(
            "--no-server", action="store_true", help="chỉ chuẩn bị dữ liệu, không chạy máy chủ"
        )

    def handle(self, *args, **options):
        if settings.SECURE_SSL_REDIRECT and not options["no_server"]:
            raise CommandError(
                "Máy chủ thử nghiệm chỉ chạy HTTP nhưng TIEUCHI_HTTPS đang bật. "
                "Hãy chạy `make demo` hoặc đặt TIEUCHI_HTTPS=0 trước `tieuchi demo`."
            )
        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        summary = StringIO()
        call_command("seed_demo", verbosity=0, stdout=summary)
        self.stdout.write(summary.getvalue().splitlines()[0])
        addr = options["addr"]
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"tieuchi đang chạy: http://{addr}/"))
        self.stdout.write(f"Đăng nhập bằng một trong các tài khoản sau, mật khẩu: {DEMO_PASSWORD}")
        for account in ACCOUNTS:
            self.stdout.write(f"  {account.username:<20} {account.role.label}")
        self.stdout.write("Nhấn Ctrl+C để dừng.")
        if not options["no_server"]:
            call_command("runserver", addr, use_reloader=False, skip_checks=True)
