"""Typography on the article HTML: rules that need the paragraph, not the line."""

from __future__ import annotations

from markdown_it.token import Token

from ..engine.hanzi import FULL_WIDTH_MARKS, is_han, unbroken_runs

# How many characters before a paragraph's closing punctuation stay on its last line, so
# that no paragraph ends with a line of one character (or one character and its mark).
KEPT_TAIL_CHARS = 2
KEEP_OPEN = '<span class="keep">'
KEEP_CLOSE = "</span>"


def _tail_start(text: str) -> int | None:
    """Where the unbreakable tail of a paragraph's last text begins.

    None when the paragraph does not end in Han characters: Western words never break
    inside, so only a Chinese paragraph can end with a lone character.
    """
    end = len(text.rstrip())
    while end > 0 and (text[end - 1] in FULL_WIDTH_MARKS or text[end - 1] in "…—.!?"):
        end -= 1
    start = max(0, end - KEPT_TAIL_CHARS)
    if start == end or not all(is_han(char) for char in text[start:end]):
        return None
    return start


def keep_paragraph_tails(tokens: list[Token]) -> None:
    """Wrap the end of each paragraph in a no-break span (styled by the layout)."""
    for index, token in enumerate(tokens):
        if token.type != "inline" or index == 0 or tokens[index - 1].type != "paragraph_open":
            continue
        children = token.children or []
        if not children or children[-1].type != "text":
            continue
        last = children[-1]
        start = _tail_start(last.content)
        if start is None or (start == 0 and len(children) > 1):
            continue  # no Chinese ending, or the tail would cross into markup
        head, tail = last.content[:start], last.content[start:]
        if not tail.strip():
            continue
        replacement = []
        if head:
            replacement.append(text_token(head))
        replacement += [html_token(KEEP_OPEN), text_token(tail), html_token(KEEP_CLOSE)]
        token.children = [*children[:-1], *replacement]


# A table cell this short and all Chinese (a region, a heading like 同比增长) stays on one
# line: the engine would otherwise give its column the width of one character.
SHORT_CELL_CHARS = 4


def keep_short_cells(tokens: list[Token]) -> None:
    """Wrap short Chinese cells in a no-break span (styled by the layout)."""
    for index, token in enumerate(tokens):
        if token.type != "inline" or index == 0:
            continue
        if tokens[index - 1].type not in ("td_open", "th_open") or not token.children:
            continue
        text = "".join(child.content for child in token.children if child.type == "text")
        if 1 < len(text) <= SHORT_CELL_CHARS and all(is_han(char) for char in text):
            token.children = [html_token(KEEP_OPEN), *token.children, html_token(KEEP_CLOSE)]


def text_token(content: str) -> Token:
    """Text the renderer escapes."""
    token = Token("text", "", 0)
    token.content = content
    return token


def html_token(content: str) -> Token:
    """Markup of bulletin's own (never the editor's), passed through as is."""
    token = Token("html_inline", "", 0)
    token.content = content
    return token


# A run this long with no space and no Han character (a pasted address, an identifier, a
# long number) may break between any two characters: it fills its line instead of leaving
# a gap before it, and never runs off the column. Shorter words keep their line breaking.
LONG_RUN = unbroken_runs(24)
LONG_RUN_OPEN = '<span class="long-run">'


def mark_long_runs(tokens: list[Token]) -> None:
    """Wrap long unbreakable runs of text in a span the layout lets break anywhere."""
    for token in tokens:
        if token.type != "inline" or not token.children:
            continue
        children = []
        for child in token.children:
            if child.type != "text" or not LONG_RUN.search(child.content):
                children.append(child)
                continue
            position = 0
            for match in LONG_RUN.finditer(child.content):
                if match.start() > position:
                    children.append(text_token(child.content[position : match.start()]))
                children += [
                    html_token(LONG_RUN_OPEN),
                    text_token(match.group()),
                    html_token(KEEP_CLOSE),
                ]
                position = match.end()
            if position < len(child.content):
                children.append(text_token(child.content[position:]))
        token.children = children
