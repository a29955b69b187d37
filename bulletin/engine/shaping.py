"""What a run of text needs when shaped (clreq): half-width marks, full-width dashes, no breaks."""

from __future__ import annotations

import re

from bulletin.text.hanzi import (
    CLOSING_MARKS,
    FULL_WIDTH_MARKS,
    HAN_RANGES,
    INTERPUNCT,
    RANGE_DASH,
    halved_of_pair,
)

# A number and the Han unit after it stay on one line: 2024年, 5 个, 3.5万亿元.
_NUMBER_UNIT = re.compile(f"[0-9%‰] ?[{HAN_RANGES}]")
# Names joined by an interpunct (马克·吐温) break on neither side of it.
_AROUND_INTERPUNCT = re.compile(f"(?=(.{INTERPUNCT}.?))")
_MARKS_CLASS = "".join(sorted(FULL_WIDTH_MARKS))
_MARK_PAIR = re.compile(f"(?=[{_MARKS_CLASS}][{_MARKS_CLASS}])")
_DOUBLE_DASH = re.compile("——+")


def compressed_marks(text: str) -> set[int]:
    """Indices of marks set half-width because they touch another full-width mark."""
    halved: set[int] = set()
    for match in _MARK_PAIR.finditer(text):
        index = match.start()
        which = halved_of_pair(text[index], text[index + 1])
        if which is not None:
            halved.add(index + which)
    return halved


def shaping_spans(text: str, halve_last: bool = False) -> list[tuple[str, int, int]]:
    """(kind, first char, end char) of the attributes this text needs when shaped.

    Kinds: OpenType features ("halt", "fwid", or "fwid+halt" for both), or "keep": no line
    break inside the span.
    """
    spans = [("halt", i, i + 1) for i in sorted(compressed_marks(text))]
    if (
        halve_last
        and text
        and text[-1] in CLOSING_MARKS
        and len(text) - 1 not in {i for _, i, _ in spans}
    ):
        spans.append(("halt", len(text) - 1, len(text)))
    spans += [("fwid", m.start(), m.end()) for m in _DOUBLE_DASH.finditer(text)]
    # The interpunct half a character wide, its ink centred: the full-width glyph, halved.
    spans += [("fwid+halt", m.start(), m.end()) for m in re.finditer(INTERPUNCT, text)]
    spans += [("keep", m.start(), m.end()) for m in _NUMBER_UNIT.finditer(text)]
    spans += [("keep", m.start(), m.end(1)) for m in _AROUND_INTERPUNCT.finditer(text)]
    spans += [("keep", m.start(), m.end()) for m in RANGE_DASH.finditer(text)]
    return spans
