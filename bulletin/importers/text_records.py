"""The plain-text importer's records: input lines, findings, and the patterns of a back issue."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from typing import NamedTuple

from ..errors import Problem

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


def parse_compact_date(digits: str) -> datetime.date | None:
    """20240416 → 2024-04-16, or None when it is no date."""
    try:
        return datetime.datetime.strptime(digits, "%Y%m%d").date()
    except ValueError:
        return None
