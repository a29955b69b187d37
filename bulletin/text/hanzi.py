"""Character classes of Chinese text: Han, CJK, Western, and the kinds of full-width marks."""

from __future__ import annotations

import re
from functools import cache

# Between Han and Western letters or digits: a quarter em, set by the line layout (clreq.py)
# and measured by preflight, which allows for the PDF's rounding of glyph positions.
HAN_WESTERN_GAP_EM = 0.25
HAN_WESTERN_GAP_TOLERANCE_EM = 0.02

# Marks whose ink sits on the left of the em box in Simplified Chinese fonts, blank on the
# right; and the opening marks, blank on the left. `halt` removes that blank half.
CLOSING_MARKS = frozenset("，。、；：！？”’」』）》】〕〉｝］")
OPENING_MARKS = frozenset("“‘「『（《【〔〈｛［")
FULL_WIDTH_MARKS = CLOSING_MARKS | OPENING_MARKS

# 间隔号 (深圳·前海, 马克·吐温): half a character wide (GB/T 15834), no line break either side.
INTERPUNCT = "·"

# 连接号: a dash or wave dash between two numbers or dates (2024—2026年, 3～5 个, 1–3 月,
# and the full-width hyphen editors type for one, 2023－2024 年) never starts a line
# (clreq). A match is the character before the dash and the dash: the line layout allows
# no break between them, and preflight reads a line that starts with the dash against the
# end of the line before.
RANGE_DASH = re.compile("[0-9０-９%‰年月日][—–～〜－](?=[0-9０-９])")

# A Latin word long enough to hyphenate (five letters, with two on either side of the
# hyphen), not an abbreviation in capitals nor part of an address (example.org/reports):
# set in English, so that it may break with a hyphen.
_LATIN_LETTER = "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f"
LATIN_WORD = re.compile(
    f"(?<![{_LATIN_LETTER}0-9./:@_])(?=[{_LATIN_LETTER}]*[a-z\u00df-\u00ff])"
    f"[{_LATIN_LETTER}]{{5,}}(?![{_LATIN_LETTER}0-9/:@_]|\\.[{_LATIN_LETTER}0-9])"
)

HAN_RANGES = (
    "\u3005-\u3007\u3021-\u3029\u3038-\u303b\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
    "\U00020000-\U0003ffff"
)
_HAN_CHAR = re.compile(f"[{HAN_RANGES}]")
# Characters set on the ideographic grid: Han, kana, CJK and full-width punctuation, and
# the circled numbers that mark notes (①, ❶, ㉑): a note mark sits against its character.
CJK_CLASS = (
    f"{HAN_RANGES}\u2e80-\u2fff\u3000-\u30ff\u31c0-\u31ff\uff00-\uffef“”‘’—…·"
    "\u2460-\u24ff\u2776-\u2793\u3200-\u32ff"
)
_CJK_CHAR = re.compile(f"[{CJK_CLASS}]")


def unbroken_runs(min_length: int) -> re.Pattern[str]:
    """Runs of at least `min_length` characters with no space and none set on the
    ideographic grid, so no break opportunity: a pasted address, an identifier, a number."""
    return re.compile(rf"[^\s{CJK_CLASS}]{{{min_length},}}")


# Character classes are asked for every character of every line: remember the answers.
@cache
def is_han(char: str) -> bool:
    return bool(_HAN_CHAR.match(char))


@cache
def is_cjk(char: str) -> bool:
    """Han, kana, CJK and full-width punctuation: characters set on the ideographic grid."""
    return bool(_CJK_CHAR.match(char))


@cache
def is_western(char: str) -> bool:
    """Latin (and Greek, Cyrillic) letters and digits, and the signs that follow numbers."""
    return (char.isalnum() or char in "%‰°") and not is_cjk(char)


def halved_of_pair(left: str, right: str) -> int | None:
    """Of two adjacent characters, which gives up its blank half: 0 the left, 1 the right.

    Two full-width marks together take one and a half em: a closing mark loses its right
    half, else an opening mark after it its left half. None: not such a pair.
    """
    if left not in FULL_WIDTH_MARKS or right not in FULL_WIDTH_MARKS:
        return None
    if left in CLOSING_MARKS:
        return 0
    return 1 if right in OPENING_MARKS else None


def needs_han_western_gap(left: str, right: str) -> bool:
    return (is_han(left) and is_western(right)) or (is_western(left) and is_han(right))
