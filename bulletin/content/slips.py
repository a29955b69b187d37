"""Slips editors make in fields (full-width marks, tabs, unquoted colons), named in plain words."""

from __future__ import annotations

import re

from bulletin.content.characters import CONTROLS, LINE_SEPARATORS, WHITESPACE_CONTROLS, describe
from bulletin.i18n import N_, _

KEY = r"[A-Za-z_][A-Za-z0-9_-]*"
_KEY_LINE = re.compile(rf"^({KEY})([ \t\u3000]*)([:：])(.?)(.*)$")
_INDENTED_FIELD = re.compile(rf"^([ \t\u3000]+)(?:({KEY})\s*[:：]|-(?:\s|$))")
_FIELD = re.compile(rf"^\s*(?:-\s+)?({KEY})\s*[:：]")
_VALUE = re.compile(rf"^\s*(?:-\s+|({KEY})\s*:\s+)(\S.*?)\s*$")
# Characters a line of fields may not hold wherever it is (YAML refuses them, or counts
# lines differently from everyone else).
_UNREADABLE = re.compile(
    "["
    + re.escape("".join(sorted((CONTROLS - WHITESPACE_CONTROLS) | LINE_SEPARATORS)))
    + "\ufffe\uffff]"
)
FULL_WIDTH_QUOTES = "＂＇"
CURLY_QUOTES = {"“": "”", "‘": "’"}
SPECIAL_STARTS = "*&!%@`"
DASHES = frozenset("-－—–―─━‐‑‒﹣")
GENERIC = N_(
    'cannot be read as "name: value"; put a value that holds ": ", brackets or quotes '
    'inside plain quotes "…"'
)


def key_on(line: str) -> str | None:
    """The field name a line starts with, if it starts with one."""
    match = _FIELD.match(line)
    return match.group(1) if match else None


def line_slips(text: str) -> list[tuple[int, str | None, str]]:
    """(line index, field, message) of every line with a slip that is wrong wherever it is."""
    found = []
    for index, line in enumerate(text.split("\n")):
        if slip := _slip(line):
            found.append((index, *slip))
    return found


def _slip(line: str) -> tuple[str | None, str] | None:
    if bad := _UNREADABLE.search(line):
        return key_on(line), describe(bad.group())
    if match := _INDENTED_FIELD.match(line):
        indent, key = match.group(1), match.group(2)
        if "\t" in indent:
            return key, _(
                "a tab at the start of the line; remove it (indent with spaces, never tabs)"
            )
        if "\u3000" in indent:
            return key, _('a full-width space "\u3000" at the start of the line; delete it')
    match = _KEY_LINE.match(line)
    if match is None:
        return None
    key, gap, colon, after, rest = match.groups()
    if colon == "：":
        return key, _('a full-width colon "：" after "{key}"; type a plain colon ":"').format(
            key=key
        )
    if "\u3000" in gap:
        return key, _('a full-width space "\u3000" after "{key}"; delete it').format(key=key)
    if after == "\u3000":
        return key, _('a full-width space "\u3000" after "{key}:"; type a plain space " "').format(
            key=key
        )
    if after == "\t":
        return key, _('a tab after "{key}:"; type a plain space " "').format(key=key)
    value = (after + rest).strip()
    if value and value[0] in FULL_WIDTH_QUOTES:
        return key, _(
            'a full-width quote "{quote}" around the value; to quote a value type plain '
            'quotes "…", or leave the quotes out'
        ).format(quote=value[0])
    return None


def diagnose(text: str, line_index: int) -> tuple[int, str | None, str]:
    """Where a file that could not be read went wrong, and the fix, in an editor's words.

    The reader stops where the text stopped making sense, which is often a line after the
    slip (an unclosed bracket); the slip is looked for on that line, then on the one before,
    then further up for anything opened and never closed.
    """
    lines = text.split("\n")
    line_index = max(0, min(line_index, len(lines) - 1))
    for index in range(line_index, -1, -1):
        found = _suspect(lines[index], nearby=index >= line_index - 1)
        if found:
            return index, *found
    return line_index, key_on(lines[line_index]), _(GENERIC)


def _suspect(line: str, *, nearby: bool) -> tuple[str | None, str] | None:
    if nearby and (found := _field_line(line)):
        return found
    match = _VALUE.match(line)
    if match is None:
        return None
    key, value = match.groups()
    first = value[0]
    if first == "#":
        return None
    fix = _("put the whole value in quotes: {fix}").format(fix=_quoted(key, value))
    if first in "[{":
        closed, trailing = _brackets(value)
        if not closed:
            return key, _('a bracket "{bracket}" that is never closed; remove it, or {fix}').format(
                bracket=first, fix=fix
            )
        if trailing and nearby:
            if first == "[":
                message = _('a value starting with a bracket "{bracket}" is read as a list; {fix}')
            else:
                message = _(
                    'a value starting with a bracket "{bracket}" is read as a set of fields; {fix}'
                )
            return key, message.format(bracket=first, fix=fix)
        return None
    if first in "\"'":
        if len(value) == 1 or not value.endswith(first):
            return key, _(
                "the quote {quote} before the value is never closed; add one after it"
            ).format(quote=first)
        return None
    if not nearby:
        return None
    if first in CURLY_QUOTES and _has_colon(value):
        closing = CURLY_QUOTES[first]
        inner = value[1:-1] if value.endswith(closing) else value
        return key, _(
            "curly quotes {opening} {closing} do not protect a colon in the value; type plain "
            'quotes "…" instead: {fix}'
        ).format(opening=first, closing=closing, fix=_quoted(key, inner))
    if first in SPECIAL_STARTS:
        return key, _('a value starting with "{char}" has a special meaning here; {fix}').format(
            char=first, fix=fix
        )
    if _has_colon(value):
        return key, _('a colon and a space ": " inside the value; {fix}').format(fix=fix)
    return None


def _field_line(line: str) -> tuple[str | None, str] | None:
    """A line at the left edge that should be "name: value" but is not."""
    if not line.strip() or line[0].isspace() or line.startswith(("#", "-", "[", "{", "...")):
        return None
    name = re.match(KEY, line)
    key = name.group() if name else None
    if ":" not in line and "：" not in line:
        return key, _('no colon after the field name; write the line as "name: value"')
    if key and re.match(rf"{KEY}:\S", line):
        return key, _('no space after "{key}:"; type a space after the colon').format(key=key)
    return None


def _has_colon(value: str) -> bool:
    return ": " in value or value.endswith(":")


def _brackets(value: str) -> tuple[bool, bool]:
    """(whether the opening bracket closes, whether text follows the closing one)."""
    depth = 0
    for index, char in enumerate(value):
        depth += char in "[{"
        depth -= char in "]}"
        if depth == 0:
            rest = value[index + 1 :].strip()
            return True, bool(rest) and not rest.startswith("#")
    return False, False


def _quoted(key: str | None, value: str) -> str:
    shown = value if len(value) <= 30 else value[:30] + "…"
    quoted = '"' + shown.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return f"{key}: {quoted}" if key else f"- {quoted}"


def dash_line(line: str) -> bool:
    """A line meant as '---', typed with other dashes or another count of them."""
    text = line.strip()
    return len(text) >= 2 and text != "---" and set(text) <= DASHES
