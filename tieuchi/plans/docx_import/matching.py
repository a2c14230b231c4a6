"""Link a raw appendix row to a catalog sub-criterion: by number first, then by text similarity.

Pure Python over plain (code, name) pairs so it can be tested without a database.
"""

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from tieuchi.core.text import match_key

# Below this a row is shown for a person to check on the review screen.
REVIEW_THRESHOLD = 0.8
# Below this a text match is no match at all.
MIN_SIMILARITY = 0.5

_LEADING_NUMBER = re.compile(r"^\s*(\d+(?:\.\d+)*)\s*[.)]?\s*")
_LEADING_LETTER = re.compile(r"^\s*([a-zđ])\)\s*")
_LETTERS = "abcdđeghiklmnopqrstuvxy"
_WORD = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True)
class Node:
    code: str
    name: str
    parent_code: str = ""
    short_name: str = ""


@dataclass
class Match:
    code: str | None
    confidence: float
    method: str  # "number", "text" or "none"
    flags: list[str] = field(default_factory=list)


def split_number(text: str) -> tuple[str | None, str]:
    """ "1.1 Quy hoạch…" -> ("1.1", "Quy hoạch…"); "a) …" -> ("1", "…"); no number -> (None, text)."""
    if match := _LEADING_NUMBER.match(text):
        return match[1], text[match.end() :]
    if match := _LEADING_LETTER.match(text.lower()):
        return str(_LETTERS.index(match[1]) + 1), text[match.end() :]
    return None, text


def similarity(first: str, second: str) -> float:
    """0..1, accent-insensitive: the mean of a character and a word difflib ratio.

    Characters alone rate short unrelated Vietnamese phrases too high (same syllables, "nh", "ng");
    words alone punish a single typo too hard; together they rank rows the way a reader does.
    """
    a, b = match_key(first), match_key(second)
    if not a or not b:
        return 0.0
    chars = SequenceMatcher(None, a, b, autojunk=False).ratio()
    words = SequenceMatcher(None, _WORD.findall(a), _WORD.findall(b), autojunk=False).ratio()
    return (chars + words) / 2


class CatalogMatcher:
    def __init__(self, criteria: list[Node], leaves: list[Node]) -> None:
        self.criteria = criteria
        self.leaves = {leaf.code: leaf for leaf in leaves}

    def criterion_code(self, group: str) -> str | None:
        """ "1. Quy hoạch đô thị" -> "1"; an unnumbered name is matched by similarity."""
        number, name = split_number(group)
        if number and any(c.code == number for c in self.criteria):
            return number
        if not name.strip():
            return None
        scored = [(similarity(name, c.name), c.code) for c in self.criteria]
        best = max(scored, default=(0.0, None))
        return best[1] if best[0] >= 0.6 else None

    def match(self, group: str, content: str) -> Match:
        criterion = self.criterion_code(group) if group else None
        number, text = split_number(content)
        code = None
        if number:
            code = number if "." in number else (f"{criterion}.{number}" if criterion else None)
        if code in self.leaves:
            leaf = self.leaves[code]
            ratio = self._ratio(text, leaf)
            if not text.strip() or ratio >= 0.5:
                return Match(code, 1.0, "number")
            best = self._best(text, criterion)
            if best and best[0] >= REVIEW_THRESHOLD and best[1] != code:
                return Match(
                    best[1],
                    round(best[0] * 0.9, 2),
                    "text",
                    [f"Số thứ tự {code} không khớp nội dung; đã khớp theo nội dung với {best[1]}"],
                )
            return Match(
                code,
                0.7,
                "number",
                [f"Số thứ tự {code} khớp nhưng nội dung khác bộ tiêu chí; cần kiểm tra"],
            )
        best = self._best(text, criterion)
        if best is None or best[0] < MIN_SIMILARITY:
            return Match(
                None, round(best[0], 2) if best else 0.0, "none", ["Chưa khớp được tiêu chí"]
            )
        confidence = round(min(best[0], 0.99), 2)
        flags = []
        if len(best) > 2 and best[0] - best[2] < 0.05:
            flags.append(f"Nội dung gần giống cả {best[1]} và {best[3]}; cần chọn đúng tiêu chí")
        elif confidence < REVIEW_THRESHOLD:
            flags.append(
                f"Khớp theo nội dung với {best[1]} (độ tin cậy {confidence:.2f}); cần kiểm tra"
            )
        return Match(best[1], confidence, "text", flags)

    def _ratio(self, text: str, leaf: Node) -> float:
        return max(similarity(text, leaf.name), similarity(text, leaf.short_name))

    def _best(self, text: str, criterion: str | None) -> tuple | None:
        """(score, code, runner-up score, runner-up code) among the criterion's leaves or all."""
        pool = [
            leaf for leaf in self.leaves.values() if criterion and leaf.parent_code == criterion
        ]
        pool = pool or list(self.leaves.values())
        if not text.strip() or not pool:
            return None
        scored = sorted(((self._ratio(text, leaf), leaf.code) for leaf in pool), reverse=True)
        if len(scored) == 1:
            return scored[0]
        return (*scored[0], *scored[1])
