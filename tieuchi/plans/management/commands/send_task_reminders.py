"""tieuchi send_task_reminders [--today YYYY-MM-DD] [--days-before N] [--overdue-within N]: remind
leaders and implementers of plan tasks due soon or overdue (in the app and by email), for cron."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from tieuchi.plans.reminders import DAYS_BEFORE, OVERDUE_WITHIN, send_task_reminders


class Command(BaseCommand):
    help = (
        "Nhắc việc của kế hoạch sắp đến hạn hoặc quá hạn (trong ứng dụng và qua thư điện tử). "
        "Chạy lại không gửi trùng: mỗi nhắc nhở chỉ gửi một lần cho mỗi người."
    )

    def add_arguments(self, parser):
        parser.add_argument("--today", help="ngày tính hạn YYYY-MM-DD (mặc định hôm nay)")
        parser.add_argument(
            "--days-before",
            type=int,
            default=DAYS_BEFORE,
            help=f"nhắc trước hạn bao nhiêu ngày (mặc định {DAYS_BEFORE})",
        )
        parser.add_argument(
            "--overdue-within",
            type=int,
            default=OVERDUE_WITHIN,
            help=f"chỉ nhắc quá hạn trong bao nhiêu ngày gần nhất (mặc định {OVERDUE_WITHIN})",
        )

    def handle(self, *args, **options):
        today = None
        if options["today"]:
            try:
                today = dt.date.fromisoformat(options["today"])
            except ValueError as exc:
                raise CommandError(
                    f"Ngày '{options['today']}' không hợp lệ; dùng dạng YYYY-MM-DD."
                ) from exc
        if options["days_before"] < 0 or options["overdue_within"] < 0:
            raise CommandError("Số ngày phải không âm.")
        outcome = send_task_reminders(
            today=today,
            days_before=options["days_before"],
            overdue_within=options["overdue_within"],
        )
        self.stdout.write(
            f"Đã tạo {len(outcome.notifications)} nhắc nhở, bỏ qua {outcome.skipped} đã gửi, "
            f"{outcome.emails} thư điện tử."
        )
