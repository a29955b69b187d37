"""The bundled fonts: which characters of the content they cannot print."""

from __future__ import annotations

import unicodedata
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
def covered_codepoints() -> frozenset[int]:
    """Codepoints every bundled font maps, read from coverage.txt (made with the fonts)."""
    points: set[int] = set()
    for raw in (fonts_dir() / COVERAGE_NAME).read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        first, _dash, last = line.partition("-")
        points.update(range(int(first, 16), int(last or first, 16) + 1))
    return frozenset(points)


def uncovered_characters(texts: Iterable[tuple[str, int, str]]) -> list[Problem]:
    """One problem per file, line and missing character: it would fall back or print as a box.

    `texts` are the values that reach the page, each as (file, line, text): parsed, so a
    character written as a YAML escape or a Markdown entity is checked as the character.
    """
    covered = covered_codepoints()
    problems = []
    seen: set[tuple[str, int, str]] = set()
    for display, number, text in texts:
        for char in text:
            if char in _INVISIBLE or ord(char) in covered or (display, number, char) in seen:
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
