"""Characters a value may not carry to the page: controls, direction marks, invisible ones."""

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
# Code points that are not text: Unicode's noncharacters (U+FFFF, U+FDD0…) and the lone
# surrogates a YAML escape can make. XML cannot carry them, and the site's feed and sitemap
# and the PDF's metadata are XML.
NOT_TEXT = frozenset(
    [chr(c) for c in [*range(0xD800, 0xE000), *range(0xFDD0, 0xFDF0)]]
    + [chr(plane + last) for plane in range(0, 0x110000, 0x10000) for last in (0xFFFE, 0xFFFF)]
)
FORBIDDEN = CONTROLS | BIDI_CONTROLS | LINE_SEPARATORS | NOT_TEXT
_ANY_BAD = re.compile("[" + re.escape("".join(sorted(FORBIDDEN))) + "]")
# Other format characters (Unicode category Cf): zero-width space and joiners, the soft
# hyphen, a byte order mark inside the text, word joiners. They print as nothing and are
# lost from the PDF's text, so a title of them looks empty and a search finds no word.
FORMAT = "Cf"


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
    if char in NOT_TEXT:
        return _(
            "a code point that is not a character ({code}), which XML (the site's feed and "
            "sitemap, the PDF's metadata) cannot carry; remove it"
        ).format(code=code)
    return _("an invisible control character ({code}) that cannot be printed; remove it").format(
        code=code
    )


def describe_invisible(char: str) -> str:
    """What is wrong with an invisible format character and what to do, for an editor."""
    return _(
        "an invisible character ({name}) that prints as nothing and is lost from the PDF's "
        "text; remove it"
    ).format(name=code_point(char))


def code_point(char: str) -> str:
    """U+200B ZERO WIDTH SPACE: a character by its number and, when it has one, its name."""
    name = unicodedata.name(char, "")
    return f"U+{ord(char):04X} {name}" if name else f"U+{ord(char):04X}"


def code_points(text: str) -> str:
    """上海 → U+4E0A U+6D77: each character's number, to tell apart look-alikes."""
    return " ".join(f"U+{ord(char):04X}" for char in text)


def invisible_characters(text: str) -> Iterator[str]:
    """Each format character of `text` that is not already forbidden, once, in order."""
    if text.isprintable():  # the common case: false for every format character
        return
    seen: set[str] = set()
    for char in text:
        if char in seen or char in FORBIDDEN or unicodedata.category(char) != FORMAT:
            continue
        seen.add(char)
        yield char


def blank(text: str) -> bool:
    """Whether a reader sees nothing of `text`: only whitespace and format characters."""
    return not any(not c.isspace() and unicodedata.category(c) != FORMAT for c in text)


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
