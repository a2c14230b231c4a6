"""Vietnamese text helpers: accent-insensitive keys for matching names written in many ways."""

import re
import unicodedata

# Greek and Cyrillic look-alikes that OCR puts into Vietnamese words ("Quέ" for "Quế").
_LOOKALIKES = str.maketrans({"έ": "e", "ε": "e", "ο": "o", "α": "a", "е": "e", "о": "o", "а": "a"})
_SPACES = re.compile(r"\s+")


def strip_accents(text: str) -> str:
    """Remove Vietnamese diacritics: "Đức Giang" -> "Duc Giang"."""
    decomposed = unicodedata.normalize("NFD", text.translate(_LOOKALIKES))
    without = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return without.replace("đ", "d").replace("Đ", "D")


def match_key(text: str) -> str:
    """A key for comparing names: no accents, lower case, single spaces, no trailing punctuation."""
    key = strip_accents(unicodedata.normalize("NFC", text)).lower()
    key = key.replace("–", "-").replace("—", "-")
    key = _SPACES.sub(" ", key).strip(" .;:,")
    return key


def split_parties(text: str) -> list[str]:
    """Split a cell listing units: separated by ";", ",", " và ", new lines or list dashes."""
    if not text:
        return []
    parts = re.split(r"[;,\n]|\s+và\s+|^\s*-\s+", text, flags=re.MULTILINE)
    return [_SPACES.sub(" ", part).strip(" .-") for part in parts if part and part.strip(" .-")]


def exact_key(text: str) -> str:
    """Like match_key but keeps the accents: for telling apart names that differ only by them."""
    key = unicodedata.normalize("NFC", text).lower().replace("–", "-").replace("—", "-")
    return _SPACES.sub(" ", key).strip(" .;:,")
