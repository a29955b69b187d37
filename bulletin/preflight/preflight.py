"""Reads a PDF back and checks its Chinese setting and fonts, line by line, like a typesetter."""

from __future__ import annotations

import itertools
import re
import statistics
from dataclasses import dataclass
from pathlib import Path

from bulletin.errors import BuildError
from bulletin.i18n import _
from bulletin.preflight.page_checks import body_size, check_composition
from bulletin.preflight.report import Report, Violation
from bulletin.text.hanzi import (
    CLOSING_MARKS,
    FULL_WIDTH_MARKS,
    HAN_WESTERN_GAP_EM,
    HAN_WESTERN_GAP_TOLERANCE_EM,
    RANGE_DASH,
    halved_of_pair,
    is_han,
    needs_han_western_gap,
)

# clreq "basic" level: marks that never start a line, and marks that never end one.
NO_LINE_START = frozenset("、，；：。！？）》」』】〕〉｝］”’·…‥%‰")
NO_LINE_END = frozenset("（《「『【〔〈｛［“‘")
FLUSH_TOLERANCE_PT = 0.6
MIN_HAN_WESTERN_GAP_EM = HAN_WESTERN_GAP_EM - HAN_WESTERN_GAP_TOLERANCE_EM
MAX_PAIR_EM = 1.5
LEADER = re.compile(r"(\.\s?){3,}\d+$")
# Text further apart than this on one baseline belongs to different columns.
COLUMN_GAP_EM = 3.0


@dataclass
class Line:
    chars: list[dict]

    @property
    def text(self) -> str:
        return "".join(c["text"] for c in self.chars)

    @property
    def size(self) -> float:
        return statistics.mode(round(c["size"], 1) for c in self.chars)

    @property
    def left(self) -> float:
        return self.chars[0]["x0"]

    @property
    def right(self) -> float:
        """Right edge of the ink: a closing mark's ink is its left half."""
        last = self.chars[-1]
        if last["text"] in CLOSING_MARKS:
            return last["x0"] + last["size"] / 2
        return last["x1"]

    @property
    def baseline(self) -> float:
        return statistics.median(c["bottom"] for c in self.chars)


def _lines(chars: list[dict]) -> list[Line]:
    """Characters → lines: same baseline, split where a wide gap separates columns."""
    rows: dict[float, list[dict]] = {}
    for char in sorted(chars, key=lambda c: (round(c["bottom"]), c["x0"])):
        if char["text"] in ("", "\n"):
            continue
        key = next((k for k in rows if abs(k - char["bottom"]) < char["size"] * 0.4), None)
        rows.setdefault(char["bottom"] if key is None else key, []).append(char)
    lines = []
    for _key, row in sorted(rows.items()):
        row.sort(key=lambda c: c["x0"])
        current: list[dict] = []
        for char in row:
            if current and char["x0"] - current[-1]["x1"] > COLUMN_GAP_EM * char["size"]:
                lines.append(current)
                current = []
            current.append(char)
        lines.append(current)
    return [Line(_strip_spaces(chars)) for chars in lines if _strip_spaces(chars)]


def _strip_spaces(chars: list[dict]) -> list[dict]:
    start, end = 0, len(chars)
    while start < end and not chars[start]["text"].strip():
        start += 1
    while end > start and not chars[end - 1]["text"].strip():
        end -= 1
    return chars[start:end]


def _context(line: Line, index: int | None = None, width: int = 6) -> str:
    text = line.text
    if index is None:
        return f"“{text[:12]}…{text[-6:]}”" if len(text) > 20 else f"“{text}”"
    return f"“{text[max(0, index - width) : index + width]}”"


def _share(line: Line) -> float:
    """Extra space justification put between two ideographs on this line."""
    steps = [
        b["x0"] - a["x0"] - a["size"]
        for a, b in zip(line.chars, line.chars[1:], strict=False)
        if is_han(a["text"]) and is_han(b["text"])
    ]
    return statistics.median(steps) if steps else 0.0


def continues_on(line: Line, following: Line | None) -> bool:
    """Whether `following` is the next line of the same paragraph (same column and size)."""
    if following is None or abs(following.size - line.size) > 0.5:
        return False
    step = following.baseline - line.baseline
    shift = following.left - line.left
    return 0 < step < 2.2 * line.size and -2.5 * line.size <= shift <= 0.5


def check_line_edges(line: Line, following: Line | None, page: int) -> list[Violation]:
    found = []
    text = line.text
    if text[0] in NO_LINE_START:
        found.append(Violation(page, "prohibited line start", _context(line, 0)))
    if text[-1] in NO_LINE_END:
        found.append(Violation(page, "prohibited line end", _context(line, len(text) - 1)))
    # A contents entry ends in dot leaders and a page number: the next entry is no sequel.
    if continues_on(line, following) and not LEADER.search(text):
        head = following.text[0]
        # A 连接号 (2024—2026年) may start a line only where it joins no numbers.
        if RANGE_DASH.match(text[-1] + following.text[:2]):
            found.append(Violation(page, "prohibited line start", _context(following, 0)))
        if text[-1] == head and head in "—…":
            found.append(Violation(page, "split dash or ellipsis", _context(line, len(text))))
        if (text[-1].isdigit() or text[-1] in "%‰") and is_han(head):
            found.append(
                Violation(page, "number split from its unit", f"“{text[-6:]}|{following.text[:3]}”")
            )
    return found


def check_spacing(line: Line, page: int) -> list[Violation]:
    found = []
    chars = [c for c in line.chars if c["text"].strip()]
    share = _share(line)
    for index, (a, b) in enumerate(itertools.pairwise(chars)):
        em = a["size"]
        if needs_han_western_gap(a["text"], b["text"]):
            gap = b["x0"] - a["x1"]
            if gap < MIN_HAN_WESTERN_GAP_EM * em:
                found.append(Violation(page, "no Han-Western gap", _context(Line(chars), index)))
        if halved_of_pair(a["text"], b["text"]) is not None:
            # Compressed, the second mark starts half an em after the first (plus whatever
            # justification put between them), whichever of the two was set half-width.
            step = b["x0"] - a["x0"] - share
            if step > (MAX_PAIR_EM - 1 + 0.25) * em:
                found.append(
                    Violation(page, "uncompressed punctuation", _context(Line(chars), index))
                )
    return found


def check_paragraphs(lines: list[Line], page: int) -> list[Violation]:
    """Flush right edges and last lines, for the page's body text (the size setting most)."""
    if not lines:
        return []
    size = body_size(lines)
    body = [line for line in lines if line.size == size]
    # The column's left edge: the leftmost line of any size (the running head starts there),
    # so a page whose paragraphs are all one indented line is not read as one paragraph.
    left = min(line.left for line in lines)
    right = max(line.right for line in body)
    found = []
    for index, line in enumerate(body):
        following = body[index + 1] if index + 1 < len(body) else None
        close = following is not None and following.baseline - line.baseline < 2.2 * size
        continues = close and abs(following.left - left) < 1.0
        if continues and abs(line.right - right) > FLUSH_TOLERANCE_PT:
            found.append(
                Violation(page, "line not flush", f"{right - line.right:+.1f} pt {_context(line)}")
            )
        starts_flush = abs(line.left - left) < 1.0
        previous = body[index - 1] if index > 0 else None
        is_continuation = (
            starts_flush and previous is not None and line.baseline - previous.baseline < 2.2 * size
        )
        letters = [c for c in line.text if c not in FULL_WIDTH_MARKS and c.strip()]
        if is_continuation and not continues and len(letters) <= 1:
            found.append(Violation(page, "lone character last line", _context(line)))
    return found


def check_fonts(reader) -> list[Violation]:
    """Every font embedded, and every code drawing the same glyph in every kind of reader.

    `reader` is a pypdf reader, or the path of a PDF to read."""
    from pypdf import PdfReader

    from bulletin.preflight.font_checks import check_glyph_mapping

    if isinstance(reader, str | Path):
        reader = PdfReader(reader)
    found = check_glyph_mapping(reader, Violation)
    for number, page in enumerate(reader.pages, 1):
        fonts = (page.get("/Resources") or {}).get("/Font") or {}
        for font in fonts.values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            if descriptor is None and "/DescendantFonts" in font:
                descriptor = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor is not None else {}
            if not any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                found.append(Violation(number, "font not embedded", str(font.get("/BaseFont"))))
    return found


def preflight(path: Path, *, press: bool = False) -> Report:
    """Check every page of a PDF; the report lists each violation with its page and text.

    `press` adds the print shop's checks (press_checks.py): PDF/X-4 header, output intent
    and metadata; no annotations, bleed, inks (no RGB, no 400 %, 300 % at most), images at
    300 dpi, and text solid black or, under 12 pt, of one ink. Any PDF is checked for what
    an archive reads (file_checks.py): uncompressed XMP, a file /ID, no image interpolation.
    The file is read in a child process under time and memory budgets (limits.py), and
    its skeleton checked first (structure.py): a hostile file gets one line, not a crash.
    """
    from bulletin.preflight.limits import run_limited

    return run_limited(Path(path), read, Path(path), press)


def read(path: Path, press: bool) -> Report:
    """preflight() itself, in the process that reads: any fault of the file a BuildError."""
    from bulletin.preflight.limits import caused_by
    from bulletin.preflight.structure import Damaged, reason_of

    try:
        return _read(path, press)
    except Damaged as damaged:
        raise BuildError(path, "pdf", str(damaged)) from None
    except (BuildError, MemoryError):
        raise
    except Exception as error:  # pdfminer, pypdf and fontTools raise many types
        if caused_by(error, MemoryError):
            raise MemoryError from None
        if caused_by(error, RecursionError):
            reason = _("a damaged PDF file: nested too deeply to read")
        else:
            reason = _("a damaged PDF file: reading it failed ({reason})").format(
                reason=reason_of(error)
            )
        raise BuildError(path, "pdf", reason) from None


def _read(path: Path, press: bool) -> Report:
    import pdfplumber
    from pypdf import PdfReader

    from bulletin.preflight.file_checks import check_file
    from bulletin.preflight.limits import caused_by
    from bulletin.preflight.press_checks import check_press
    from bulletin.preflight.structure import check_encryption, check_references, check_structure

    if path.is_dir():
        raise BuildError(path, "pdf", _("a folder, not a PDF file"))
    try:
        with open(path, "rb") as handle:
            head = handle.read(1024)
    except OSError as error:
        reason = _("cannot read: {reason}").format(reason=error.strerror or error)
        raise BuildError(path, "pdf", reason) from None
    if not head.lstrip().startswith(b"%PDF-"):
        raise BuildError(path, "pdf", _("not a PDF file"))
    damaged = _("a damaged PDF file: it cannot be read")
    try:
        reader = PdfReader(path)
    except Exception as error:  # pypdf raises many types for a damaged PDF
        if caused_by(error, MemoryError):
            raise MemoryError from None
        raise BuildError(path, "pdf", damaged) from None
    check_encryption(reader)
    try:
        pdf = pdfplumber.open(path)
    except Exception as error:  # pdfminer raises many types for a damaged PDF
        if caused_by(error, MemoryError):
            raise MemoryError from None
        raise BuildError(path, "pdf", damaged) from None
    # Not `with pdf`: closing reads the pages again, and a hostile file would fail again.
    try:
        check_references(pdf.doc)
        check_structure(reader)
        report = _check_pages(path, pdf.pages, press)
    finally:
        pdf.stream.close()
    report.violations += check_fonts(reader)
    report.violations += check_file(reader, Violation)
    if press:
        for found in check_press(reader):
            (report.warnings if found.warning else report.violations).append(found)
    return report


def _check_pages(path: Path, pages: list, press: bool) -> Report:
    """The setting of every page, line by line, and the composition of the body pages."""
    from bulletin.preflight.press_checks import check_press_text

    if pages and all(page.width > page.height * 1.2 for page in pages):
        raise BuildError(
            path,
            "pdf",
            _("an imposed booklet (two pages a side); preflight the PDF it was made from"),
        )
    report = Report(path, len(pages))
    every_page, sizes = [], []
    for number, page in enumerate(pages, 1):
        lines = _lines(page.chars)
        every_page.append(lines)
        sizes.append((float(page.width), float(page.height)))
        for index, line in enumerate(lines):
            following = lines[index + 1] if index + 1 < len(lines) else None
            report.violations += check_line_edges(line, following, number)
            report.violations += check_spacing(line, number)
        report.violations += check_paragraphs(lines, number)
        if press:
            report.violations += check_press_text(page.chars, number)
    composition, report.empty_lines = check_composition(every_page, sizes, Violation)
    report.violations += composition
    return report
