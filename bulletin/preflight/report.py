"""What preflight finds: the rules it checks, a violation of one, and the report of a file."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from bulletin.i18n import _

RULES = (
    "line not flush",
    "prohibited line start",
    "prohibited line end",
    "split dash or ellipsis",
    "number split from its unit",
    "no Han-Western gap",
    "uncompressed punctuation",
    "lone character last line",
    "font not embedded",
    "font glyph mismatch",
    "line off grid",
    "hole at page foot",
    "glyph outside text area",
    # any file: bulletin/tools/file_checks.py
    "compressed XMP",
    "no file identifier",
    "image interpolation",
    # press: bulletin/tools/press_checks.py
    "PDF version below 1.6",
    "output intent",
    "metadata mismatch",
    "annotation",
    "no bleed",
    "RGB colour",
    "RGB image",
    "image below 150 ppi",
    "image below 300 ppi",  # a warning only
    "400 % CMYK",
    "ink over 300 %",
    "multi-ink small text",
    "tinted text",
)


@dataclass
class Violation:
    page: int
    rule: str
    context: str
    warning: bool = False  # reported, but the file passes (a picture soft for print)

    def __str__(self) -> str:
        where = _("page {n}: ").format(n=self.page) if self.page else ""  # 0: the whole file
        return f"{where}{_(self.rule)}: {self.context}"


@dataclass
class Report:
    path: Path
    pages: int
    violations: list[Violation] = field(default_factory=list)
    warnings: list[Violation] = field(default_factory=list)
    # Body pages: grid lines left empty at the foot of each (the last body page may end short).
    empty_lines: dict[int, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.violations

    def counts(self) -> Counter:
        return Counter(v.rule for v in self.violations)

    def per_page(self) -> dict[int, Counter]:
        pages: dict[int, Counter] = {}
        for violation in self.violations:
            pages.setdefault(violation.page, Counter())[violation.rule] += 1
        return pages
