"""The plain-text importer's records: input lines, findings, and the patterns of a back issue."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from typing import NamedTuple

from ..content.regions import known_form
from ..errors import Problem
from ..i18n import N_

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
# A source date as editors type it: 20240502, 2024-05-02, 2024/5/2, 2024.5.2, 2024年5月2日.
SOURCE_DATE = (
    r"\d{8}|\d{4}\s*[-./／]\s*\d{1,2}\s*[-./／]\s*\d{1,2}"
    r"|\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日"
)
# （21 世纪经济报道 20240416） ending a paragraph, in full- or half-width parentheses, with or
# without 来源： and the date; the outlet may hold digits and spaces.
SOURCE = re.compile(
    r"[（(]\s*(?P<label>来源\s*[:：]\s*)?(?P<outlet>[^（）()]*?[^（）()\s:：])"
    r"(?:\s*(?P<date>" + SOURCE_DATE + r"))?\s*[）)]$"
)
# A parenthesis without a date or 来源 is a source only after a complete sentence (or alone on
# its line), short, and without sentence punctuation: （湖南日报）, not （以下简称“方案”）.
UNDATED_OUTLET_MAX_CHARS = 30
DECORATION = "—–-―~～ "

# Sponsor-block label → (publication key, what its lines hold, how the lines become values).
SPONSOR_FIELDS = {
    "主办": ("sponsors", N_("the sponsors, one per line"), "lines"),
    "编辑": ("editors", N_("the editors' names"), "names"),
    "统筹": ("coordinators", N_("the coordinators' names"), "names"),
    "电话": ("phone", N_("the phone number"), "single"),
    "传真": ("fax", N_("the fax number"), "single"),
}

SOURCE_EXAMPLE = "（上海证券报 20240416）"


class SourceLine(NamedTuple):
    """One line of the input: its 1-based number and its text without surrounding whitespace."""

    number: int
    text: str


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
class _ArticleLines:
    """The lines of one article as gathered from its region's section, before it is shaped."""

    region: str
    title: SourceLine
    paragraphs: list[SourceLine] = field(default_factory=list)
    has_source: bool = False
    unplaced: list[SourceLine] = field(default_factory=list)  # kept after the source, flagged


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


def region_name(marker: str) -> str:
    """A region as printed, in its known form when it is one typed differently (上 海 → 上海)."""
    name = marker.strip()
    return known_form(name) or name


def find_source(text: str) -> re.Match[str] | None:
    """The source ending a paragraph (groups outlet, date), or None."""
    match = SOURCE.search(text)
    if match is None or match["date"] or match["label"]:
        return match
    before = text[: match.start()].rstrip()
    outlet = match["outlet"]
    after_sentence = not before or before[-1] in SENTENCE_FINAL or before[-1] in "”’」』"
    plain = len(outlet) <= UNDATED_OUTLET_MAX_CHARS and not any(c in PUNCTUATION for c in outlet)
    return match if after_sentence and plain and not outlet.isdigit() else None


def parse_source_date(text: str) -> datetime.date | None:
    """20240416, 2024-4-16, 2024.4.16, 2024年4月16日 → 2024-04-16; None when it is no date."""
    numbers = re.findall(r"\d+", text)
    if len(numbers) == 1 and len(numbers[0]) == 8:
        numbers = [numbers[0][:4], numbers[0][4:6], numbers[0][6:]]
    if len(numbers) != 3:
        return None
    try:
        return datetime.date(*(int(n) for n in numbers))
    except ValueError:
        return None
