"""An official document (Nghị định 30/2020/NĐ-CP) as plain data, before it becomes a .docx.

Builders (`tieuchi.reports.kinds.*`, the plan table in `tieuchi.plans.docx_export`) turn stored
data into an `OfficialDocument`; one renderer (`tieuchi.core.nd30.docx_render`) lays every
document out the same way: A4, Times New Roman, the margins, the issuing body and the national
motto, number and symbol, place and date, title, body, "Nơi nhận", the signature block and page
numbers. Keeping the content apart from the layout lets the
tests check the figures without parsing Word, and the read-back tests check the layout once.
Pure: no Django.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Paragraph:
    text: str
    bold: bool = False
    italic: bool = False
    align: str = "justify"  # "justify" | "center" | "left" | "right"
    first_line_indent: bool = True  # body paragraphs are indented 1 cm (NĐ 30, Phụ lục I)


@dataclass(frozen=True)
class Heading:
    """A section title inside the body, such as "I. KẾT QUẢ THỰC HIỆN"."""

    text: str
    level: int = 1  # 1: bold capitals; 2: bold; 3: bold italic


@dataclass(frozen=True)
class Table:
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths_mm: tuple[float, ...] | None = None  # None: spread over the text width
    bold_rows: frozenset[int] = frozenset()  # indices of rows set in bold (criterion lines)
    font_size_pt: float = 12  # tables may be smaller than the body (NĐ 30 allows 11–13)
    column_align: tuple[str, ...] | None = None  # per column, as Paragraph.align; None: left
    # Columns whose empty cells continue the cell above, merged vertically as Source A writes
    # a criterion's name once beside all its sub-criteria.
    merge_down: tuple[int, ...] = ()


@dataclass(frozen=True)
class Image:
    png: bytes
    width_mm: float
    caption: str = ""


Block = Paragraph | Heading | Table | Image


@dataclass(frozen=True)
class Signer:
    """The signature block: "TM. ỦY BAN NHÂN DÂN" / "KT. CHỦ TỊCH" / "PHÓ CHỦ TỊCH" / name."""

    authority: str  # "TM. ỦY BAN NHÂN DÂN" ("" when a person signs in their own name)
    position: str  # "CHỦ TỊCH", or "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH"
    name: str  # "Nguyễn Văn Đông"; "" leaves the space for a hand-written name


@dataclass(frozen=True)
class OfficialDocument:
    parent_body: str  # cơ quan chủ quản, e.g. "UBND QUẬN LONG BIÊN" ("" when none)
    issuing_body: str  # e.g. "ỦY BAN NHÂN DÂN PHƯỜNG GIANG BIÊN"
    number: str  # "125"; "" leaves "Số:      /BC-UBND" to be filled by hand
    symbol: str  # "BC-UBND", "KH-UBND", "TTr-UBND", "QĐ-UBND", "BB-ĐKT"
    place: str  # "Giang Biên"
    date: datetime.date | None  # None leaves "ngày    tháng    năm" to be filled by hand
    kind_title: str  # "BÁO CÁO", "KẾ HOẠCH", "TỜ TRÌNH", "QUYẾT ĐỊNH", "BIÊN BẢN"
    summary: str  # trích yếu: "Kết quả xây dựng phường đạt chuẩn đô thị văn minh năm 2023"
    blocks: tuple[Block, ...]
    addressees: tuple[str, ...]  # "Kính gửi:" lines (reports and proposals upward); () for none
    recipients: tuple[str, ...]  # "Nơi nhận" lines, e.g. ("UBND quận Long Biên;", "Lưu: VT.")
    signer: Signer
    landscape: bool = False  # wide appendix tables may use A4 landscape
    file_name: str = "van-ban.docx"
    appendix: tuple[Block, ...] = field(default=())  # "Phụ lục" after the signature, new page
    appendix_landscape: bool = False  # the appendix section on A4 landscape (wide tables)

    @property
    def number_line(self) -> str:
        """ "Số: 125/BC-UBND", "Số: 08/BC-UBND" (below 10 with a leading 0, NĐ 30 ô 3), or
        "Số:      /BC-UBND" when the number is given by hand later."""
        number = self.number.strip()
        if number.isdigit() and int(number) < 10:
            number = f"{int(number):02d}"
        return f"Số: {number or '     '}/{self.symbol}"

    def place_date_line(self) -> str:
        """ "Giang Biên, ngày 30 tháng 11 năm 2023": days below 10 and months 1–2 get a leading 0
        (NĐ 30 Phụ lục I, ô 4)."""
        if self.date is None:
            return f"{self.place}, ngày     tháng     năm     "
        day = f"{self.date.day:02d}" if self.date.day < 10 else str(self.date.day)
        month = f"{self.date.month:02d}" if self.date.month < 3 else str(self.date.month)
        return f"{self.place}, ngày {day} tháng {month} năm {self.date.year}"
