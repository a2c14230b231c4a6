"""Every TIEUCHI_* environment variable is documented in docs/configuration.md, and only those."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
DOC = ROOT / "docs" / "configuration.md"
NAME = re.compile(r"\bTIEUCHI_[A-Z_]+")
HEADING = re.compile(r"^## (TIEUCHI_[A-Z_]+)\s*$", re.MULTILINE)


def _is_test(path: Path) -> bool:
    return "tests" in path.parts or path.name.startswith("test_") or path.name == "conftest.py"


def names_in(paths) -> dict[str, list[str]]:
    """TIEUCHI_* name -> files that mention it (a trailing "_" as in "TIEUCHI_*" is no name)."""
    found: dict[str, list[str]] = {}
    for path in paths:
        for match in NAME.findall(path.read_text(encoding="utf-8")):
            name = match.rstrip("_")
            if name != "TIEUCHI":
                found.setdefault(name, []).append(str(path.relative_to(ROOT)))
    return found


def code_names() -> dict[str, list[str]]:
    """Variables the application reads: tieuchi/**/*.py, tests excluded."""
    return names_in(p for p in sorted((ROOT / "tieuchi").rglob("*.py")) if not _is_test(p))


def tooling_names() -> dict[str, list[str]]:
    """Variables only the set-up tooling reads (scripts/, Makefile); documented, not required."""
    paths = [p for p in sorted((ROOT / "scripts").glob("*")) if p.is_file()]
    makefile = ROOT / "Makefile"
    return names_in([*paths, makefile] if makefile.exists() else paths)


def documented() -> list[str]:
    return HEADING.findall(DOC.read_text(encoding="utf-8"))


def test_the_code_reads_environment_variables():
    # Guards the regex: if it stopped matching, the two tests below would pass vacuously.
    assert {"TIEUCHI_DATA_DIR", "TIEUCHI_SECRET_KEY", "TIEUCHI_DATABASE_URL"} <= set(code_names())


def test_every_variable_the_code_reads_has_a_heading():
    headings = set(documented())
    missing = {name: files for name, files in code_names().items() if name not in headings}
    assert not missing, f"add a '## NAME' section to docs/configuration.md for: {missing}"


def test_every_heading_documents_a_variable_that_is_really_read():
    used = set(code_names()) | set(tooling_names())
    stale = [name for name in documented() if name not in used]
    assert not stale, f"docs/configuration.md documents variables nothing reads: {stale}"


def test_each_variable_is_documented_once():
    headings = documented()
    assert len(headings) == len(set(headings))


def test_the_file_convention_and_both_databases_are_explained():
    text = DOC.read_text(encoding="utf-8")
    assert "NAME_FILE" in text
    assert "postgres://user@host:5432/name" in text
    assert "SQLite is the default" in text
