"""Article bodies: the passes from Markdown tokens (text/markdown.py) to HTML."""

from __future__ import annotations

import base64
from collections.abc import Callable
from functools import cache
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.token import Token

from bulletin.text.hanzi import is_cjk
from bulletin.text.markdown import new_parser

from ..content.models import Article
from ..content.pictures import published_kind
from ..content.resources import resolve
from .tables import align_numbers, table_captions
from .typography import (
    html_token,
    keep_paragraph_tails,
    keep_short_cells,
    mark_latin_words,
    mark_long_runs,
    text_token,
)

SUBHEAD_TAG = "h4"


@cache
def html_parser() -> MarkdownIt:
    """The article parser with the renderer's own rules for HTML."""
    parser = new_parser()
    # A table sits in a box of its own, so a wide one scrolls on a phone instead of the page;
    # the box's classes say whether it may split (render/tables.py).
    parser.add_render_rule("table_open", _table_open)
    parser.add_render_rule("table_close", lambda *_: "</table></div>\n")
    return parser


def _table_open(_renderer, tokens: list[Token], index: int, *_) -> str:
    kind = tokens[index].meta.get("class", "table")
    return f'<div class="{kind}"><table>\n'


def _join_cjk_soft_breaks(tokens: list[Token]) -> None:
    """A line break inside a Chinese paragraph is not a space: drop it between CJK text."""
    for block in tokens:
        children = block.children or []
        for index, token in enumerate(children):
            if token.type != "softbreak":
                continue
            before = children[index - 1].content[-1:] if index > 0 else ""
            after = children[index + 1].content[:1] if index + 1 < len(children) else ""
            if (before and is_cjk(before)) or (after and is_cjk(after)):
                token.type, token.tag, token.content = "text", "", ""


def _demote_headings(tokens: list[Token]) -> None:
    """Headings inside an article are its subheads, whatever level the editor typed."""
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = SUBHEAD_TAG
            if token.type == "heading_open":
                token.attrSet("class", "subhead")


def _locate_images(
    tokens: list[Token], issue_dir: Path | None, image_src: Callable[[Path], str]
) -> None:
    """Images are named relative to the issue folder; each gets the address `image_src`
    gives its file: the full address for the engine, the data for the one-page e-edition,
    the published name in the site."""
    for block in tokens:
        for child in block.children or []:
            if child.type != "image" or issue_dir is None:
                continue
            path, _ = resolve(child.attrGet("src") or "", issue_dir)
            if path is None:
                continue
            child.attrSet("src", image_src(path))


def data_url(path: Path) -> str:
    """An image file as a data: URL (its file address when it cannot be read or published,
    which the e-edition then refuses)."""
    try:
        data = path.read_bytes()
    except OSError:
        return path.as_uri()  # `check` names the missing file
    kind = published_kind(data)
    if kind is None:
        return path.as_uri()
    return f"data:{kind[0]};base64,{base64.b64encode(data).decode('ascii')}"


def _figures(tokens: list[Token]) -> None:
    """A paragraph holding nothing but an image is a figure; its title is the caption, or
    else its alt text, as Pandoc has it."""
    for index in range(1, len(tokens) - 1):
        opening, inline, closing = tokens[index - 1], tokens[index], tokens[index + 1]
        if opening.type != "paragraph_open" or closing.type != "paragraph_close":
            continue
        children = [c for c in inline.children or [] if c.type != "text" or c.content.strip()]
        if len(children) != 1 or children[0].type != "image":
            continue
        image = children[0]
        caption = image.attrGet("title") or image.content
        image.attrs.pop("title", None)
        opening.tag = closing.tag = "figure"
        opening.attrSet("class", "figure")
        inline.children = [image]
        if caption:
            inline.children += [
                html_token("<figcaption>"),
                text_token(str(caption)),
                html_token("</figcaption>"),
            ]


def article_body_html(
    article: Article,
    issue_dir: Path | None = None,
    *,
    image_src: Callable[[Path], str] = Path.as_uri,
) -> str:
    parser = html_parser()
    tokens = parser.parse(article.body)
    _join_cjk_soft_breaks(tokens)
    _demote_headings(tokens)
    tokens = table_captions(tokens)
    align_numbers(tokens)
    _locate_images(tokens, issue_dir, image_src)
    keep_paragraph_tails(tokens)
    keep_short_cells(tokens)
    mark_long_runs(tokens)
    mark_latin_words(tokens)
    _figures(tokens)
    return parser.renderer.render(tokens, parser.options, {})
