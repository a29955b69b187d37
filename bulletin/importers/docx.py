"""Word drafts (.docx) → articles: regions, titles, paragraphs, pictures, tables and notes."""

from __future__ import annotations

import re
from functools import partial
from pathlib import Path

from ..content.loader import display_path
from ..content.regions import known_form
from ..errors import ImportFormatError, Problem
from ..i18n import _
from .docx_captions import before_figures, before_table, place_caption
from .docx_inline import NS, Figure, InlineReader, p_text, quote_start
from .docx_package import open_docx, parse_part
from .docx_walk import local, text_of
from .records import ImportedArticle, ImportedIssue
from .text_records import REGION_MARKER, find_source, parse_source_date
from .writer import article_file, escape_inline, line_start_safe

# Word's built-in heading styles, in English and in Chinese Word.
TITLE_STYLES = re.compile(r"^(Title|Heading 1|标题|标题 1)$", re.IGNORECASE)
SUBHEAD_STYLES = re.compile(r"^(Subtitle|Heading [2-9]|副标题|标题 [2-9])$", re.IGNORECASE)
NOTES_HEADING = "注释"
NOTE_TYPES_SKIPPED = ("separator", "continuationSeparator", "continuationNotice")
W_ID = f"{{{NS['w']}}}id"
W_TYPE = f"{{{NS['w']}}}type"
MAX_BOX_DEPTH = 3  # a text box in a text box in a text box is read; deeper ones are noticed


def note_marker(number: int) -> str:
    return chr(0x2460 + number - 1) if number <= 20 else f"\\[{number}\\]"


def add_note(article: ImportedArticle, text: str) -> str:
    """Keep a footnote's text for the article's end; return its marker: ① … ⑳, [21] …"""
    article.notes.append(text)
    return note_marker(len(article.notes))


def load_notes(document, name: str) -> dict[str, dict[str, object]]:
    """Footnotes and endnotes by id, from the parts python-docx keeps as bytes."""
    found: dict[str, dict[str, object]] = {}
    for rel in document.part.rels.values():
        kind = rel.reltype.rsplit("/", 1)[-1]
        if kind not in ("footnotes", "endnotes") or rel.is_external:
            continue
        part = rel.target_part
        root = parse_part(part.blob, name, str(part.partname))
        found[kind] = {
            note.get(W_ID): note
            for note in root.iterfind(f"w:{kind[:-1]}", NS)
            if note.get(W_TYPE) not in NOTE_TYPES_SKIPPED
        }
    return found


def body_items(container):
    """The w:p and w:tbl of the body (or a text box) in reading order, also those in content
    controls and custom XML however nested; ("other", element) for anything else with text."""
    for element in container.iterchildren():
        tag = local(element.tag)
        if tag in ("p", "tbl"):
            yield tag, element
        elif tag == "sdt":
            content = element.find("w:sdtContent", NS)
            if content is not None:
                yield from body_items(content)
        elif tag in ("customXml", "ins", "moveTo"):
            yield from body_items(element)
        elif tag == "altChunk" or (tag not in ("sectPr", "del", "moveFrom") and text_of(element)):
            yield "other", element


def style_name(document, p) -> str:
    style = p.find("w:pPr/w:pStyle", NS)
    if style is None:
        return ""
    style_id = style.get(f"{{{NS['w']}}}val") or ""
    try:
        return document.styles.get_by_id(style_id, 1).name or ""  # 1: paragraph styles
    except (KeyError, ValueError, AttributeError):
        return style_id


def read_draft(path: Path, *, include_hidden: bool = False) -> ImportedIssue:
    """Read a Word draft written like a back issue: 【地区】, title, paragraphs, source.
    Hidden text is left out (and noticed) unless `include_hidden`."""
    name = display_path(path)
    document = open_docx(path)
    notices: list[Problem] = []
    reader = InlineReader(document, name, notices, include_hidden)
    reader.notes = load_notes(document, name)
    problems: list[Problem] = []
    articles: list[ImportedArticle] = []
    region: str | None = None
    expecting_title = False
    last_text = ""
    for tag, element in body_items(document.element.body):
        text = reader.text(element).strip() if tag == "p" else ""
        if tag == "other":
            text = text_of(element).strip()
        where = (
            quote_start(text)
            if text
            else _("after {paragraph}").format(paragraph=quote_start(last_text))
        )
        if not last_text and not text:
            where = _("start of the draft")
        last_text = text or last_text
        article = articles[-1] if articles else None
        if tag == "other":
            notices.append(Problem(name, None, where, other(element)))
            continue
        if tag == "tbl":
            table_at = _("table {cell}").format(cell=quote_start(first_cell(element)))
            table = reader.table(element, where=table_at)
            if article is None:
                ignored = _("a table before the first article is not imported")
                notices.append(Problem(name, None, where, ignored))
            elif table:
                before_table(article)
                article.blocks.append(("table", table))
            continue
        notes_before = len(article.notes) if article else 0
        inline = reader.paragraph(
            element, where, note=partial(add_note, article) if article else None
        )
        if not text:
            if article is not None:
                before_figures(article, inline.figures)
            place_figures(inline.figures, article, name, where, notices)
            place_boxes(reader, inline.boxes, article, where)
            continue
        style = style_name(document, element)
        if marker := REGION_MARKER.fullmatch(text):
            region, expecting_title = marker.group(1).strip(), True
            place_boxes(reader, inline.boxes, None, where)
            if form := known_form(region):
                notices.append(
                    Problem(
                        name,
                        None,
                        where,
                        _("region 【{region}】 read as 【{form}】").format(
                            region=region, form=form
                        ),
                    )
                )
                region = form
            continue
        if TITLE_STYLES.match(style) or expecting_title:
            if region is None:
                problems.append(
                    Problem(
                        name,
                        None,
                        where,
                        _(
                            "title {title} before any region marker; expected a paragraph like "
                            "【上海】 first"
                        ).format(title=repr(text[:20])),
                    )
                )
                continue
            articles.append(ImportedArticle(region, text, where=where))
            place_figures(inline.figures, articles[-1], name, where, notices)
            place_boxes(reader, inline.boxes, articles[-1], where)
            expecting_title = False
            continue
        if article is None:
            problems.append(
                Problem(
                    name,
                    None,
                    where,
                    _("text before the first article; expected 【region】 and a title first"),
                )
            )
            continue
        markdown = line_start_safe(inline.markdown)
        # A caption with a note keeps its paragraph, where the note's marker is.
        if len(article.notes) == notes_before and place_caption(
            article, markdown, text, style, inline.figures
        ):
            place_figures(inline.figures, article, name, where, notices)
            place_boxes(reader, inline.boxes, article, where)
            continue
        if SUBHEAD_STYLES.match(style):
            article.blocks.append(("h", markdown))
        elif source := find_source(text):
            read_source(article, source, markdown, name, where, problems, notices)
            expecting_title = True
        else:
            article.blocks.append(("p", markdown))
        place_figures(inline.figures, article, name, where, notices)
        place_boxes(reader, inline.boxes, article, where)
    problems += unfinished(articles, name)
    notices += uncaptioned(articles, name)
    if problems:
        raise ImportFormatError(problems)
    return ImportedIssue(articles, notices)


def uncaptioned(articles: list[ImportedArticle], name: str) -> list[Problem]:
    """A notice for each picture with neither alt text nor a caption typed next to it."""
    return [
        Problem(
            name,
            None,
            figure.where,
            _(
                "a picture has no alt text and no caption: it is placed without one; type its "
                "caption under it (图1 …) or give it alt text in Word"
            ),
        )
        for article in articles
        for kind, figure in article.blocks
        if isinstance(figure, Figure) and not figure.alt and not figure.caption
    ]


def first_cell(tbl) -> str:
    first = tbl.find(".//w:tc", NS)
    return p_text(first) if first is not None else ""


def other(element) -> str:
    """The notice for body content that is neither a paragraph nor a table."""
    if local(element.tag) == "altChunk":
        return _(
            "a piece of another document (altChunk) is not imported; open the draft in Word "
            "and save it again"
        )
    return _("text in a Word {element} element is not imported; type it in the body").format(
        element=local(element.tag)
    )


def place_boxes(reader: InlineReader, boxes: list, article, where: str, depth: int = 0) -> None:
    """A text box's paragraphs follow the paragraph it sits in, as paragraphs of the article
    (never its title, region or source); one outside any article is noticed."""
    for box in boxes:
        quoted = quote_start(text_of(box))
        if article is None or depth >= MAX_BOX_DEPTH:
            reader.notice(
                where,
                _("a text box here is not imported ({text}); copy its text into the body").format(
                    text=quoted
                ),
            )
            continue
        reader.notice(
            where,
            _("text box {text} is placed after its paragraph; check that it belongs there").format(
                text=quoted
            ),
        )
        for tag, element in body_items(box):
            if tag == "other":
                reader.notice(where, other(element))
                continue
            if tag == "tbl":
                if table := reader.table(element, where=where):
                    article.blocks.append(("table", table))
                continue
            inside = quote_start(reader.text(element)) if reader.text(element).strip() else where
            inline = reader.paragraph(element, inside, note=partial(add_note, article))
            if inline.markdown:
                article.blocks.append(("p", line_start_safe(inline.markdown)))
            for figure in inline.figures:
                article.blocks.append(("figure", figure))
            place_boxes(reader, inline.boxes, article, inside, depth + 1)


def place_figures(figures: list[Figure], article, name: str, where: str, notices: list) -> None:
    """Pictures follow the paragraph that holds them, each as a figure of its own."""
    if figures and article is None:
        notices.append(
            Problem(name, None, where, _("a picture before the first article is not imported"))
        )
        return
    for figure in figures:
        article.blocks.append(("figure", figure))


def read_source(article, source, markdown: str, name, where, problems, notices) -> None:
    """（上海证券报 20240416） ends the article; text before it in the paragraph stays."""
    date = parse_source_date(source["date"]) if source["date"] else None
    if source["date"] and date is None:
        problems.append(
            Problem(
                name,
                None,
                where,
                _("source date {date} is not a real date; check it").format(date=source["date"]),
            )
        )
    elif date is None:
        notices.append(
            Problem(
                name,
                None,
                where,
                _(
                    "the source ({outlet}) has no date: the article's date is left empty and it "
                    "prints without one"
                ).format(outlet=source["outlet"]),
            )
        )
    article.source, article.date = source["outlet"].strip(), date
    remainder = markdown_without_source(markdown)
    if remainder:
        article.blocks.append(("p", remainder))


def markdown_without_source(markdown: str) -> str:
    """The paragraph's Markdown with the source parenthesis at its end taken off."""
    opening = max(markdown.rfind("（"), markdown.rfind("("))
    return markdown[:opening].rstrip() if opening >= 0 else ""


def unfinished(articles: list[ImportedArticle], name: str) -> list[Problem]:
    problems = []
    for article in articles:
        if article.source is None:
            problems.append(
                Problem(
                    name,
                    None,
                    article.where,
                    _(
                        "article {title} has no source; expected its last paragraph to end like "
                        "（上海证券报 20240416）"
                    ).format(title=repr(article.title)),
                )
            )
    if not articles and not problems:
        problems.append(
            Problem(
                name,
                None,
                "articles",
                _("no articles found; expected 【region】, a title, paragraphs and a source"),
            )
        )
    return problems


def article_markdown(article: ImportedArticle, figure_names: list[str]) -> str:
    """The article file; `figure_names` are where its pictures are saved, in order."""
    names = iter(figure_names)
    blocks = []
    figures = 0
    for kind, value in article.blocks:
        if kind == "h":
            blocks.append(f"## {value}")
        elif kind == "caption":
            blocks.append(f"Table: {value}")
        elif kind == "figure":
            figures += 1
            fallback = f"{article.title} 图 {figures}"
            blocks.append(figure_markdown(value, next(names), fallback))
        else:
            blocks.append(str(value))
    if article.notes:
        blocks.append(f"## {NOTES_HEADING}")
        blocks += [f"{note_marker(n)} {text}" for n, text in enumerate(article.notes, 1)]
    return article_file(article.region, article.title, article.source, article.date, blocks)


def figure_markdown(figure: Figure, path: str, fallback: str) -> str:
    """![alt](images/03-1.png "caption"): the caption typed under it, else the alt text. Its
    alt text stays its alt (else the caption); a picture with neither gets a plain
    description (for screen readers and tagged PDF) and no caption."""
    caption = figure.caption or figure.alt
    if not caption:
        return f"![{escape_inline(fallback)}]({path})"
    title = caption.replace("\\", "\\\\").replace('"', '\\"')
    return f'![{escape_inline(figure.alt or caption)}]({path} "{title}")'
