"""tieuchi load_plan FILE…: load plan data files (all or nothing per file)."""

from django.core.management.base import BaseCommand, CommandError

from tieuchi.core.yamlfile import DataFileError
from tieuchi.plans.services import load_plan


class Command(BaseCommand):
    help = "Nạp kế hoạch từ tệp YAML (docs/catalog-format.md). Tệp lỗi bị từ chối, không nạp gì."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", help="tệp .yaml")

    def handle(self, *args, **options):
        for name in options["files"]:
            try:
                plan, changed = load_plan(name, channel="cli")
            except DataFileError as error:
                raise CommandError(str(error)) from error
            flagged = sum(1 for row in plan.rows.all() if row.flags)
            state = "đã nạp" if changed else "không đổi"
            self.stdout.write(
                f"{plan.key}: {state} ({plan.rows.count()} dòng, {flagged} dòng cần kiểm tra)"
            )
