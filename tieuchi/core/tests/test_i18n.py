"""The interface is Vietnamese by default and fully translated to English (tieuchi/locale/en)."""

import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings

LOCALE = Path(__file__).resolve().parents[2] / "locale" / "en" / "LC_MESSAGES"
PO = LOCALE / "django.po"
MO = LOCALE / "django.mo"
PLACEHOLDER = re.compile(r"%\([a-z0-9_]+\)[sd]|%%")


def _unquote(text: str) -> str:
    return text.replace('\\"', '"').replace("\\n", "\n").replace("\\t", "\t").replace("\\\\", "\\")


def po_entries() -> list[dict[str, str]]:
    """Entries of the .po file as {"msgid": …, "msgstr": … or "msgstr[0]": …}, header left out."""
    entries = []
    for block in PO.read_text(encoding="utf-8").split("\n\n"):
        parts: dict[str, str] = {}
        current = None
        for line in block.splitlines():
            if line.startswith("#~"):  # obsolete entries are not used
                parts = {}
                break
            match = re.match(r'^(msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?) "(.*)"$', line)
            if match:
                current = match[1]
                parts[current] = _unquote(match[2])
            elif current and (match := re.match(r'^"(.*)"$', line)):
                parts[current] += _unquote(match[1])
        if parts.get("msgid"):
            entries.append(parts)
    return entries


def translations(entry: dict[str, str]) -> list[str]:
    return [value for key, value in entry.items() if key.startswith("msgstr")]


def test_the_english_catalog_exists_where_settings_look_for_it():
    assert LOCALE.parent.parent in [Path(path) for path in settings.LOCALE_PATHS]
    assert PO.exists() and MO.exists()
    assert len(po_entries()) > 100


def test_every_message_is_translated():
    empty = [entry["msgid"] for entry in po_entries() if not all(translations(entry))]
    assert not empty, f"untranslated in {PO.name}: {empty}"


def test_no_translation_is_left_fuzzy():
    text = PO.read_text(encoding="utf-8")
    assert "#, fuzzy" not in text.split('msgstr ""', 1)[1]


def test_translations_keep_the_placeholders():
    for entry in po_entries():
        expected = sorted(PLACEHOLDER.findall(entry["msgid"]))
        for value in translations(entry):
            assert sorted(PLACEHOLDER.findall(value)) == expected, entry["msgid"]


def test_the_compiled_catalog_matches_the_po_file():
    # The .mo is committed so no gettext tools are needed at run time; it must be recompiled
    # (tieuchi compilemessages -l en) whenever the .po changes.
    with MO.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = []
    for entry in po_entries():
        if "msgctxt" in entry:
            continue
        if "msgid_plural" in entry:
            got = [compiled.ngettext(entry["msgid"], entry["msgid_plural"], n) for n in (1, 2)]
            want = [entry["msgstr[0]"], entry["msgstr[1]"]]
        else:
            got, want = [compiled.gettext(entry["msgid"])], [entry["msgstr"]]
        if got != want:
            stale.append(entry["msgid"])
    assert not stale, f"run `tieuchi compilemessages -l en`; out of date: {stale[:5]}"


def heading(response) -> str:
    match = re.search(r"<h1>(.*?)</h1>", response.content.decode(), re.DOTALL)
    assert match, "the page has no <h1>"
    return match[1].strip()


@pytest.mark.django_db
def test_the_home_page_is_english_with_the_language_cookie(login):
    client = login("dong.giangbien")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/")
    assert response.status_code == 200
    assert heading(response) == "Hello, Vũ Phương Đông"
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "<h2>Plans</h2>" in html
    assert "Xin chào" not in html


@pytest.mark.django_db
def test_an_english_browser_still_gets_vietnamese_until_the_user_chooses(login):
    client = login("dong.giangbien")
    response = client.get("/", headers={"accept-language": "en-US,en;q=0.9"})
    assert heading(response) == "Xin chào, Vũ Phương Đông"


@pytest.mark.django_db
def test_the_home_page_is_vietnamese_with_vi(login):
    client = login("dong.giangbien")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    response = client.get("/", headers={"accept-language": "en"})
    assert heading(response) == "Xin chào, Vũ Phương Đông"
    html = response.content.decode()
    assert '<html lang="vi">' in html
    assert "<h2>Kế hoạch</h2>" in html


@pytest.mark.django_db
def test_without_a_preference_the_default_language_is_used(login, settings):
    settings.LANGUAGE_CODE = "vi"  # TIEUCHI_LANGUAGE's default
    response = login("dong.giangbien").get("/")
    assert heading(response) == "Xin chào, Vũ Phương Đông"
