"""Typography on the article HTML: rules that need the paragraph, not the line."""

from __future__ import annotations

from markdown_it.token import Token

from bulletin.text.hanzi import FULL_WIDTH_MARKS, LATIN_WORD, is_han, unbroken_runs

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
# a gap before it, and never runs off the column. Shorter words keep their line breaking;
# a long Latin word is hyphenated instead (mark_latin_words).
LONG_RUN = unbroken_runs(24)
LONG_RUN_OPEN = '<span class="long-run">'
LATIN_OPEN = '<span lang="en">'


def _is_word(run: str) -> bool:
    """A long run that is one Latin word, maybe with its punctuation: hyphenated, not broken."""
    return LATIN_WORD.fullmatch(run.rstrip(".,;:!?)'\"")) is not None


def _wrap_matches(children: list[Token], matches, opening: str) -> list[Token]:
    """The text children with each match of `matches(text)` wrapped in a span of bulletin's."""
    wrapped: list[Token] = []
    for child in children:
        found = list(matches(child.content)) if child.type == "text" else []
        if not found:
            wrapped.append(child)
            continue
        position = 0
        for start, end in found:
            if start > position:
                wrapped.append(text_token(child.content[position:start]))
            wrapped += [
                html_token(opening),
                text_token(child.content[start:end]),
                html_token(KEEP_CLOSE),
            ]
            position = end
        if position < len(child.content):
            wrapped.append(text_token(child.content[position:]))
    return wrapped


def mark_long_runs(tokens: list[Token]) -> None:
    """Wrap long unbreakable runs of text in a span the layout lets break anywhere."""

    def runs(text: str):
        return [m.span() for m in LONG_RUN.finditer(text) if not _is_word(m.group())]

    for token in tokens:
        if token.type == "inline" and token.children:
            token.children = _wrap_matches(token.children, runs, LONG_RUN_OPEN)


def mark_latin_words(tokens: list[Token]) -> None:
    """Wrap Latin words long enough to hyphenate in an English span (hyphenated by the
    layout). Not in a long run, which breaks anywhere, nor in a table cell, whose columns
    are measured by their words."""
    for index, token in enumerate(tokens):
        if token.type != "inline" or not token.children:
            continue
        if index and tokens[index - 1].type in ("td_open", "th_open"):
            continue
        wrapped: list[Token] = []
        for child in token.children:
            opened = wrapped[-1] if wrapped else None
            if opened and opened.type == "html_inline" and opened.content == LONG_RUN_OPEN:
                wrapped.append(child)
            else:
                wrapped += _wrap_matches([child], _latin_words, LATIN_OPEN)
        token.children = wrapped


def _latin_words(text: str):
    return [m.span() for m in LATIN_WORD.finditer(text)]
