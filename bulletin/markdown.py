"""Article bodies: the one Markdown parser, CommonMark with raw HTML switched off."""

from __future__ import annotations

from functools import cache

from markdown_it import MarkdownIt


@cache
def markdown_parser() -> MarkdownIt:
    # Raw HTML off: tags typed or pasted into an article print as text, never as markup.
    return MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
