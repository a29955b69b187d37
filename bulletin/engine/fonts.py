"""The bundled fonts: which characters of the content they cannot print."""

from __future__ import annotations

import unicodedata
from bisect import bisect_right
from collections.abc import Iterable
from functools import cache

from ..data import fonts_dir
from ..errors import Problem
from ..i18n import _

COVERAGE_NAME = "coverage.txt"
FONT_FILES = (
    "NotoSerifSC-Regular.otf",
    "NotoSerifSC-Bold.otf",
    "NotoSansSC-Regular.otf",
    "NotoSansSC-Bold.otf",
)
# The 楷体 face that sets emphasis (Han characters only; not part of the coverage check).
EMPHASIS_FONT = "BulletinKai-Regular.ttf"
# Layout characters that never need a glyph.
_INVISIBLE = {"\n", "\t", "\u200b", "\u200c", "\u200d", "\ufeff"}


@cache
def covered_ranges() -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Codepoints every bundled font maps, as sorted (firsts, lasts) from coverage.txt.

    Ranges, not a set: a build checks a few thousand distinct characters, and expanding
    the file into a set of every codepoint cost more than the check itself.
    """
    firsts: list[int] = []
    lasts: list[int] = []
    for raw in (fonts_dir() / COVERAGE_NAME).read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        first, _dash, last = line.partition("-")
        firsts.append(int(first, 16))
        lasts.append(int(last or first, 16))
    order = sorted(range(len(firsts)), key=firsts.__getitem__)
    return tuple(firsts[i] for i in order), tuple(lasts[i] for i in order)


def is_covered(codepoint: int) -> bool:
    firsts, lasts = covered_ranges()
    index = bisect_right(firsts, codepoint) - 1
    return index >= 0 and codepoint <= lasts[index]


def covered_codepoints() -> frozenset[int]:
    """Every covered codepoint, expanded (for tests and tools, not the build)."""
    return frozenset(
        point
        for first, last in zip(*covered_ranges(), strict=True)
        for point in range(first, last + 1)
    )


def uncovered_characters(texts: Iterable[tuple[str, int, str]]) -> list[Problem]:
    """One problem per file, line and missing character: it would fall back or print as a box.

    `texts` are the values that reach the page, each as (file, line, text): parsed, so a
    character written as a YAML escape or a Markdown entity is checked as the character.
    """
    problems = []
    seen: set[tuple[str, int, str]] = set()
    for display, number, text in texts:
        for char in dict.fromkeys(text):  # each character once, in order of appearance
            if char in _INVISIBLE or (display, number, char) in seen or is_covered(ord(char)):
                continue
            seen.add((display, number, char))
            name = unicodedata.name(char, "unnamed character")
            problems.append(
                Problem(
                    display,
                    number,
                    "text",
                    _(
                        "{char} ({code}) is not in the bundled fonts; it would print from "
                        "another font or as a blank box"
                    ).format(char=repr(char), code=f"U+{ord(char):04X} {name}"),
                )
            )
    return problems
