"""Every management command tieuchi defines is documented in docs/cli.md as `tieuchi <name>`."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
DOC = ROOT / "docs" / "cli.md"


def project_commands() -> list[str]:
    files = (ROOT / "tieuchi").glob("*/management/commands/*.py")
    return sorted(path.stem for path in files if not path.name.startswith("_"))


def test_the_project_defines_commands():
    # Guards the glob: if it stopped matching, the test below would pass vacuously.
    assert {"demo", "seed_demo", "load_catalog", "load_plan", "export"} <= set(project_commands())


def test_every_command_is_documented_as_tieuchi_name():
    text = DOC.read_text(encoding="utf-8")
    missing = [
        name
        for name in project_commands()
        if not re.search(rf"`tieuchi {re.escape(name)}[`\s]", text)
    ]
    assert not missing, f"document these in docs/cli.md as `tieuchi <name>`: {missing}"
