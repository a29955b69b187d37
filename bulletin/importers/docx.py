"""Word drafts (.docx) → the articles of an issue started with `bulletin new`."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..content.loader import ARTICLES_DIR, ISSUE_FILE, display_path
from ..errors import ImportFormatError, Problem
from .text_records import REGION_MARKER, SOURCE, parse_compact_date
from .writer import article_file, escape_inline, line_start_safe, write_articles

# Word's built-in heading styles, in English and in Chinese Word.
TITLE_STYLES = re.compile(r"^(Title|Heading 1|标题|标题 1)$", re.IGNORECASE)
SUBHEAD_STYLES = re.compile(r"^(Subtitle|Heading [2-9]|副标题|标题 [2-9])$", re.IGNORECASE)


@dataclass
class DraftArticle:
    region: str
    title: str
    paragraph: int
    blocks: list[tuple[str, str]] = field(default_factory=list)  # ("p" | "h", markdown)
    source: str | None = None
    date: dt.date | None = None


@dataclass
class Draft:
    articles: list[DraftArticle]
    notices: list[Problem]


def _run_markdown(text: str, bold: bool, italic: bool) -> str:
    if not text.strip():
        return escape_inline(text)
    core = escape_inline(text.strip())
    lead = text[: len(text) - len(text.lstrip())]
    trail = text[len(text.rstrip()) :]
    if bold and italic:
        core = f"***{core}***"
    elif bold:
        core = f"**{core}**"
    elif italic:
        core = f"*{core}*"
    return lead + core + trail


def _is_bold(run) -> bool:
    if run.bold is not None:
        return bool(run.bold)
    return bool(run.style is not None and run.style.font.bold)


def _is_italic(run) -> bool:
    if run.italic is not None:
        return bool(run.italic)
    return bool(run.style is not None and run.style.font.italic)


def _paragraph_markdown(paragraph, number: int, notices: list, name: str) -> str:
    """A paragraph's runs as Markdown: bold and italic kept, links kept, the rest reported."""
    from docx.text.hyperlink import Hyperlink

    parts = []
    dropped = set()
    for item in paragraph.iter_inner_content():
        if isinstance(item, Hyperlink):
            text = escape_inline(item.text)
            parts.append(f"[{text}](<{item.address}>)" if item.address else text)
            continue
        element = item._element
        if element.xpath(".//w:drawing | .//w:pict | .//w:object"):
            notices.append(
                Problem(name, None, f"paragraph {number}", "an image or object is not imported")
            )
        if element.xpath(".//w:footnoteReference | .//w:endnoteReference"):
            dropped.add("a footnote")
        if item.underline:
            dropped.add("underline")
        if item.font.strike or item.font.double_strike:
            dropped.add("strikethrough")
        parts.append(_run_markdown(item.text, _is_bold(item), _is_italic(item)))
    for kind in sorted(dropped):
        notices.append(
            Problem(name, None, f"paragraph {number}", f"{kind} is not imported; the text is")
        )
    return line_start_safe("".join(parts).strip())


def _body_items(document):
    """Paragraphs and tables of the document body, in reading order."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for element in document.element.body.iterchildren():
        tag = element.tag.rsplit("}", 1)[-1]
        if tag == "p":
            yield Paragraph(element, document)
        elif tag == "tbl":
            yield Table(element, document)


def read_draft(path: Path) -> Draft:
    """Read a Word draft written like a back issue: 【地区】, title, paragraphs, source."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table

    name = display_path(path)
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, KeyError, ValueError, OSError) as error:
        raise ImportFormatError(
            [Problem(name, None, "file", f"not a Word .docx document ({type(error).__name__})")]
        ) from None
    problems: list[Problem] = []
    notices: list[Problem] = []
    articles: list[DraftArticle] = []
    region: str | None = None
    expecting_title = False
    for number, item in enumerate(_body_items(document), 1):
        where = f"paragraph {number}"
        if isinstance(item, Table):
            first = " ".join(c.text for c in item.rows[0].cells)[:20] if item.rows else ""
            notices.append(
                Problem(
                    name,
                    None,
                    where,
                    f"a table ({first}…) is not imported; write its content as paragraphs",
                )
            )
            continue
        text = item.text.strip()
        if not text:
            continue
        style = item.style.name if item.style is not None else ""
        if marker := REGION_MARKER.fullmatch(text):
            region, expecting_title = marker.group(1).strip(), True
            continue
        if TITLE_STYLES.match(style) or expecting_title:
            if region is None:
                problems.append(
                    Problem(
                        name,
                        None,
                        where,
                        f"title {text[:20]!r} before any region marker; "
                        "expected a paragraph like 【上海】 first",
                    )
                )
                continue
            articles.append(DraftArticle(region, text, number))
            expecting_title = False
            continue
        if not articles:
            problems.append(
                Problem(
                    name,
                    None,
                    where,
                    "text before the first article; expected 【region】 and a title first",
                )
            )
            continue
        article = articles[-1]
        markdown = _paragraph_markdown(item, number, notices, name)
        if SUBHEAD_STYLES.match(style):
            article.blocks.append(("h", markdown))
            continue
        if source := SOURCE.search(text):
            date = parse_compact_date(source.group(2))
            if date is None:
                problems.append(
                    Problem(name, None, where, f"source date {source.group(2)} is not a real date")
                )
            article.source, article.date = source.group(1).strip(), date
            remainder = SOURCE.sub("", markdown).rstrip()
            if remainder:
                article.blocks.append(("p", remainder))
            expecting_title = True
            continue
        article.blocks.append(("p", markdown))
    for article in articles:
        if article.source is None:
            problems.append(
                Problem(
                    name,
                    None,
                    f"paragraph {article.paragraph}",
                    f"article "
                    f"{article.title!r} has no source; expected its last paragraph to end "
                    "like （上海证券报 20240416）",
                )
            )
    if not articles and not problems:
        problems.append(
            Problem(
                name,
                None,
                "articles",
                "no articles found; expected 【region】, a title, paragraphs and a source",
            )
        )
    if problems:
        raise ImportFormatError(problems)
    return Draft(articles, notices)


def article_markdown(article: DraftArticle) -> str:
    # The blocks are Markdown already: run formatting was kept when they were read.
    blocks = [f"## {text}" if kind == "h" else text for kind, text in article.blocks]
    return article_file(article.region, article.title, article.source, article.date, blocks)


def write_draft(draft: Draft, issue_dir: Path) -> list[Path]:
    """Add the draft's articles to an issue folder that has no articles yet."""
    issue_dir = Path(issue_dir)
    if not (issue_dir / ISSUE_FILE).is_file():
        raise ImportFormatError(
            [
                Problem(
                    display_path(issue_dir / ISSUE_FILE),
                    None,
                    "file",
                    "missing; start the "
                    "issue with `bulletin new` first, then import the draft into it",
                )
            ]
        )
    folder = issue_dir / ARTICLES_DIR
    taken = (
        [p for p in folder.glob("*.md") if not p.name.startswith("_")] if folder.is_dir() else []
    )
    if taken:
        raise ImportFormatError(
            [
                Problem(
                    display_path(folder),
                    None,
                    "articles",
                    f"already has {len(taken)} "
                    "articles: refusing to overwrite; import into a new issue",
                )
            ]
        )
    return write_articles(folder, [article_markdown(article) for article in draft.articles])
