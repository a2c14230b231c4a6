"""tieuchi load_catalog FILE…: load catalog data files (all or nothing per file)."""

from django.core.management.base import BaseCommand, CommandError

from tieuchi.catalog.services import load_catalog
from tieuchi.core.yamlfile import DataFileError


class Command(BaseCommand):
    help = "Nạp bộ tiêu chí từ tệp YAML (docs/catalog-format.md). Tệp lỗi bị từ chối, không nạp gì."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", help="tệp .yaml")

    def handle(self, *args, **options):
        for name in options["files"]:
            try:
                catalog, changed = load_catalog(name, channel="cli")
            except DataFileError as error:
                raise CommandError(str(error)) from error
            leaves = catalog.nodes.filter(node_type__in=["subcriterion", "indicator"]).count()
            state = "đã nạp" if changed else "không đổi"
            self.stdout.write(
                f"{catalog.key} {catalog.version}: {state} ({leaves} nội dung, chỉ tiêu)"
            )
