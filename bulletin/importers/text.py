"""Plain text of an issued bulletin (as extracted from its PDF) → content records."""

from __future__ import annotations

import itertools
import unicodedata

from ..content.models import Issue
from ..errors import ImportFormatError
from ..i18n import _
from .records import ImportedArticle, ImportedIssue
from .text_cover import (
    contents_regions,
    read_back_cover,
    read_cover_texts,
    read_front,
    read_issue_numbers,
    read_sponsor_block,
)
from .text_records import (
    CLOSERS,
    FRAGMENT_MIN_WIDTH_EM,
    JOIN_CONTEXT_CHARS,
    PUNCTUATION,
    REGION_MARKER,
    SENTENCE_FINAL,
    SOURCE_EXAMPLE,
    SourceLine,
    _ArticleLines,
    _ContentsEntry,
    _Findings,
    _Section,
    find_source,
    parse_source_date,
    problem_order,
    region_name,
    split_lines,
    squeeze,
)


def import_text(text: str, *, source_name: str = "<text>") -> ImportedIssue:
    """Read a back issue's plain text; raise ImportFormatError listing every problem found."""
    findings = _Findings(source_name)
    lines = split_lines(text)
    if not any(line.text for line in lines):
        findings.problem(None, "text", _("expected a bulletin's text, got an empty text"))
        raise ImportFormatError(findings.problems)

    body_start = next(
        (i for i, line in enumerate(lines) if REGION_MARKER.fullmatch(line.text)), len(lines)
    )
    front = read_front(lines[:body_start], findings)
    if front.number is None and not front.contents and body_start == len(lines):
        # Nothing of a bulletin at all: one clear problem beats a dozen "expected …" ones.
        findings.problems.clear()
        findings.problem(
            None,
            "text",
            _(
                'expected a bulletin: found no issue number line (like "2024 年第 8 期"), '
                'no contents and no region section (like "【区域】" on a line of its own)'
            ),
        )
        raise ImportFormatError(findings.problems)

    wechat_label, name, subtitle = read_cover_texts(front, findings)
    back_start, back = read_back_cover(lines, body_start, name, subtitle, findings)
    if not front.contents:
        findings.problem(
            None, "contents", _('expected the contents on the cover: lines like "- 【上海】 title"')
        )
    pieces = read_body(lines[body_start:back_start], front.contents, findings)
    if not pieces:
        findings.problem(
            None, "region", _('expected region sections: a line like "【区域】" and its articles')
        )
    check_contents(front.contents, pieces, findings)
    articles = [article for piece in pieces if (article := finish_article(piece, findings))]
    numbers = read_issue_numbers(front, findings)
    publication = {
        "name": name,
        "subtitle": subtitle,
        "short_name": back.short_name,
        "wechat_label": wechat_label,
        **read_sponsor_block(front, findings),
        "regions": contents_regions(front.contents),
        "slogan": back.slogan,
        "back_cover_caption": back.caption,
    }
    if findings.problems or numbers is None:
        raise ImportFormatError(sorted(findings.problems, key=problem_order))
    year, number, cumulative, print_date = numbers
    # Not validated here: the numbers are written as read, and `bulletin check` judges them.
    issue = Issue.model_construct(
        year=year,
        number=number,
        cumulative=cumulative,
        print_date=print_date,
        regions=list(dict.fromkeys(article.region for article in articles)),
    )
    return ImportedIssue(
        articles=articles, notices=findings.notices, issue=issue, publication=publication
    )


# --- body --------------------------------------------------------------------------------------


def read_body(
    lines: list[SourceLine], contents: list[_ContentsEntry], findings: _Findings
) -> list[_ArticleLines]:
    """Region sections → titles with their paragraphs, in the order of the text."""
    known_regions = contents_regions(contents)
    pieces = []
    for section in split_sections(lines):
        # Without contents every region would be unknown; the missing contents are reported.
        if known_regions and section.region not in known_regions:
            findings.problem(
                section.marker.number,
                "region",
                _(
                    "unknown region 【{region}】: expected a region listed in the contents "
                    "({regions})"
                ).format(region=section.region, regions="、".join(known_regions)),
            )
        if not section.lines:
            findings.problem(
                section.marker.number,
                "region",
                _("region 【{region}】 has no articles: expected an article title after it").format(
                    region=section.region
                ),
            )
        title_keys = contents_title_keys(contents, section.region)
        gathered = gather_articles(section, title_keys, section.region in known_regions, findings)
        pieces += place_strays(gathered, title_keys, findings)
    return pieces


def split_sections(lines: list[SourceLine]) -> list[_Section]:
    """Non-blank lines grouped under the region marker above them (lines[0] is a marker)."""
    sections: list[_Section] = []
    for line in lines:
        if marker := REGION_MARKER.fullmatch(line.text):
            sections.append(_Section(region_name(marker[1]), line, []))
        elif line.text:
            sections[-1].lines.append(line)
    return sections


def contents_title_keys(contents: list[_ContentsEntry], region: str) -> set[str]:
    """The region's contents titles, and each two adjacent ones joined, in case the contents
    wrapped a long title onto a second line."""
    titles = [squeeze(entry.title) for entry in contents if entry.region == region]
    return set(titles) | {first + second for first, second in itertools.pairwise(titles)}


def gather_articles(
    section: _Section, title_keys: set[str], region_known: bool, findings: _Findings
) -> list[_ArticleLines]:
    """Split a section into articles: a title is a contents title, or the line that follows a
    source (and the section's first line)."""
    pieces: list[_ArticleLines] = []
    for line in section.lines:
        current = pieces[-1] if pieces else None
        if squeeze(line.text) in title_keys:
            pieces.append(_ArticleLines(section.region, line))
        elif current is None or current.has_source:
            pieces.append(_ArticleLines(section.region, line))
            if region_known:
                findings.notice(
                    line.number,
                    "title",
                    _(
                        'title "{title}" is not in the contents under 【{region}】: taken as a '
                        "title because it starts the section or follows a source"
                    ).format(title=line.text, region=section.region),
                )
        else:
            current.paragraphs.append(line)
            current.has_source = find_source(line.text) is not None
    return pieces


def place_strays(
    pieces: list[_ArticleLines], title_keys: set[str], findings: _Findings
) -> list[_ArticleLines]:
    """Lines after a source that are neither a contents title nor an article with a source of
    its own (an editor's note, a credit line) stay with the article before them, flagged."""
    kept: list[_ArticleLines] = []
    for piece in pieces:
        stray = (
            kept
            and title_keys
            and not piece.has_source
            and squeeze(piece.title.text) not in title_keys
        )
        if not stray:
            kept.append(piece)
            continue
        previous = kept[-1]
        for line in [piece.title, *piece.paragraphs]:
            findings.notice(
                line.number,
                "body",
                _(
                    'could not place "{text}…": kept as a paragraph at the end of "{title}", '
                    "after its source; move or delete it"
                ).format(text=head(line.text), title=previous.title.text),
            )
            previous.unplaced.append(line)
    return kept


def finish_article(piece: _ArticleLines, findings: _Findings) -> ImportedArticle | None:
    """Take the source off the last paragraph and shape the rest into paragraphs and subheads."""
    title = piece.title.text
    if not piece.paragraphs:
        findings.problem(
            piece.title.number,
            "body",
            _(
                'article "{title}" has no text: expected paragraphs after its title, the last '
                "one ending with its source, like {example}"
            ).format(title=title, example=SOURCE_EXAMPLE),
        )
        return None
    last = piece.paragraphs[-1]
    match = find_source(last.text) if piece.has_source else None
    if match is None:
        findings.problem(
            last.number,
            "source",
            _(
                'article "{title}" has no source: expected its last paragraph to end with '
                "（outlet YYYYMMDD）, like {example}"
            ).format(title=title, example=SOURCE_EXAMPLE),
        )
        return None
    date = parse_source_date(match["date"]) if match["date"] else None
    if match["date"] and date is None:
        findings.problem(
            last.number,
            "date",
            _(
                'source date {date} of article "{title}" is not a date: expected YYYYMMDD, '
                "YYYY-MM-DD, YYYY.M.D or YYYY年M月D日"
            ).format(date=match["date"], title=title),
        )
        return None
    if date is None:
        findings.notice(
            last.number,
            "date",
            _(
                'the source of "{title}" ({outlet}) has no date: its date is left empty and it '
                "prints without one, as in the original"
            ).format(title=title, outlet=match["outlet"]),
        )
    rest = last.text[: match.start()].rstrip()
    # A source on a line of its own (a page break before it) leaves no paragraph behind.
    paragraphs = piece.paragraphs[:-1] + ([SourceLine(last.number, rest)] if rest else [])
    if not paragraphs:
        findings.problem(
            piece.title.number,
            "body",
            _('article "{title}" has a source but no text before it').format(title=title),
        )
        return None
    blocks = shape_blocks(paragraphs, findings) + [("p", line.text) for line in piece.unplaced]
    outlet = match["outlet"]
    return ImportedArticle(piece.region, title, outlet, date, blocks, line=piece.title.number)


def shape_blocks(paragraphs: list[SourceLine], findings: _Findings) -> list[tuple[str, str]]:
    """Join paragraphs cut by page breaks, then tell subheads ("h") from paragraphs ("p")."""
    whole = join_page_break_cuts(paragraphs, findings)
    blocks = []
    for index, paragraph in enumerate(whole):
        inside = 0 < index < len(whole) - 1
        if inside and is_subhead(paragraph.text):
            blocks.append(("h", paragraph.text))
            continue
        if not ends_paragraph(paragraph.text):
            findings.notice(
                paragraph.number,
                "body",
                _(
                    'paragraph ends without sentence-final punctuation ("…{text}"): kept as a '
                    "paragraph"
                ).format(text=tail(paragraph.text)),
            )
        blocks.append(("p", paragraph.text))
    return blocks


def join_page_break_cuts(paragraphs: list[SourceLine], findings: _Findings) -> list[SourceLine]:
    """A long paragraph that stops mid-sentence continues in the next one: join them as they
    were before the page break, with nothing in between."""
    whole: list[SourceLine] = []
    cut_line = 0  # input line of the latest paragraph taken into whole[-1]
    for paragraph in paragraphs:
        if whole and is_page_break_cut(whole[-1].text):
            findings.notice(
                cut_line,
                "body",
                _('joined a paragraph cut by a page break: "…{end}" + "{start}…"').format(
                    end=tail(whole[-1].text), start=head(paragraph.text)
                ),
            )
            whole[-1] = SourceLine(whole[-1].number, whole[-1].text + paragraph.text)
        else:
            whole.append(paragraph)
        cut_line = paragraph.number
    return whole


def is_page_break_cut(text: str) -> bool:
    return not ends_paragraph(text) and width_in_em(text) >= FRAGMENT_MIN_WIDTH_EM


def is_subhead(text: str) -> bool:
    """A short line with no punctuation at its end (closing quotes and brackets aside)."""
    last = text.rstrip(CLOSERS)[-1:]
    return width_in_em(text) < FRAGMENT_MIN_WIDTH_EM and last != "" and last not in PUNCTUATION


def ends_paragraph(text: str) -> bool:
    return text.rstrip(CLOSERS)[-1:] in SENTENCE_FINAL


def width_in_em(text: str) -> float:
    """Printed width estimate: CJK characters and marks are 1 em, Latin and digits about ½."""
    return sum(1.0 if unicodedata.east_asian_width(c) in ("W", "F", "A") else 0.5 for c in text)


def tail(text: str) -> str:
    return text[-JOIN_CONTEXT_CHARS:]


def head(text: str) -> str:
    return text[:JOIN_CONTEXT_CHARS]


def check_contents(
    contents: list[_ContentsEntry], pieces: list[_ArticleLines], findings: _Findings
) -> None:
    """Every contents title must be an article title in its region's section (the contents are
    not stored: the layout rebuilds them from the articles)."""
    found = {(piece.region, squeeze(piece.title.text)) for piece in pieces}
    skip_next = False
    for index, entry in enumerate(contents):
        if skip_next:
            skip_next = False
            continue
        if (entry.region, squeeze(entry.title)) in found:
            continue
        following = contents[index + 1] if index + 1 < len(contents) else None
        if following is not None and following.region == entry.region:
            wrapped = squeeze(entry.title) + squeeze(following.title)
            if (entry.region, wrapped) in found:
                skip_next = True
                continue
        findings.problem(
            entry.line,
            "contents",
            _(
                'contents title "{title}" under 【{region}】 was not found as an article title '
                "in the 【{region}】 section"
            ).format(title=entry.title, region=entry.region),
        )
