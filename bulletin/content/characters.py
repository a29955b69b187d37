"""Characters a value may not carry to the page: control characters and text-direction marks."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from bulletin.i18n import _

# Text-direction controls: invisible, and they reorder what a reader and a copy of the PDF see.
BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
# C0 and C1 control characters (and DEL). Tab and newline are plain whitespace where they
# were typed as such; everywhere else they are controls too.
CONTROLS = frozenset(chr(c) for c in [*range(0x20), 0x7F, *range(0x80, 0xA0)])
WHITESPACE_CONTROLS = frozenset("\t\n")
# Unicode's line and paragraph separators: invisible, pasted from the web, and read as line
# ends by YAML but not by anyone else, so every line number after them would be wrong.
LINE_SEPARATORS = frozenset("\u2028\u2029")
FORBIDDEN = CONTROLS | BIDI_CONTROLS | LINE_SEPARATORS
_ANY_BAD = re.compile("[" + re.escape("".join(sorted(FORBIDDEN))) + "]")


def describe(char: str) -> str:
    """What is wrong with a forbidden character and what to do, for an editor."""
    code = f"U+{ord(char):04X}"
    if char in BIDI_CONTROLS:
        name = f"{code} {unicodedata.name(char, 'direction mark')}"
        return _("an invisible direction mark ({name}) that reorders the text; remove it").format(
            name=name
        )
    if char in LINE_SEPARATORS:
        name = f"{code} {unicodedata.name(char)}"
        return _("an invisible line break ({name}); remove it, or start a new line instead").format(
            name=name
        )
    return _("an invisible control character ({code}) that cannot be printed; remove it").format(
        code=code
    )


def forbidden_characters(text: str, typed: str = "") -> Iterator[str]:
    """Each forbidden character of `text` once, in order.

    Tab and newline pass only when `typed` (the text as written in the file) holds them too:
    typed whitespace is whitespace, an escape such as "\\t" is a control character.
    """
    seen: set[str] = set()
    for match in _ANY_BAD.finditer(text):
        char = match.group()
        if char in seen or (char in WHITESPACE_CONTROLS and char in typed):
            continue
        seen.add(char)
        yield char


def body_texts(body: str, first_line: int) -> list[tuple[int, str]]:
    """Every line of a Markdown body as (line, text), plus what its entities decode to.

    The raw lines carry every character typed; a Markdown entity (&#x202E;, &#x1F600;) only
    becomes its character when parsed, so bodies holding '&' are parsed and each decoded
    character that was not typed is given the line of the entity that made it.
    """
    lines = body.split("\n")
    texts = [(first_line + index, line) for index, line in enumerate(lines)]
    if "&" in body:
        texts.extend(_decoded_entities(body, lines, first_line))
    return texts


def _decoded_entities(body: str, lines: list[str], first_line: int) -> list[tuple[int, str]]:
    from markdown_it.common.utils import unescapeAll

    from bulletin.text.markdown import markdown_parser

    found = []
    for block in markdown_parser().parse(body):
        if block.type != "inline" or not block.map:
            continue
        start, end = block.map
        typed = set("".join(lines[start:end]))
        made = {char for char in _printed(block.children or []) if char not in typed}
        if not made:
            continue
        for index in range(start, end):
            if "&" in lines[index]:
                decoded = "".join(c for c in unescapeAll(lines[index]) if c in made)
                if decoded:
                    found.append((first_line + index, decoded))
    return found


def _printed(children) -> str:
    """The text of inline tokens as it reaches the page, entities decoded."""
    parts = []
    for child in children:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        if child.children:
            parts.append(_printed(child.children))
    return "".join(parts)
