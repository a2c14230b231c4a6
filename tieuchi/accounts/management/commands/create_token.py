"""tieuchi create_token USERNAME [--name NAME]: print a new personal API token (for scripts)."""

from django.core.management.base import BaseCommand, CommandError

from tieuchi.accounts.models import User
from tieuchi.accounts.tokens import NAME_MAX_LENGTH, create_token


class Command(BaseCommand):
    help = "Tạo một mã truy cập API mới cho người dùng và in mã ra (chỉ một lần)."

    def add_arguments(self, parser):
        parser.add_argument("username", help="tên đăng nhập của người dùng")
        parser.add_argument(
            "--name", default="Dòng lệnh", help="tên gợi nhớ của mã (mặc định: Dòng lệnh)"
        )

    def handle(self, *args, **options):
        username = options["username"]
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"Không có người dùng '{username}'.")
        name = " ".join(options["name"].split())
        if not name or len(name) > NAME_MAX_LENGTH:
            raise CommandError(f"Tên gợi nhớ phải có từ 1 đến {NAME_MAX_LENGTH} ký tự.")
        _token, secret = create_token(user, name, actor=None, channel="cli")
        # Only the secret on stdout, so `TOKEN=$(tieuchi create_token admin)` works.
        self.stdout.write(secret)
