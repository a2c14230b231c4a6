"""tieuchi send_reminders --period 2023 [--catalog KEY] [--unit CODE] [--date YYYY-MM-DD]: remind
every unit that has not submitted the period's figures (in the app and by email), for cron."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from tieuchi.collection.entry.measures import resolve_catalog, unit_title
from tieuchi.collection.entry.periods import parse_period, period_label
from tieuchi.collection.reminders import send_all
from tieuchi.collection.services import ValueRejected
from tieuchi.orgs.models import AdminUnit


class Command(BaseCommand):
    help = (
        "Gửi nhắc nhở (trong ứng dụng và qua thư điện tử) cho các đơn vị chưa gửi số liệu của "
        "một kỳ. Chạy lại không gửi trùng: mỗi loại nhắc chỉ gửi một lần cho mỗi đơn vị."
    )

    def add_arguments(self, parser):
        parser.add_argument("--period", required=True, help="kỳ: 2023, 2023-Q4 hoặc 2023-11")
        parser.add_argument(
            "--catalog", default="qd04-2022", help="mã bộ tiêu chí (mặc định qd04-2022)"
        )
        parser.add_argument(
            "--unit", help="chỉ nhắc các đơn vị trực thuộc đơn vị này (mã), ví dụ 00121"
        )
        parser.add_argument(
            "--date", help="ngày tính hạn YYYY-MM-DD (mặc định hôm nay), để chạy thử"
        )

    def handle(self, *args, **options):
        period = options["period"]
        try:
            parse_period(period)
        except ValueRejected as exc:
            raise CommandError(str(exc)) from exc
        catalog = resolve_catalog(options["catalog"])
        if catalog is None:
            raise CommandError(f"Chưa nạp bộ tiêu chí '{options['catalog']}'.")
        today = None
        if options["date"]:
            try:
                today = dt.date.fromisoformat(options["date"])
            except ValueError as exc:
                raise CommandError(
                    f"Ngày '{options['date']}' không hợp lệ; dùng dạng YYYY-MM-DD."
                ) from exc
        within = None
        if options["unit"]:
            within = (
                AdminUnit.objects.filter(official_code=options["unit"])
                .order_by("-valid_from")
                .first()
            )
            if within is None:
                raise CommandError(f"Không có đơn vị mã '{options['unit']}'.")
        total, by_parent = send_all(catalog, period, within=within, today=today)
        for parent, outcome in by_parent.items():
            for reminder in outcome.sent:
                self.stdout.write(
                    f"{unit_title(parent)} › {unit_title(reminder.unit)}: đã nhắc "
                    f"({reminder.kind}, {len(reminder.recipients)} người nhận)"
                )
        self.stdout.write(
            f"{catalog.key} {period_label(period)}: gửi {len(total.sent)} nhắc nhở, "
            f"bỏ qua {len(total.skipped)} đơn vị đã được nhắc, {total.emails} thư điện tử."
        )
