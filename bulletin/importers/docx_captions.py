"""Word captions (题注) of tables and pictures: typed next to them, they title them on import."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .docx_inline import Figure
from .records import ImportedArticle

# A paragraph in Word's Caption style, or one that starts 表1, 表 1 (its number stays in the
# title) or 表：(taken off), next to a table: the table's title, `Table: 标题` before it.
CAPTION_STYLES = re.compile(r"^(Caption|题注)$", re.IGNORECASE)
CAPTION_START = re.compile(r"^表\s*[0-9０-９]|^表\s*[:：]\s*")
# The same for a picture: 图1, 图 1, 图一 (the number stays) or 图：(taken off). A caption
# is a title, not a sentence: a paragraph with 。！？ before its end ("图1显示……。其中……")
# is body text that refers to the picture, and one over MAX_FIGURE_CAPTION characters too.
FIGURE_START = re.compile(r"^图\s*[0-9０-９一二三四五六七八九十]|^图\s*[:：]\s*")
SENTENCE_INSIDE = re.compile(r"[。！？!?].")
MAX_FIGURE_CAPTION = 100


@dataclass
class PendingCaption:
    """A caption before a table or picture, waiting for it; printed as a paragraph if none
    follows (its Markdown is what `str` gives)."""

    markdown: str
    text: str
    tables: bool  # a table after it takes it
    pictures: bool  # a picture after it takes it

    def __str__(self) -> str:
        return self.markdown


def is_table_caption(style: str, text: str) -> bool:
    return bool(CAPTION_STYLES.match(style) or CAPTION_START.match(text))


def is_figure_caption(style: str, text: str) -> bool:
    if CAPTION_STYLES.match(style):
        return True
    return bool(
        FIGURE_START.match(text)
        and len(text) <= MAX_FIGURE_CAPTION
        and not SENTENCE_INSIDE.search(text)
    )


def caption_title(markdown: str) -> str:
    """The title a caption gives its table: 表：taken off, a table number kept."""
    start = CAPTION_START.match(markdown)
    if start and start.group().rstrip()[-1] in ":：":
        return markdown[start.end() :]
    return markdown


def figure_caption(text: str) -> str:
    """The caption a paragraph gives its picture: 图：taken off, a figure number kept."""
    start = FIGURE_START.match(text)
    if start and start.group().rstrip()[-1] in ":：":
        return text[start.end() :].strip()
    return text.strip()


def uncaptioned_figure(article: ImportedArticle) -> Figure | None:
    """The picture just placed, if it has no caption yet."""
    if article.blocks and article.blocks[-1][0] == "figure":
        figure = article.blocks[-1][1]
        if isinstance(figure, Figure) and not figure.caption:
            return figure
    return None


def place_caption(
    article: ImportedArticle, markdown: str, text: str, style: str, figures: list[Figure]
) -> bool:
    """Give a caption paragraph to its table or picture; False when it is no caption.

    After a table without a title, a table caption titles it; after a picture without a
    caption (or around the one picture of its own paragraph), a figure caption captions it;
    otherwise a caption waits for the table or picture that follows ("caption?"), and stays a
    paragraph when none does.
    """
    for_tables, for_pictures = is_table_caption(style, text), is_figure_caption(style, text)
    if not (for_tables or for_pictures):
        return False
    blocks = article.blocks
    if for_pictures and len(figures) == 1 and not figures[0].caption:
        figures[0].caption = figure_caption(text)
        return True
    if figures:
        return False
    last = blocks[-1][0] if blocks else None
    if for_tables and last == "table" and (len(blocks) < 2 or blocks[-2][0] != "caption"):
        blocks.insert(len(blocks) - 1, ("caption", caption_title(markdown)))
    elif for_pictures and (figure := uncaptioned_figure(article)):
        figure.caption = figure_caption(text)
    else:
        blocks.append(("caption?", PendingCaption(markdown, text, for_tables, for_pictures)))
    return True


def before_table(article: ImportedArticle) -> None:
    """A table caption waiting just before a table becomes its title."""
    if article.blocks and article.blocks[-1][0] == "caption?":
        pending = article.blocks[-1][1]
        if isinstance(pending, PendingCaption) and pending.tables:
            article.blocks[-1] = ("caption", caption_title(pending.markdown))


def before_figures(article: ImportedArticle, figures: list[Figure]) -> None:
    """A figure caption waiting just before a paragraph of pictures captions the first."""
    if figures and article.blocks and article.blocks[-1][0] == "caption?":
        pending = article.blocks[-1][1]
        if isinstance(pending, PendingCaption) and pending.pictures and not figures[0].caption:
            figures[0].caption = figure_caption(pending.text)
            article.blocks.pop()
