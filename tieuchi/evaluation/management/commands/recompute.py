"""tieuchi recompute: re-evaluate every unit of a catalog, as a background job or right now."""

import contextlib
import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from tieuchi.catalog.services import latest_catalog
from tieuchi.evaluation.jobs import recompute_catalog, request_full_recompute
from tieuchi.evaluation.models import RecomputeJob


class Command(BaseCommand):
    help = "Tính lại kết quả đánh giá của mọi đơn vị theo một bộ tiêu chí (chạy nền, có tiến độ)."

    def add_arguments(self, parser):
        parser.add_argument("--catalog", default="qd04-2022")
        parser.add_argument("--as-of", required=True, help="ngày đánh giá YYYY-MM-DD")
        parser.add_argument(
            "--now", action="store_true", help="chạy ngay trong lệnh này thay vì chờ db_worker"
        )

    def handle(self, *args, **options):
        catalog = latest_catalog(options["catalog"])
        if catalog is None:
            raise CommandError(f"Chưa nạp bộ tiêu chí '{options['catalog']}'.")
        try:
            as_of = dt.date.fromisoformat(options["as_of"])
        except ValueError as exc:
            raise CommandError(
                f"Ngày '{options['as_of']}' không hợp lệ; dùng dạng YYYY-MM-DD."
            ) from exc
        job = request_full_recompute(catalog, as_of, channel="cli", enqueue=not options["now"])
        if not options["now"]:
            self.stdout.write(
                f"Đã xếp hàng việc #{job.pk} ({job.total} đơn vị); chạy `tieuchi db_worker` để thực hiện."
            )
            return
        with contextlib.suppress(Exception):  # the job row keeps the error; it is reported below
            recompute_catalog.call(job.pk)
        job = RecomputeJob.objects.get(pk=job.pk)
        self.stdout.write(
            f"Việc #{job.pk}: {job.get_status_display()} – {job.done}/{job.total} đơn vị, {job.changed} kết quả thay đổi."
        )
        if job.status != RecomputeJob.Status.DONE:
            raise CommandError(job.error or "Việc tính lại không hoàn thành.")
