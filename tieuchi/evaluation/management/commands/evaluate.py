"""tieuchi evaluate --unit CODE --as-of DATE: print (and optionally store) the verdict tree."""

import datetime as dt
import json

from django.core.management.base import BaseCommand, CommandError

from tieuchi.catalog.services import latest_catalog
from tieuchi.evaluation.services import compute, evaluate_unit
from tieuchi.orgs.models import AdminUnit

LABELS = {"met": "Đạt", "not_met": "Chưa đạt", "no_data": "Chưa đủ dữ liệu"}


class Command(BaseCommand):
    help = "Đánh giá một đơn vị theo bộ tiêu chí tại một ngày: Đạt / Chưa đạt / Chưa đủ dữ liệu, kèm lý do."

    def add_arguments(self, parser):
        parser.add_argument("--unit", required=True, help="mã đơn vị hành chính, ví dụ 00121")
        parser.add_argument("--as-of", required=True, help="ngày đánh giá YYYY-MM-DD")
        parser.add_argument(
            "--catalog", default="qd04-2022", help="mã bộ tiêu chí (mặc định qd04-2022)"
        )
        parser.add_argument("--format", choices=["json", "table"], default="table")
        parser.add_argument(
            "--store", action="store_true", help="lưu kết quả (lần đánh giá) vào cơ sở dữ liệu"
        )

    def handle(self, *args, **options):
        try:
            as_of = dt.date.fromisoformat(options["as_of"])
        except ValueError as exc:
            raise CommandError(
                f"Ngày '{options['as_of']}' không hợp lệ; dùng dạng YYYY-MM-DD."
            ) from exc
        unit = (
            AdminUnit.objects.filter(official_code=options["unit"]).valid_on(as_of).first()
            or AdminUnit.objects.filter(official_code=options["unit"])
            .order_by("-valid_from")
            .first()
        )
        if unit is None:
            raise CommandError(f"Không có đơn vị mã '{options['unit']}'.")
        catalog = latest_catalog(options["catalog"])
        if catalog is None:
            raise CommandError(f"Chưa nạp bộ tiêu chí '{options['catalog']}'.")
        if options["store"]:
            data = evaluate_unit(unit, catalog, as_of, trigger="manual", channel="cli").result
        else:
            data = compute(unit, catalog, as_of)[0].to_dict()
        if options["format"] == "json":
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
        else:
            self._table(data)

    def _table(self, data: dict) -> None:
        self.stdout.write(
            f"{data['name']} ({data['code']}) – {data['catalog']} – ngày {data['as_of']}"
        )
        self.stdout.write(f"Kết quả: {LABELS[data['verdict']]}. {data['explanation']}")
        for criterion in data["children"]:
            self.stdout.write(
                f"\n{criterion['code']:<5} {LABELS[criterion['verdict']]:<16} {criterion['name']}"
            )
            for item in criterion["children"]:
                self.stdout.write(
                    f"  {item['code']:<5} {LABELS[item['verdict']]:<16} {item['explanation']}"
                )
        for condition in data.get("conditions", []):
            self.stdout.write(
                f"\n{LABELS[condition['verdict']]:<16} {condition['name']}: {condition['explanation']}"
            )
