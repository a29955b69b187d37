"""The bundled fonts and the content: which characters of it they cannot print."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from functools import cache

from bulletin.data import COVERAGE_NAME, fonts_dir
from bulletin.errors import Problem
from bulletin.i18n import _
from bulletin.text.coverage import Ranges, expand, in_ranges, parse_ranges

# Layout characters that never need a glyph.
_INVISIBLE = {"\n", "\t", "\u200b", "\u200c", "\u200d", "\ufeff"}


@cache
def covered_ranges() -> Ranges:
    """Code points every bundled font maps, from the fonts' coverage.txt."""
    return parse_ranges((fonts_dir() / COVERAGE_NAME).read_text(encoding="utf-8"))


def is_covered(codepoint: int) -> bool:
    return in_ranges(covered_ranges(), codepoint)


def covered_codepoints() -> frozenset[int]:
    """Every covered code point, expanded (for tests and tools, not the build)."""
    return expand(covered_ranges())


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
