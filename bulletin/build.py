"""Runs the stages in order: load → check fonts → render → typeset → write the PDF."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from .check import check_issue
from .errors import BuildError
from .fonts import FONTS_DIR
from .loader import LoadedIssue, display_path
from .render import render_issue

DEFAULT_OUTPUT_DIR = Path("out")


@dataclass
class BuildResult:
    """What a build made and what it noticed."""

    output: Path
    pages: int
    warnings: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)


def default_output(loaded: LoadedIssue, output_dir: Path = DEFAULT_OUTPUT_DIR) -> Path:
    return output_dir / f"{loaded.content.stem}.pdf"


def build(
    issue_dir: Path,
    output: Path | None = None,
    *,
    strict: bool = False,
    layout: str | None = None,
    stock_engine: bool = False,
) -> BuildResult:
    """Typeset one issue into an A4 PDF; `output` is a .pdf file or a folder (default out/)."""
    clock = time.perf_counter()
    seconds: dict[str, float] = {}

    def lap(stage: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        seconds[stage] = now - clock
        clock = now

    loaded, missing = check_issue(Path(issue_dir), strict=strict)
    lap("load")
    rendered = render_issue(loaded.content, layout)
    lap("render")

    from . import typeset  # WeasyPrint loads only when something is typeset.
    from .outputs.pdf import write_pdf

    roots = [loaded.issue_dir, rendered.layout_dir, FONTS_DIR]
    document = typeset.typeset(rendered.html, rendered.base_url, roots, stock_engine=stock_engine)
    lap("typeset")
    data = typeset.pdf_bytes(document)
    lap("pdf")
    warnings = [str(p) for p in missing] + document.warnings
    if strict and document.warnings:
        raise BuildError(
            f"{display_path(loaded.issue_dir)}: build: --strict and the engine warned: "
            + "; ".join(document.warnings)
        )

    if output is None:
        target = default_output(loaded)
    elif output.suffix.lower() == ".pdf":
        target = output
    else:
        target = default_output(loaded, output)
    write_pdf(target, data)
    lap("write")
    return BuildResult(target, document.page_count, warnings, seconds)
