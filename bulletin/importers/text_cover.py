"""A back issue's cover, contents, sponsor block and back cover → issue numbers and publication."""

from __future__ import annotations

import datetime
import re

from ..i18n import _
from .text_records import (
    CONTENTS_ENTRY,
    CUMULATIVE,
    DECORATION,
    ISSUE_NUMBER,
    PRINT_DATE,
    REGION_MARKER,
    SPONSOR_FIELDS,
    SPONSOR_LABEL,
    SourceLine,
    _BackCover,
    _ContentsEntry,
    _Findings,
    _Front,
    find_source,
    region_name,
)

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
            contents_region = region_name(entry[1])
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
                _(
                    "unexpected text before the first region section: expected the cover, "
                    'the contents ("- 【上海】 title" lines) or the sponsor block (主办, 编辑, …)'
                ),
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
            _('"{label}" again: it was already on line {line}').format(label=label, line=first),
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
                line.number,
                "number",
                _("a second issue number line (the first is line {line}); keep one").format(
                    line=front.number_line
                ),
            )
            return
        front.year, front.number, front.number_line = int(match[1]), int(match[2]), line.number
    elif match := CUMULATIVE.fullmatch(line.text):
        if front.cumulative is not None:
            findings.problem(
                line.number, "cumulative", _("a second cumulative number line; keep one")
            )
            return
        front.cumulative = int(match[1])
    elif match := PRINT_DATE.fullmatch(line.text):
        if front.print_day is not None:
            findings.problem(line.number, "print_date", _("a second print date line; keep one"))
            return
        front.print_day = (line.number, int(match[1]), int(match[2]))
    else:
        front.cover_texts.append(line)


def read_issue_numbers(
    front: _Front, findings: _Findings
) -> tuple[int, int, int, datetime.date] | None:
    """(year, number, cumulative, print date), or None after reporting what is missing."""
    if front.number is None:
        findings.problem(None, "number", _('expected the issue number line, like "2024 年第 8 期"'))
    if front.cumulative is None:
        findings.problem(
            None, "cumulative", _('expected the cumulative number line, like "(总第 282 期)"')
        )
    if front.print_day is None:
        findings.problem(
            None, "print_date", _('expected the print date line, like "4 月 25 日印发"')
        )
    if front.year is None or front.number is None or front.cumulative is None:
        return None
    if front.print_day is None:  # reported above
        return None
    line, month, day = front.print_day
    try:
        print_date = datetime.date(front.year, month, day)
    except ValueError:
        findings.problem(
            line,
            "print_date",
            _("{month} 月 {day} 日 is not a date in {year}").format(
                month=month, day=day, year=front.year
            ),
        )
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
            None, "wechat_label", _("expected the QR-code label (like 研究院微信) on the cover")
        )
    if name is None:
        findings.problem(
            None, "name", _("expected the masthead name (like 双周决策观察) on the cover")
        )
    if subtitle is None:
        findings.problem(
            None,
            "subtitle",
            _("expected the masthead subtitle (like 地方工作亮点追踪) on the cover"),
        )
    for extra in front.cover_texts[:-3]:
        findings.problem(
            extra.number,
            "text",
            _(
                "unexpected text on the cover: expected only the QR-code label, the issue "
                "number, cumulative number and print date, and the masthead name and subtitle"
            ),
        )
    return label, name, subtitle


def read_sponsor_block(front: _Front, findings: _Findings) -> dict[str, object]:
    """sponsors, editors, coordinators, phone and fax from their labelled lines."""
    values: dict[str, object] = {}
    for label, (key, meaning, shape) in SPONSOR_FIELDS.items():
        values[key] = None
        if label not in front.sponsor_label_line:
            findings.problem(
                None,
                key,
                _('expected "{label}" followed by {meaning}').format(
                    label=label, meaning=_(meaning)
                ),
            )
            continue
        lines = front.sponsor_lines[label]
        label_line = front.sponsor_label_line[label]
        if not lines:
            findings.problem(
                label_line,
                key,
                _('expected {meaning} on the lines after "{label}"').format(
                    meaning=_(meaning), label=label
                ),
            )
        elif shape == "lines":
            values[key] = [line.text for line in lines]
        elif shape == "names":
            values[key] = [name for line in lines for name in line.text.split()]
        elif len(lines) > 1:
            findings.problem(
                lines[1].number,
                key,
                _('expected {meaning} on one line after "{label}"').format(
                    meaning=_(meaning), label=label
                ),
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
        if find_source(lines[index].text):
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
            _(
                'expected the back cover after the last article, starting with a line "{name}"'
            ).format(name=name),
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
                _('back cover subtitle "{shown}" differs from the cover\'s "{subtitle}"').format(
                    shown=shown, subtitle=subtitle
                ),
            )
        rest = rest[1:]
    back = _BackCover()
    if len(rest) < 2:
        findings.problem(
            masthead.number,
            "slogan",
            _(
                "expected a slogan line and then the QR-code caption after the back cover's "
                "masthead"
            ),
        )
    for extra in rest[1:-1]:
        findings.problem(
            extra.number,
            "text",
            _(
                "unexpected text on the back cover: expected the masthead, its subtitle, one "
                "slogan line and the QR-code caption"
            ),
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
            _(
                "expected the back-cover caption to name the bulletin as 《<short name> {name}》"
            ).format(name=name),
        )
        return None
    return match[1]
