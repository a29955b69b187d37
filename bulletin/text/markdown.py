"""The Markdown of articles, parsed: CommonMark with tables, ~~strikethrough~~ and emphasis
that opens or closes beside Chinese punctuation."""

from __future__ import annotations

from functools import cache

from markdown_it import MarkdownIt

from bulletin.text.emphasis import cjk_friendly_emphasis


def new_parser() -> MarkdownIt:
    """A parser of article Markdown of its own, for a caller that adds rules to it."""
    # Raw HTML off: tags typed or pasted into an article print as text, never as markup.
    # GFM tables and ~~strikethrough~~ on: Word drafts bring both.
    parser = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    parser.enable(["table", "strikethrough"])
    # Emphasis that opens or closes beside Chinese punctuation, as editors write it
    # (**“双碳”**目标): CommonMark's flanking rules leave those asterisks as text.
    parser.use(cjk_friendly_emphasis)
    return parser


@cache
def markdown_parser() -> MarkdownIt:
    """The shared parser, for reading articles' tokens (text, images, tables)."""
    return new_parser()
