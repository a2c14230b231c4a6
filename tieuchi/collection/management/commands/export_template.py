"""tieuchi export_template --unit CODE --period PERIOD --output FILE.xlsx: the Excel template."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tieuchi.accounts.models import User
from tieuchi.collection.excel.context import (
    TemplateError,
    choose_catalog,
    find_unit,
    normalise_period,
    unit_label,
)
from tieuchi.collection.excel.template import build_template
from tieuchi.collection.excel.template_rows import collect_rows
from tieuchi.orgs.scope import can_edit_unit


class Command(BaseCommand):
    help = (
        "Ghi mẫu Excel nhập số liệu của một đơn vị, một kỳ (giống nút 'Tải mẫu Excel' ở trang "
        "Nhập số liệu)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--unit", required=True, help="mã đơn vị, ví dụ 00121-TDP13")
        parser.add_argument("--period", required=True, help="kỳ: 2023, 2023-Q4 hoặc 2023-11")
        parser.add_argument("--output", required=True, help="tệp .xlsx sẽ ghi")
        parser.add_argument(
            "--catalog", help="mã bộ tiêu chí (mặc định: bộ duy nhất áp dụng, hoặc theo kế hoạch)"
        )
        parser.add_argument(
            "--subunits",
            action="store_true",
            help="kèm mọi phường, tổ dân phố trực thuộc (mỗi đơn vị một nhóm dòng)",
        )
        parser.add_argument("--as-user", help="chỉ cho phép khi người dùng này được nhập số liệu")

    def handle(self, *args, **options):
        try:
            period = normalise_period(options["period"])
            unit = find_unit(options["unit"], period)
            catalog = choose_catalog(unit, options.get("catalog"))
        except TemplateError as error:
            raise CommandError(str(error)) from error
        username = options.get("as_user") or ""
        if username:
            user = User.objects.filter(username=username, is_active=True).first()
            if user is None:
                raise CommandError(f"Không có người dùng '{username}'.")
            if not can_edit_unit(user, unit):
                raise CommandError(
                    f"Người dùng '{username}' không được nhập số liệu cho {unit_label(unit)}."
                )
        rows = collect_rows(unit, catalog, period, include_subunits=options["subunits"])
        if not rows:
            raise CommandError(
                f"{unit_label(unit)} không có chỉ tiêu nào của {catalog.key} để nhập trực tiếp; "
                "hãy chọn phường, tổ dân phố hoặc dùng --subunits."
            )
        content = build_template(
            unit,
            catalog,
            period,
            include_subunits=options["subunits"],
            generated_by=username,
            rows=rows,
        )
        output = Path(options["output"])
        output.write_bytes(content)
        self.stdout.write(
            f"Đã ghi {output}: {len(rows)} dòng, {unit_label(unit)} ({unit.official_code}), "
            f"kỳ {period}, bộ tiêu chí {catalog.key} {catalog.version}."
        )
