"""Tables in article bodies: their titles and units, kept whole when short, numbers aligned."""

from __future__ import annotations

import re

from markdown_it.token import Token

from .typography import KEEP_CLOSE, html_token, text_token

# A table of this many body rows or fewer never splits across a page turn.
SHORT_TABLE_ROWS = 10
# Pandoc's table caption: a paragraph `Table: 标题` (or `: 标题`) just before or after the
# table; a unit in braces at its end, `{单位：亿元}`, prints on a line of its own.
CAPTION = re.compile(r"^(?:[Tt]able)?:[ \t]*")
UNIT = re.compile(r"[ \t]*\{([^{}]+)\}[ \t]*$")
# The class of the row the title is set in; the engine shows the layout's 续表 there on
# each continuation of a split table (engine/continued.py).
CAPTION_CLASS = "table-caption"
CAPTION_ATTRIBUTE = "data-table-caption"
UNIT_CLASS = "table-unit"
WRAPPER_CLASS = "table"
SHORT_CLASS = "short"
UNTITLED_CLASS = "untitled"
NUMBER_CLASS = "number"
# A number in a cell: sign, digits (maybe grouped by commas), decimals, percent sign. What
# follows the units digit is its tail; the tails of a column are made as long as the
# longest by hidden digits (set in equal-width figures by the layout), so the units
# digits line up.
NUMBER = re.compile(r"[+\-−±]?(?:\d{1,3}(?:,\d{3})+|\d+)(?P<tail>(?:\.\d+)?[%‰]?)")
# Cells that stand for a number in a numeric column: left empty, a dash, an ellipsis.
PLACEHOLDERS = frozenset({"", "-", "—", "——", "–", "…", "……", "/", "／", "×"})
FIGURE_PAD_OPEN = '<span class="figure-pad" aria-hidden="true">'
FIGURE_PAD = "0"


def _caption_text(tokens: list[Token], index: int) -> bool:
    """Whether tokens[index] opens a paragraph that is a table caption."""
    if index < 0 or index + 2 >= len(tokens) or tokens[index].type != "paragraph_open":
        return False
    children = tokens[index + 1].children or []
    return (
        bool(children) and children[0].type == "text" and bool(CAPTION.match(children[0].content))
    )


def _strip_caption(inline: Token) -> tuple[Token, str]:
    """The caption's inline token without `Table:`, and the unit taken off its end."""
    children = list(inline.children or [])
    first = children[0]
    children[0] = text_token(CAPTION.sub("", first.content, count=1))
    unit = ""
    last = children[-1]
    if last.type == "text" and (match := UNIT.search(last.content)):
        unit = match.group(1).strip()
        children[-1] = text_token(last.content[: match.start()])
    stripped = Token("inline", "", 0)
    stripped.children = [c for c in children if c.type != "text" or c.content]
    stripped.content = "".join(c.content for c in stripped.children if c.type == "text")
    return stripped, unit


def _opens_table(tokens: list[Token], index: int) -> bool:
    """A caption between two tables is the title of the one after it."""
    return index < len(tokens) and tokens[index].type == "table_open"


def _tables(tokens: list[Token]) -> list[tuple[int, int]]:
    """(open, close) indices of each table."""
    spans, start = [], None
    for index, token in enumerate(tokens):
        if token.type == "table_open":
            start = index
        elif token.type == "table_close" and start is not None:
            spans.append((start, index))
    return spans


def _row_caption(tokens: list[Token], close: int) -> int | None:
    """A caption typed on the line right after the table, without a blank line, is read
    as its last row (the first cell `Table: 标题`, the rest empty): the index of its tr."""
    if tokens[close - 1].type != "tbody_close":
        return None
    end = close - 2  # tr_close
    start = max(i for i in range(end) if tokens[i].type == "tr_open")
    cells = [t for t in tokens[start:end] if t.type == "inline"]
    if len(cells) < 1 or tokens[start - 1].type == "tbody_open":
        return None  # a one-row body stays a row
    first, rest = cells[0], cells[1:]
    children = first.children or []
    text = children[0].content if children and children[0].type == "text" else ""
    if text.startswith(("Table:", "table:")) and not any(c.content for c in rest):
        return start
    return None


def table_captions(tokens: list[Token]) -> list[Token]:
    """Move each table's caption into the table: a title row (and a unit row) opening its
    header, repeated on each page a long table runs onto. Returns the new token list."""
    captions: dict[int, tuple[Token, str]] = {}  # table_open index → caption
    dropped: set[int] = set()
    rows_of: dict[int, int] = {}
    for start, close in _tables(tokens):
        rows_of[start] = _body_rows(tokens, start)
        if _caption_text(tokens, start - 3) and start - 3 not in dropped:
            captions[start] = _strip_caption(tokens[start - 2])
            dropped.update(range(start - 3, start))
        elif (row := _row_caption(tokens, close)) is not None:
            first = next(t for t in tokens[row:close] if t.type == "inline")
            captions[start] = _strip_caption(first)
            dropped.update(range(row, close - 1))
            rows_of[start] -= 1
        elif _caption_text(tokens, close + 1) and not _opens_table(tokens, close + 4):
            captions[start] = _strip_caption(tokens[close + 2])
            dropped.update(range(close + 1, close + 4))
    result: list[Token] = []
    columns = 0
    caption = None
    for index, token in enumerate(tokens):
        if index in dropped:
            continue
        if token.type == "table_open":
            caption = captions.get(index)
            columns = _columns(tokens, index)
            rows = rows_of[index]
            token.meta["class"] = WRAPPER_CLASS
            if rows <= SHORT_TABLE_ROWS:
                token.meta["class"] += f" {SHORT_CLASS}"
                if caption is None:
                    token.meta["class"] += f" {UNTITLED_CLASS}"
        result.append(token)
        if token.type == "thead_open" and (caption is not None or rows > SHORT_TABLE_ROWS):
            # A long table has the row even without a title: its continuations are
            # labelled there.
            title, unit = caption if caption is not None else (Token("inline", "", 0), "")
            result += _caption_row(title, columns, CAPTION_CLASS, {CAPTION_ATTRIBUTE: ""})
            if unit:
                inline = Token("inline", "", 0)
                inline.children = [text_token(unit)]
                result += _caption_row(inline, columns, UNIT_CLASS, {})
    return result


def _columns(tokens: list[Token], start: int) -> int:
    count = 0
    for token in tokens[start:]:
        if token.type == "th_open":
            count += 1
        elif token.type == "tr_close":
            return count
    return count


def _body_rows(tokens: list[Token], start: int) -> int:
    count = 0
    for token in tokens[start:]:
        if token.type == "table_close":
            break
        count += token.type == "tr_open"
    return count - 1  # the header row


def _caption_row(inline: Token, columns: int, kind: str, extra: dict) -> list[Token]:
    row = Token("tr_open", "tr", 1)
    row.attrs = {"class": kind, **extra}
    cell = Token("th_open", "th", 1)
    cell.attrs = {"colspan": str(columns)}
    inline.children = inline.children or []
    return [row, cell, inline, Token("th_close", "th", -1), Token("tr_close", "tr", -1)]


def _cell_text(inline: Token) -> str:
    return "".join(c.content for c in inline.children or [] if c.type == "text").strip()


def align_numbers(tokens: list[Token]) -> None:
    """Headers are centred (the editor's alignment marks are for the body). A column of
    numbers is set right, its units digits one above the other: each number's tail
    (decimals, percent sign) is padded to the column's longest by hidden figures."""
    for start, close in _tables(tokens):
        cells: dict[int, list[int]] = {}  # column → indices of its td_open tokens
        column = 0
        for index in range(start, close):
            token = tokens[index]
            if token.type == "tr_open":
                column = 0
            elif token.type == "th_open":
                token.attrs.pop("style", None)
            elif token.type == "td_open":
                cells.setdefault(column, []).append(index)
                column += 1
        for indices in cells.values():
            _align_column(tokens, indices)


def _align_column(tokens: list[Token], indices: list[int]) -> None:
    texts = [_cell_text(tokens[i + 1]) for i in indices]
    numbers = [NUMBER.fullmatch(text) for text in texts]
    kinds = zip(numbers, texts, strict=True)
    if not any(numbers) or not all(n or text in PLACEHOLDERS for n, text in kinds):
        return
    longest = max(len(n.group("tail")) for n in numbers if n)
    for index, number in zip(indices, numbers, strict=True):
        tokens[index].attrs.pop("style", None)
        tokens[index].attrSet("class", NUMBER_CLASS)
        pad = longest - len(number.group("tail")) if number else 0
        if pad:
            inline = tokens[index + 1]
            inline.children = [
                *(inline.children or []),
                html_token(FIGURE_PAD_OPEN),
                text_token(FIGURE_PAD * pad),
                html_token(KEEP_CLOSE),
            ]
