"""Article markup within what the engine sets in bounded time: no endless word, no emphasis
nested hundreds deep, no table hundreds of columns wide."""

from __future__ import annotations

import re

from bulletin.errors import Problem
from bulletin.i18n import _
from bulletin.text.hanzi import unbroken_runs

# A run of characters with no space and no Han character in it (a pasted address, a number)
# is set by searching its breaks again on every line: time grows with its length squared.
MAX_RUN_CHARS = 2000
# Emphasis, links and other inline markup inside one another.
MAX_NESTING = 20
MAX_TABLE_COLUMNS = 30

_LONG_RUN = unbroken_runs(MAX_RUN_CHARS + 1)
# Only a body with these can nest deeply or hold a table; others need no parsing.
_DEEP_MARKUP = re.compile(r"[*_~\[]{6,}|\|")


def markup_problems(path: str, body: str, first_line: int, parse) -> list[Problem]:
    """Located problems of an article body; `parse` turns Markdown into tokens."""
    problems = []
    for number, text in enumerate(body.split("\n")):
        if match := _LONG_RUN.search(text):
            message = _(
                "a run of {count} characters without a space; at most {limit}: "
                "put spaces in it, or shorten it"
            ).format(count=len(match.group()), limit=MAX_RUN_CHARS)
            problems.append(Problem(path, first_line + number, "body", message))
    if not _DEEP_MARKUP.search(body):
        return problems
    tokens = parse(body)
    for token in tokens:
        line = first_line + (token.map[0] if token.map else 0)
        if token.type == "inline" and _nesting(token.children or []) > MAX_NESTING:
            message = _("markup nested more than {limit} deep (emphasis in emphasis …)").format(
                limit=MAX_NESTING
            )
            problems.append(Problem(path, line, "body", message))
    problems += _wide_tables(path, tokens, first_line)
    return problems


def _nesting(children) -> int:
    depth = deepest = 0
    for child in children:
        if child.nesting == 1:
            depth += 1
            deepest = max(deepest, depth)
        elif child.nesting == -1:
            depth -= 1
    return deepest


def _wide_tables(path: str, tokens, first_line: int) -> list[Problem]:
    problems = []
    columns = 0
    for token in tokens:
        if token.type == "tr_open":
            columns = 0
        elif token.type in ("th_open", "td_open"):
            columns += 1
        elif token.type == "tr_close" and columns > MAX_TABLE_COLUMNS:
            line = first_line + (token.map[0] if token.map else 0)
            message = _("a table of {count} columns; at most {limit}").format(
                count=columns, limit=MAX_TABLE_COLUMNS
            )
            problems.append(Problem(path, line, "body", message))
            break
    return problems
