"""The template's fixed layout and limits, shared by the writer and the reader."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from openpyxl.utils import get_column_letter

FORMAT = "tieuchi-import-1"
DATA_SHEET = "Số liệu"
HELP_SHEET = "Hướng dẫn"
META_SHEET = "_meta"
LISTS_SHEET = "_lists"

# Uploads are refused before anything is parsed (settings.MAX_UPLOAD_MB, documented).
MAX_UPLOAD_BYTES = settings.MAX_UPLOAD_MB * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 400 * 1024 * 1024  # a 100,000-row template expands to about 60 MiB
MAX_RATIO = 100  # uncompressed / compressed, for the whole archive and for any large member
MAX_MEMBERS = 200

TITLE_ROW = 1
SUBTITLE_ROW = 2
NOTE_ROW = 3
HEADER_ROW = 4
FIRST_ROW = 5


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    width: float
    hidden: bool = False

    @property
    def index(self) -> int:
        return COLUMNS.index(self)

    @property
    def letter(self) -> str:
        return get_column_letter(self.index + 1)


COLUMNS = (
    Column("unit_name", "Đơn vị", 22),
    Column("code", "Mã", 8),
    Column("name", "Nội dung chỉ tiêu", 60),
    Column("unit_of_measure", "Đơn vị tính", 12),
    Column("previous", "Kỳ trước", 18),
    Column("numerator", "Tử số", 13),
    Column("denominator", "Mẫu số", 13),
    Column("value", "Giá trị", 15),
    Column("result", "Đạt / Mức", 24),
    Column("status", "Trạng thái", 16),
    # Hidden, locked and covered by the checksum: which figure each row is.
    Column("unit_code", "unit_code", 4, hidden=True),
    Column("measure_id", "measure_id", 4, hidden=True),
    Column("measure_code", "measure_code", 4, hidden=True),
    Column("version", "version", 4, hidden=True),
    Column("original", "original", 4, hidden=True),
)
COL = {column.key: column for column in COLUMNS}
INPUT_KEYS = ("numerator", "denominator", "value", "result")

# Which input columns a measure kind uses; the others stay locked and grey.
RATIO_KINDS = frozenset({"ratio"})
BOOLEAN_KINDS = frozenset({"boolean"})
LEVEL_KINDS = frozenset({"level"})
VALUE_KINDS = frozenset(
    {"count", "zero_events", "benchmark", "trend", "range", "reduction", "streak"}
)
# Titles come from recognition decisions (TitleAward), not from figures: not in the template.
TEMPLATE_KINDS = RATIO_KINDS | BOOLEAN_KINDS | LEVEL_KINDS | VALUE_KINDS


def input_keys(kind: str) -> tuple[str, ...]:
    if kind in RATIO_KINDS:
        return ("numerator", "denominator")
    if kind in BOOLEAN_KINDS or kind in LEVEL_KINDS:
        return ("result",)
    return ("value",)


# Unit level → the measures it reports (Measure.collected_at).
COLLECTED_AT = {"commune": "ward", "residential_group": "residential_group"}
