"""tieuchi render_report KIND --unit CODE [--round ID] [--as-of DATE] --output FILE.docx [--pdf]
[--register]: with --register the document takes a number from the issuer's register of
outgoing documents (the given --number, else the next free one) and is recorded there."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tieuchi.accounts.models import AuditEvent
from tieuchi.core.formatting import vn_number
from tieuchi.evaluation.selection import parse_day
from tieuchi.orgs.models import AdminUnit
from tieuchi.plans.models import EvaluationRound
from tieuchi.reports.generate import generate
from tieuchi.reports.kinds import all_kinds
from tieuchi.reports.pdf import PdfUnavailable, docx_to_pdf, pdf_available
from tieuchi.reports.request import ReportInputError, resolve_request
from tieuchi.reports.services import RegisterError, issue


class Command(BaseCommand):
    help = (
        "Tạo văn bản hành chính (.docx theo Nghị định 30/2020/NĐ-CP, hoặc PDF) từ kết quả đã lưu: "
        + ", ".join(all_kinds())
        + "."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", help="loại văn bản: " + ", ".join(all_kinds()))
        parser.add_argument("--unit", required=True, help="mã đơn vị hành chính, ví dụ 00121")
        parser.add_argument("--round", help="số hiệu (id) đợt đánh giá; mặc định đợt mới nhất")
        parser.add_argument("--as-of", help="tính đến ngày (YYYY-MM-DD hoặc DD/MM/YYYY)")
        parser.add_argument("--number", help="số văn bản, ví dụ 125 (mặc định để trống)")
        parser.add_argument("--date", help="ngày ban hành DD/MM/YYYY (mặc định ngày đánh giá)")
        parser.add_argument("--signer", help="họ và tên người ký")
        parser.add_argument("--output", required=True, help="tệp .docx (hoặc .pdf với --pdf)")
        parser.add_argument(
            "--pdf", action="store_true", help="chuyển sang PDF bằng LibreOffice (nếu đã cài)"
        )
        parser.add_argument(
            "--register",
            action="store_true",
            help="đăng ký vào sổ văn bản đi: cấp số (--number, mặc định số tiếp theo) và lưu lại",
        )

    def handle(self, *args, **options):
        kinds = all_kinds()
        kind = kinds.get(options["kind"])
        if kind is None:
            raise CommandError(
                f"Không có loại văn bản '{options['kind']}'. Các loại: {', '.join(kinds)}."
            )
        if options["pdf"] and not pdf_available():
            raise CommandError(
                "Máy này chưa cài LibreOffice nên không tạo được PDF. "
                "Cài bằng: apt-get install libreoffice-writer-nogui fonts-liberation"
            )
        as_of = self._day(options["as_of"], "--as-of")
        unit = self._unit(options["unit"], as_of)
        chosen_round = self._round(options["round"])
        overrides = {
            "number": options["number"],
            "date": self._day(options["date"], "--date"),
            "signer_name": options["signer"],
        }
        try:
            request = resolve_request(
                kind, unit, None, round=chosen_round, as_of=as_of, overrides=overrides
            )
            registered = ""
            if options["register"]:
                issued = issue(request, None, channel=AuditEvent.Channel.CLI)
                data, file_name = issued.data, issued.file_name
                registered = (
                    " Đã đăng ký số " if issued.created else " Đã đăng ký trước đó: số "
                ) + (f"{issued.record.number_symbol} ngày {issued.record.date:%d/%m/%Y}.")
            else:
                data, file_name = generate(request)
        except (ReportInputError, RegisterError) as exc:
            raise CommandError(str(exc)) from exc
        if options["pdf"]:
            try:
                data = docx_to_pdf(data)
            except PdfUnavailable as exc:
                raise CommandError(str(exc)) from exc
        output = Path(options["output"])
        try:
            output.write_bytes(data)
        except OSError as exc:
            raise CommandError(f"Không ghi được tệp {output}: {exc.strerror}.") from exc
        self.stdout.write(
            f"Đã tạo {output} ({kind.title}, {vn_number(len(data))} byte).{registered}"
        )

    def _day(self, text, option):
        if not text:
            return None
        day = parse_day(text)
        if day is None:
            raise CommandError(f"{option}: ngày '{text}' không hợp lệ; dùng DD/MM/YYYY.")
        return day

    def _unit(self, code, as_of):
        units = AdminUnit.objects.filter(official_code=code).select_related("parent")
        unit = (units.valid_on(as_of).first() if as_of else None) or units.order_by(
            "-valid_from"
        ).first()
        if unit is None:
            raise CommandError(f"Không có đơn vị hành chính mã '{code}'.")
        return unit

    def _round(self, value):
        if not value:
            return None
        found = (
            EvaluationRound.objects.select_related("plan").filter(pk=int(value)).first()
            if value.isdigit()
            else None
        )
        if found is None:
            raise CommandError(f"Không có đợt đánh giá số '{value}'.")
        return found
