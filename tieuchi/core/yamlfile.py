"""Read YAML while remembering line numbers, so errors can say "dòng 42, khóa 'value'"."""

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml


class LineDict(dict):
    """A mapping that knows the line of itself and of each key (1-based)."""

    line: int = 0
    key_lines: dict[str, int]


class LineList(list):
    line: int = 0


class _LineLoader(yaml.SafeLoader):
    def construct_mapping(self, node, deep=False):
        mapping = LineDict(super().construct_mapping(node, deep=True))
        mapping.line = node.start_mark.line + 1
        mapping.key_lines = {
            str(key_node.value): key_node.start_mark.line + 1 for key_node, _ in node.value
        }
        return mapping

    def construct_sequence(self, node, deep=False):
        sequence = LineList(super().construct_sequence(node, deep=True))
        sequence.line = node.start_mark.line + 1
        return sequence


_LineLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _LineLoader.construct_mapping
)
_LineLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _LineLoader.construct_sequence
)


@dataclass
class Problem:
    line: int
    key: str
    message: str

    def format(self, filename: str) -> str:
        where = f"{filename}, dòng {self.line}" if self.line else filename
        key = f", khóa '{self.key}'" if self.key else ""
        return f"{where}{key}: {self.message}"


@dataclass
class DataFileError(Exception):
    """A data file was refused; `problems` lists every problem found, not only the first."""

    filename: str
    problems: list[Problem] = field(default_factory=list)

    def __str__(self) -> str:
        lines = [f"Tệp {self.filename} không hợp lệ ({len(self.problems)} lỗi), chưa nạp gì:"]
        lines += [f"  - {problem.format(self.filename)}" for problem in self.problems]
        return "\n".join(lines)


def read_yaml(path: Path) -> Any:
    """Parse a YAML file; syntax errors become a DataFileError with the line."""
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise DataFileError(name, [Problem(0, "", "không tìm thấy tệp")]) from exc
    except UnicodeDecodeError as exc:
        raise DataFileError(name, [Problem(0, "", "tệp không phải văn bản UTF-8")]) from exc
    try:
        return yaml.load(text, Loader=_LineLoader)  # noqa: S506 - SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = mark.line + 1 if mark else 0
        raise DataFileError(name, [Problem(line, "", f"lỗi cú pháp YAML: {exc.problem}")]) from exc
    except yaml.YAMLError as exc:
        raise DataFileError(name, [Problem(0, "", f"lỗi cú pháp YAML: {exc}")]) from exc


def line_of(mapping: Any, key: str | None = None) -> int:
    if isinstance(mapping, LineDict):
        if key is not None and key in mapping.key_lines:
            return mapping.key_lines[key]
        return mapping.line
    return getattr(mapping, "line", 0)
