"""Plain text of an issued bulletin (as extracted from its PDF) → a content folder."""

from __future__ import annotations

import datetime
import itertools
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import yaml

from .atomic import write_atomically
from .errors import ImportFormatError, Problem

# A body line of the seed's PDF holds about 30 em (a cut paragraph is 2 em of indent plus a whole
# number of ~30 em lines), so a paragraph cut by a page break fills at least one line after its
# indent (~28 em). Subheads are single short lines (the seed's are 8 and 15 em). 24 em sits
# between the two with room for the rough width estimate of Latin text and digits.
FRAGMENT_MIN_WIDTH_EM = 24.0

# Characters shown on each side of a join in its notice: enough to find the spot in the PDF.
JOIN_CONTEXT_CHARS = 7

# Marks after which a paragraph is complete. ；and ： are left out on purpose: a page break lands
# after them mid-paragraph as easily as after ，, and a wrong join is reported as a notice,
# while a missed one would silently leave a paragraph cut in two.
SENTENCE_FINAL = frozenset("。！？…!?.")
# Closing quotes and brackets end a paragraph only when what they close does: “…。” but not （AGI）.
CLOSERS = "”’」』）)》】〕"
# Any of these at the end of a short line means it is text, not a subhead.
PUNCTUATION = frozenset("。！？…!?.，、；：,;:—")

# Markdown would act on these anywhere in a line; a backslash makes them print as typed.
MARKDOWN_SPECIALS = frozenset("\\`*_[]<>&~|")
# These start a heading, list, setext underline or thematic break only at the start of a line.
LINE_START_SPECIALS = frozenset("#+-=")
# "1. " or "1) " (CommonMark allows up to 9 digits) starts an ordered list; "11098.5" does not.
ORDERED_LIST_NUMBER = re.compile(r"\d{1,9}(?=[.)](?:[ \t]|$))")

ISSUE_NUMBER = re.compile(r"(\d{4})\s*年\s*第\s*(\d{1,3})\s*期")
CUMULATIVE = re.compile(r"[(（]\s*总\s*第\s*(\d{1,6})\s*期\s*[)）]")
PRINT_DATE = re.compile(r"(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*印发")
CONTENTS_ENTRY = re.compile(r"-\s*【([^【】]+)】\s*(.+)")
REGION_MARKER = re.compile(r"【([^【】]+)】")
SPONSOR_LABEL = re.compile(r"(主办|编辑|统筹|电话|传真)(?:[:：\s]\s*(.*))?")
# （21 世纪经济报道 20240416） ending a paragraph; the outlet may hold digits and spaces.
SOURCE = re.compile(r"（\s*([^（）]*?[^（）\s])\s*(\d{8})\s*）$")
DECORATION = "—–-―~～ "

# Sponsor-block label → (publication key, what its lines hold, how the lines become values).
SPONSOR_FIELDS = {
    "主办": ("sponsors", "the sponsors, one per line", "lines"),
    "编辑": ("editors", "the editors' names", "names"),
    "统筹": ("coordinators", "the coordinators' names", "names"),
    "电话": ("phone", "the phone number", "single"),
    "传真": ("fax", "the fax number", "single"),
}

SOURCE_EXAMPLE = "（上海证券报 20240416）"
YAML_NO_WRAP = 1_000_000
PLACEHOLDER_COMMENT = "# Placeholder: not in the back issue's text; replace it."
PATTERN_COMMENT = "# {year} and {number:02d} are filled in per issue."


class SourceLine(NamedTuple):
    """One line of the input: its 1-based number and its text without surrounding whitespace."""

    number: int
    text: str


@dataclass
class ImportedArticle:
    """One article as read from the text; `line` is where its title stands in the input."""

    region: str
    title: str
    source: str
    date: datetime.date
    blocks: list[tuple[str, str]]
    line: int


@dataclass
class ImportedIssue:
    """Everything read from one back issue; `notices` are joins and guesses to review."""

    year: int
    number: int
    cumulative: int
    print_date: datetime.date
    publication: dict
    articles: list[ImportedArticle]
    notices: list[Problem] = field(default_factory=list)


@dataclass
class _Findings:
    """Problems (the import fails) and notices (a human should look) found so far."""

    source_name: str
    problems: list[Problem] = field(default_factory=list)
    notices: list[Problem] = field(default_factory=list)

    def problem(self, line: int | None, field_name: str, message: str) -> None:
        self.problems.append(Problem(self.source_name, line, field_name, message))

    def notice(self, line: int | None, field_name: str, message: str) -> None:
        self.notices.append(Problem(self.source_name, line, field_name, message))


@dataclass
class _ContentsEntry:
    region: str
    title: str
    line: int


@dataclass
class _Front:
    """The cover, contents and sponsor block: every line before the first region section."""

    year: int | None = None
    number: int | None = None
    cumulative: int | None = None
    print_day: tuple[int, int, int] | None = None  # (line, month, day)
    number_line: int | None = None
    cover_texts: list[SourceLine] = field(default_factory=list)  # QR label, name, subtitle
    contents: list[_ContentsEntry] = field(default_factory=list)
    sponsor_lines: dict[str, list[SourceLine]] = field(default_factory=dict)
    sponsor_label_line: dict[str, int] = field(default_factory=dict)


@dataclass
class _BackCover:
    slogan: str | None = None
    caption: str | None = None
    short_name: str | None = None


@dataclass
class _Section:
    region: str
    marker: SourceLine
    lines: list[SourceLine]


@dataclass
class _DraftArticle:
    region: str
    title: SourceLine
    paragraphs: list[SourceLine] = field(default_factory=list)
    has_source: bool = False


def import_text(text: str, *, source_name: str = "<text>") -> ImportedIssue:
    """Read a back issue's plain text; raise ImportFormatError listing every problem found."""
    findings = _Findings(source_name)
    lines = split_lines(text)
    if not any(line.text for line in lines):
        findings.problem(None, "text", "expected a bulletin's text, got an empty text")
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
            'expected a bulletin: found no issue number line (like "2024 年第 8 期"), '
            'no contents and no region section (like "【区域】" on a line of its own)',
        )
        raise ImportFormatError(findings.problems)

    wechat_label, name, subtitle = read_cover_texts(front, findings)
    back_start, back = read_back_cover(lines, body_start, name, subtitle, findings)
    if not front.contents:
        findings.problem(
            None, "contents", 'expected the contents on the cover: lines like "- 【上海】 title"'
        )
    drafts = read_body(lines[body_start:back_start], front.contents, findings)
    if not drafts:
        findings.problem(
            None, "region", 'expected region sections: a line like "【区域】" and its articles'
        )
    check_contents(front.contents, drafts, findings)
    articles = [article for draft in drafts if (article := finish_article(draft, findings))]
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
    return ImportedIssue(
        year=year,
        number=number,
        cumulative=cumulative,
        print_date=print_date,
        publication=publication,
        articles=articles,
        notices=findings.notices,
    )


def split_lines(text: str) -> list[SourceLine]:
    """Numbered, stripped lines; a BOM and CRLF or CR line ends are accepted."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return [SourceLine(number, line.strip()) for number, line in enumerate(text.split("\n"), 1)]


def problem_order(problem: Problem) -> tuple[bool, int]:
    """Problems about the whole text first, then in the order of their lines."""
    return (problem.line is not None, problem.line or 0)


def squeeze(text: str) -> str:
    """Text without whitespace, to compare titles whatever spacing the PDF extraction kept."""
    return "".join(text.split())


# --- cover, contents and sponsor block ---------------------------------------------------------


def read_front(lines: list[SourceLine], findings: _Findings) -> _Front:
    """Sort every line before the first region section into cover, contents or sponsor block."""
    front = _Front()
    on_cover = True
    contents_region: str | None = None  # a contents line without a marker continues this region
    label: str | None = None  # sponsor label whose value lines are being read
    for line in lines:
        if not line.text:
            # A blank line ends a contents group and a label's values.
            contents_region = label = None
            continue
        if entry := CONTENTS_ENTRY.fullmatch(line.text):
            on_cover, label = False, None
            contents_region = entry[1].strip()
            front.contents.append(_ContentsEntry(contents_region, entry[2].strip(), line.number))
        elif sponsor := SPONSOR_LABEL.fullmatch(line.text):
            on_cover, contents_region = False, None
            label = read_sponsor_label(front, sponsor, line, findings)
        elif contents_region is not None:
            front.contents.append(_ContentsEntry(contents_region, line.text, line.number))
        elif label is not None:
            front.sponsor_lines[label].append(line)
        elif on_cover:
            read_cover_line(front, line, findings)
        else:
            findings.problem(
                line.number,
                "text",
                "unexpected text before the first region section: expected the cover, "
                'the contents ("- 【上海】 title" lines) or the sponsor block (主办, 编辑, …)',
            )
    return front


def read_sponsor_label(
    front: _Front, label_match: re.Match[str], line: SourceLine, findings: _Findings
) -> str | None:
    """Start the values of a sponsor label; a value on the label's own line counts too."""
    label = label_match[1]
    if label in front.sponsor_label_line:
        first = front.sponsor_label_line[label]
        findings.problem(
            line.number,
            SPONSOR_FIELDS[label][0],
            f'"{label}" again: it was already on line {first}',
        )
        return None
    front.sponsor_label_line[label] = line.number
    front.sponsor_lines[label] = []
    if label_match[2]:
        front.sponsor_lines[label].append(SourceLine(line.number, label_match[2].strip()))
    return label


def read_cover_line(front: _Front, line: SourceLine, findings: _Findings) -> None:
    """Issue number, cumulative number, print date, or a masthead line around them."""
    if match := ISSUE_NUMBER.fullmatch(line.text):
        if front.number_line is not None:
            findings.problem(
                line.number, "number", f"a second issue number line (line {front.number_line})"
            )
            return
        front.year, front.number, front.number_line = int(match[1]), int(match[2]), line.number
    elif match := CUMULATIVE.fullmatch(line.text):
        if front.cumulative is not None:
            findings.problem(line.number, "cumulative", "a second cumulative number line")
            return
        front.cumulative = int(match[1])
    elif match := PRINT_DATE.fullmatch(line.text):
        if front.print_day is not None:
            findings.problem(line.number, "print_date", "a second print date line")
            return
        front.print_day = (line.number, int(match[1]), int(match[2]))
    else:
        front.cover_texts.append(line)


def read_issue_numbers(
    front: _Front, findings: _Findings
) -> tuple[int, int, int, datetime.date] | None:
    """(year, number, cumulative, print date), or None after reporting what is missing."""
    if front.number is None:
        findings.problem(None, "number", 'expected the issue number line, like "2024 年第 8 期"')
    if front.cumulative is None:
        findings.problem(
            None, "cumulative", 'expected the cumulative number line, like "(总第 282 期)"'
        )
    if front.print_day is None:
        findings.problem(None, "print_date", 'expected the print date line, like "4 月 25 日印发"')
    if front.year is None or front.number is None or front.cumulative is None:
        return None
    if front.print_day is None:  # reported above
        return None
    line, month, day = front.print_day
    try:
        print_date = datetime.date(front.year, month, day)
    except ValueError:
        findings.problem(line, "print_date", f"{month} 月 {day} 日 is not a date in {front.year}")
        return None
    return front.year, front.number, front.cumulative, print_date


def read_cover_texts(
    front: _Front, findings: _Findings
) -> tuple[str | None, str | None, str | None]:
    """(QR-code label, masthead name, subtitle): the cover's lines that are not numbers.

    The masthead is the last two of them (it stands just above the contents), the label the
    one before (under the QR code, above the issue number).
    """
    texts = [line.text for line in front.cover_texts]
    label, name, subtitle = ([None] * 3 + texts)[-3:]
    if label is None:
        findings.problem(
            None, "wechat_label", "expected the QR-code label (like 研究院微信) on the cover"
        )
    if name is None:
        findings.problem(
            None, "name", "expected the masthead name (like 双周决策观察) on the cover"
        )
    if subtitle is None:
        findings.problem(
            None, "subtitle", "expected the masthead subtitle (like 地方工作亮点追踪) on the cover"
        )
    for extra in front.cover_texts[:-3]:
        findings.problem(
            extra.number,
            "text",
            "unexpected text on the cover: expected only the QR-code label, the issue number, "
            "cumulative number and print date, and the masthead name and subtitle",
        )
    return label, name, subtitle


def read_sponsor_block(front: _Front, findings: _Findings) -> dict[str, object]:
    """sponsors, editors, coordinators, phone and fax from their labelled lines."""
    values: dict[str, object] = {}
    for label, (key, meaning, shape) in SPONSOR_FIELDS.items():
        values[key] = None
        if label not in front.sponsor_label_line:
            findings.problem(None, key, f'expected "{label}" followed by {meaning}')
            continue
        lines = front.sponsor_lines[label]
        label_line = front.sponsor_label_line[label]
        if not lines:
            findings.problem(label_line, key, f'expected {meaning} on the lines after "{label}"')
        elif shape == "lines":
            values[key] = [line.text for line in lines]
        elif shape == "names":
            values[key] = [name for line in lines for name in line.text.split()]
        elif len(lines) > 1:
            findings.problem(
                lines[1].number, key, f'expected {meaning} on one line after "{label}"'
            )
        else:
            values[key] = lines[0].text
    return values


def contents_regions(entries: list[_ContentsEntry]) -> list[str]:
    """Regions in the order the contents list them, each once."""
    return list(dict.fromkeys(entry.region for entry in entries))


# --- back cover --------------------------------------------------------------------------------


def find_back_cover(lines: list[SourceLine], body_start: int, name: str | None) -> int | None:
    """Index of the back cover's masthead line: the last line equal to the name, after the
    last region marker."""
    if name is None:
        return None
    for index in range(len(lines) - 1, body_start, -1):
        if lines[index].text == name:
            return index
        if REGION_MARKER.fullmatch(lines[index].text):
            break
    return None


def end_of_last_source(lines: list[SourceLine], body_start: int) -> int:
    """Index just after the last line ending with a source, or the end of the text."""
    for index in range(len(lines) - 1, body_start, -1):
        if SOURCE.search(lines[index].text):
            return index + 1
    return len(lines)


def read_back_cover(
    lines: list[SourceLine],
    body_start: int,
    name: str | None,
    subtitle: str | None,
    findings: _Findings,
) -> tuple[int, _BackCover]:
    """(index where the back cover starts, what it says)."""
    back_start = find_back_cover(lines, body_start, name)
    if back_start is not None:
        return back_start, read_back_cover_lines(lines[back_start:], name, subtitle, findings)
    if name is not None:  # else the missing name is reported already
        findings.problem(
            None,
            "back_cover",
            f'expected the back cover after the last article, starting with a line "{name}"',
        )
    # Keep the back cover's lines out of the last article, so its problems stay its own.
    return end_of_last_source(lines, body_start), _BackCover()


def read_back_cover_lines(
    lines: list[SourceLine], name: str | None, subtitle: str | None, findings: _Findings
) -> _BackCover:
    """Masthead and subtitle (checked against the cover), slogan, and the QR-code caption."""
    masthead, *rest = [line for line in lines if line.text]
    if rest and (is_decorated(rest[0].text) or rest[0].text == subtitle):
        shown = rest[0].text.strip(DECORATION)
        if subtitle is not None and shown != subtitle:
            findings.problem(
                rest[0].number,
                "subtitle",
                f'back cover subtitle "{shown}" differs from the cover\'s "{subtitle}"',
            )
        rest = rest[1:]
    back = _BackCover()
    if len(rest) < 2:
        findings.problem(
            masthead.number,
            "slogan",
            "expected a slogan line and then the QR-code caption after the back cover's masthead",
        )
    for extra in rest[1:-1]:
        findings.problem(
            extra.number,
            "text",
            "unexpected text on the back cover: expected the masthead, its subtitle, "
            "one slogan line and the QR-code caption",
        )
    if len(rest) >= 2:
        back.slogan = rest[0].text
    if rest:
        back.caption = rest[-1].text
        back.short_name = read_short_name(rest[-1], name, findings)
    return back


def is_decorated(text: str) -> bool:
    """—— 地方工作亮点追踪 ——: the back cover sets the subtitle between dashes."""
    return len(text) > 2 and text[0] in DECORATION and text[-1] in DECORATION


def read_short_name(caption: SourceLine, name: str | None, findings: _Findings) -> str | None:
    """BRI from 《BRI 双周决策观察》 in the caption."""
    if name is None:
        return None
    match = re.search(r"《\s*(.*?)\s*" + re.escape(name) + r"\s*》", caption.text)
    if match is None or not match[1]:
        findings.problem(
            caption.number,
            "short_name",
            f"expected the back-cover caption to name the bulletin as 《<short name> {name}》",
        )
        return None
    return match[1]


# --- body --------------------------------------------------------------------------------------


def read_body(
    lines: list[SourceLine], contents: list[_ContentsEntry], findings: _Findings
) -> list[_DraftArticle]:
    """Region sections → titles with their paragraphs, in the order of the text."""
    known_regions = contents_regions(contents)
    drafts = []
    for section in split_sections(lines):
        # Without contents every region would be unknown; the missing contents are reported.
        if known_regions and section.region not in known_regions:
            findings.problem(
                section.marker.number,
                "region",
                f"unknown region 【{section.region}】: expected a region listed in the contents ("
                + "、".join(known_regions)
                + ")",
            )
        if not section.lines:
            findings.problem(
                section.marker.number,
                "region",
                f"region 【{section.region}】 has no articles: expected an article title after it",
            )
        title_keys = contents_title_keys(contents, section.region)
        drafts += gather_drafts(section, title_keys, section.region in known_regions, findings)
    return drafts


def split_sections(lines: list[SourceLine]) -> list[_Section]:
    """Non-blank lines grouped under the region marker above them (lines[0] is a marker)."""
    sections: list[_Section] = []
    for line in lines:
        if marker := REGION_MARKER.fullmatch(line.text):
            sections.append(_Section(marker[1].strip(), line, []))
        elif line.text:
            sections[-1].lines.append(line)
    return sections


def contents_title_keys(contents: list[_ContentsEntry], region: str) -> set[str]:
    """The region's contents titles, and each two adjacent ones joined, in case the contents
    wrapped a long title onto a second line."""
    titles = [squeeze(entry.title) for entry in contents if entry.region == region]
    return set(titles) | {first + second for first, second in itertools.pairwise(titles)}


def gather_drafts(
    section: _Section, title_keys: set[str], region_known: bool, findings: _Findings
) -> list[_DraftArticle]:
    """Split a section into articles: a title is a contents title, or the line that follows a
    source (and the section's first line)."""
    drafts: list[_DraftArticle] = []
    for line in section.lines:
        current = drafts[-1] if drafts else None
        if squeeze(line.text) in title_keys:
            drafts.append(_DraftArticle(section.region, line))
        elif current is None or current.has_source:
            drafts.append(_DraftArticle(section.region, line))
            if region_known:
                findings.notice(
                    line.number,
                    "title",
                    f'title "{line.text}" is not in the contents under 【{section.region}】: '
                    "taken as a title because it starts the section or follows a source",
                )
        else:
            current.paragraphs.append(line)
            current.has_source = SOURCE.search(line.text) is not None
    return drafts


def finish_article(draft: _DraftArticle, findings: _Findings) -> ImportedArticle | None:
    """Take the source off the last paragraph and shape the rest into paragraphs and subheads."""
    title = draft.title.text
    if not draft.paragraphs:
        findings.problem(
            draft.title.number,
            "body",
            f'article "{title}" has no text: expected paragraphs after its title, the last one '
            f"ending with its source, like {SOURCE_EXAMPLE}",
        )
        return None
    last = draft.paragraphs[-1]
    match = SOURCE.search(last.text) if draft.has_source else None
    if match is None:
        findings.problem(
            last.number,
            "source",
            f'article "{title}" has no source: expected its last paragraph to end with '
            f"（outlet YYYYMMDD）, like {SOURCE_EXAMPLE}",
        )
        return None
    date = parse_compact_date(match[2])
    if date is None:
        findings.problem(
            last.number,
            "date",
            f'source date {match[2]} of article "{title}" is not a date: expected YYYYMMDD',
        )
        return None
    rest = last.text[: match.start()].rstrip()
    # A source on a line of its own (a page break before it) leaves no paragraph behind.
    paragraphs = draft.paragraphs[:-1] + ([SourceLine(last.number, rest)] if rest else [])
    if not paragraphs:
        findings.problem(
            draft.title.number, "body", f'article "{title}" has a source but no text before it'
        )
        return None
    blocks = shape_blocks(paragraphs, findings)
    return ImportedArticle(draft.region, title, match[1], date, blocks, draft.title.number)


def parse_compact_date(digits: str) -> datetime.date | None:
    """20240416 → 2024-04-16, or None when it is no date."""
    try:
        return datetime.datetime.strptime(digits, "%Y%m%d").date()
    except ValueError:
        return None


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
                f'paragraph ends without sentence-final punctuation ("…{tail(paragraph.text)}"): '
                "kept as a paragraph",
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
                "joined a paragraph cut by a page break: "
                f'"…{tail(whole[-1].text)}" + "{head(paragraph.text)}…"',
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
    contents: list[_ContentsEntry], drafts: list[_DraftArticle], findings: _Findings
) -> None:
    """Every contents title must be an article title in its region's section (the contents are
    not stored: the layout rebuilds them from the articles)."""
    found = {(draft.region, squeeze(draft.title.text)) for draft in drafts}
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
            f'contents title "{entry.title}" under 【{entry.region}】 was not found as an article '
            f"title in the 【{entry.region}】 section",
        )


# --- writing the content folder ----------------------------------------------------------------


def write_issue(
    imported: ImportedIssue, out_dir: Path, *, publication_path: Path | None = None
) -> list[Path]:
    """Write issue.yaml and articles/NN.md (and the publication file when it does not exist yet);
    every file appears whole or not at all. Returns the written paths."""
    out_dir = Path(out_dir)
    refuse_existing_issue(out_dir)
    written = []
    try:
        articles_dir = out_dir / "articles"
        articles_dir.mkdir(parents=True, exist_ok=True)
        for order, article in enumerate(imported.articles, 1):
            path = articles_dir / f"{order:02d}.md"
            write_atomically(path, article_markdown(article))
            written.append(path)
        # issue.yaml last: a folder without it is visibly an unfinished import.
        issue_path = out_dir / "issue.yaml"
        write_atomically(issue_path, issue_yaml(imported))
        written.append(issue_path)
        if publication_path is not None and not Path(publication_path).exists():
            publication_path = Path(publication_path)
            publication_path.parent.mkdir(parents=True, exist_ok=True)
            write_atomically(publication_path, publication_yaml(imported))
            written.append(publication_path)
    except OSError as error:
        where = error.filename or out_dir
        reason = error.strerror or str(error)
        problem = Problem(str(where), None, "file", f"cannot write: {reason}")
        raise ImportFormatError([problem]) from error
    return written


def refuse_existing_issue(out_dir: Path) -> None:
    """An import never overwrites an issue that is already there."""
    issue_path = out_dir / "issue.yaml"
    articles_dir = out_dir / "articles"
    taken = []
    if issue_path.is_dir() or (issue_path.is_file() and issue_path.stat().st_size > 0):
        taken.append(issue_path)
    if articles_dir.is_file() or (articles_dir.is_dir() and any(articles_dir.iterdir())):
        taken.append(articles_dir)
    if taken:
        raise ImportFormatError(
            [
                Problem(
                    str(path),
                    None,
                    "out_dir",
                    "already exists and is not empty: refusing to overwrite an issue; "
                    "import into a new folder",
                )
                for path in taken
            ]
        )


def dump_yaml(values: dict) -> str:
    """Block YAML, Chinese as is, keys in the given order, no line wrapped."""
    return yaml.safe_dump(
        values,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=YAML_NO_WRAP,
    )


def issue_yaml(imported: ImportedIssue) -> str:
    return dump_yaml(
        {
            "year": imported.year,
            "number": imported.number,
            "cumulative": imported.cumulative,
            "print_date": imported.print_date,
        }
    )


def article_file(
    region: str, title: str, source: str, date: datetime.date, blocks: list[str]
) -> str:
    """An article file: front matter, then its Markdown blocks one blank line apart."""
    front = dump_yaml({"region": region, "title": title, "source": source, "date": date})
    body = "\n\n".join(blocks)
    return f"---\n{front}---\n{body}\n"


def article_markdown(article: ImportedArticle) -> str:
    blocks = [markdown_block(kind, text) for kind, text in article.blocks]
    return article_file(article.region, article.title, article.source, article.date, blocks)


def markdown_block(kind: str, text: str) -> str:
    return heading_markdown(text) if kind == "h" else paragraph_markdown(text)


def escape_inline(text: str) -> str:
    return "".join(f"\\{c}" if c in MARKDOWN_SPECIALS else c for c in text)


def paragraph_markdown(text: str) -> str:
    """One paragraph on one line, every character printing as typed."""
    escaped = escape_inline(text)
    if escaped[:1] in LINE_START_SPECIALS:
        return "\\" + escaped
    if number := ORDERED_LIST_NUMBER.match(escaped):
        return escaped[: number.end()] + "\\" + escaped[number.end() :]
    return escaped


def heading_markdown(text: str) -> str:
    escaped = escape_inline(text)
    if escaped.endswith("#"):
        # A trailing run of # would be taken as the heading's optional closing sequence.
        escaped = escaped[:-1] + "\\#"
    return f"## {escaped}"


def publication_yaml(imported: ImportedIssue) -> str:
    """The publication file, with comments on the two addresses the text does not contain."""
    publication = imported.publication
    short = str(publication.get("short_name") or "")
    folder = short.lower() if short.isascii() and short.isalnum() else "bulletin"
    masthead = ("name", "subtitle", "short_name", "wechat_label")
    contacts = ("sponsors", "editors", "coordinators", "phone", "fax")
    layout = ("regions", "slogan", "back_cover_caption")
    parts = [
        "# What stays the same from issue to issue, as printed in a back issue.\n",
        dump_yaml({key: publication[key] for key in masthead}),
        f"{PLACEHOLDER_COMMENT}\n",
        dump_yaml({"wechat_url": "https://example.org/wechat"}),
        f"{PATTERN_COMMENT}\n{PLACEHOLDER_COMMENT}\n",
        dump_yaml({"e_edition_url": f"https://example.org/{folder}/{{year}}-{{number:02d}}/"}),
        dump_yaml({key: publication[key] for key in contacts + layout}),
    ]
    return "".join(parts)
