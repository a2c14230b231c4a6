"""tieuchi import_plan FILE --unit CODE: import a ward plan's appendix table from Word (.docx)."""

import json

from django.core.management.base import BaseCommand, CommandError

from tieuchi.catalog.services import latest_catalog
from tieuchi.orgs.models import AdminUnit
from tieuchi.plans.docx_import.reader import DocxImportError, read_docx
from tieuchi.plans.docx_import.rows import analyse, choose_plan, save_import


class Command(BaseCommand):
    help = (
        "Nhập bảng phụ lục kế hoạch từ tệp Word (.docx) vào kế hoạch của đơn vị. "
        "Dùng --dry-run để xem trước, không lưu."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="tệp .docx")
        parser.add_argument("--unit", required=True, help="mã đơn vị hành chính, vd. 00121")
        parser.add_argument("--plan", help="khóa kế hoạch (mặc định: kế hoạch của năm văn bản)")
        parser.add_argument("--catalog", help="khóa bộ tiêu chí (mặc định: của kế hoạch)")
        parser.add_argument("--dry-run", action="store_true", help="chỉ xem trước, không lưu")
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args, **options):
        unit = (
            AdminUnit.objects.filter(official_code=options["unit"]).order_by("-valid_from").first()
        )
        if unit is None:
            raise CommandError(f"Không có đơn vị mã '{options['unit']}'.")
        try:
            document = read_docx(options["file"])
        except DocxImportError as error:
            raise CommandError(str(error)) from error
        plan = choose_plan(unit, document.year, options.get("plan"))
        if plan is None:
            raise CommandError(
                f"Đơn vị {unit} chưa có kế hoạch"
                + (f" '{options['plan']}'" if options.get("plan") else f" cho năm {document.year}")
                + "; hãy nạp kế hoạch (tieuchi load_plan) hoặc chọn --plan."
            )
        if options.get("catalog"):
            catalog = latest_catalog(options["catalog"])
            if catalog is None:
                raise CommandError(f"Chưa nạp bộ tiêu chí '{options['catalog']}'.")
            plan.catalog = catalog  # matching only; the plan itself is not changed here
        rows = analyse(document, plan)
        if options["dry_run"]:
            self._print(plan, rows, options["format"])
            return
        summary = save_import(plan, rows, channel="cli", source=document.name)
        if options["format"] == "json":
            payload = {"plan": plan.key, **summary, "rows": [row.to_dict() for row in rows]}
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
            return
        self.stdout.write(
            f"{plan.key}: đã nhập {document.name} ({summary['created']} dòng mới, "
            f"{summary['updated']} dòng cập nhật, {summary['skipped']} dòng bỏ qua)"
        )
        tasks = summary["tasks"]
        if any(value for key, value in tasks.items() if key != "unchanged"):
            self.stdout.write(
                f"Việc: {tasks['created']} mới, {tasks['updated']} sửa, {tasks['removed']} bỏ, "
                f"{tasks['closed']} đóng lại (giữ báo cáo tiến độ), {tasks['reopened']} mở lại"
            )

    def _print(self, plan, rows, fmt):
        if fmt == "json":
            payload = {"plan": plan.key, "rows": [row.to_dict() for row in rows]}
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
            return
        for row in rows:
            code = row.criterion_code or "—"
            mark = " !" if row.flags or row.needs_review else ""
            self.stdout.write(f"{row.raw.index:>3} {code:<6} {row.match.confidence:.2f}{mark}")
            for flag in row.flags:
                self.stdout.write(f"      - {flag}")
        flagged = sum(1 for row in rows if row.flags or row.needs_review)
        self.stdout.write(f"{plan.key}: {len(rows)} dòng, {flagged} dòng cần kiểm tra (chưa lưu)")
