"""Article bodies: the one Markdown parser (raw HTML off) and the passes from tokens to HTML."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.token import Token

from ..content.models import Article
from ..content.resources import resolve
from ..engine.hanzi import is_cjk
from .typography import keep_paragraph_tails

SUBHEAD_TAG = "h4"


@cache
def markdown_parser() -> MarkdownIt:
    # Raw HTML off: tags typed or pasted into an article print as text, never as markup.
    return MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})


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


def _locate_images(tokens: list[Token], issue_dir: Path | None) -> None:
    """Images are named relative to the issue folder; give the engine their full address."""
    for block in tokens:
        for child in block.children or []:
            if child.type != "image" or issue_dir is None:
                continue
            path, _ = resolve(child.attrGet("src") or "", issue_dir)
            if path is not None:
                child.attrSet("src", path.as_uri())


def article_body_html(article: Article, issue_dir: Path | None = None) -> str:
    parser = markdown_parser()
    tokens = parser.parse(article.body)
    _join_cjk_soft_breaks(tokens)
    _demote_headings(tokens)
    _locate_images(tokens, issue_dir)
    keep_paragraph_tails(tokens)
    return parser.renderer.render(tokens, parser.options, {})
