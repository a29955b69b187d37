"""Runs the stages in order: load → check fonts → render → typeset → PDF → output file."""

from __future__ import annotations

import datetime as dt
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__
from .check import check_issue
from .errors import BuildError
from .fonts import FONTS_DIR
from .loader import LoadedIssue, display_path
from .render import render_issue

DEFAULT_OUTPUT_DIR = Path("out")
# The press profile is copied into the project's environment by `make setup`.
PRESS_PROFILE = Path(sys.prefix) / "share" / "bulletin" / "press-cmyk.icc"
KINDS = ("office", "press", "booklet", "archive", "web")
SUFFIXES = {"office": "", "press": "-press", "booklet": "-booklet", "archive": ""}


@dataclass
class BuildResult:
    """What a build made and what it noticed."""

    output: Path
    pages: int
    warnings: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)
    status: str = "written"  # archive: "archived", "unchanged" or "replaced"
    kept: Path | None = None


def default_output(loaded: LoadedIssue, output_dir: Path = DEFAULT_OUTPUT_DIR, kind="office"):
    return output_dir / f"{loaded.content.stem}{SUFFIXES[kind]}.pdf"


def build(
    issue_dir: Path,
    output: Path | None = None,
    *,
    kind: str = "office",
    strict: bool = False,
    layout: str | None = None,
    stock_engine: bool = False,
    profile: Path | None = None,
    replace: bool = False,
    into_folder: bool = False,
) -> BuildResult:
    """Typeset one issue into one kind of PDF.

    office: A4 (the default); press: PDF/X-4, CMYK, bleed and crop marks; booklet: A3
    sheets imposed for saddle stitching; archive: PDF/A-3b carrying its sources, stored
    write-once in the folder `output` with a catalogue; web: the e-edition, a folder with
    index.html. `output` is a .pdf file or a folder (default out/). For the web edition
    `output` is the edition's own folder, unless `into_folder` (several issues at once):
    then each edition goes into `output`/NAME-web.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}")
    clock = time.perf_counter()
    seconds: dict[str, float] = {}

    def lap(stage: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        seconds[stage] = now - clock
        clock = now

    loaded, missing = check_issue(Path(issue_dir), strict=strict)
    lap("load")
    render_for = {"press": "press", "archive": "archive", "web": "web"}.get(kind, "office")
    rendered = render_issue(loaded.content, layout, render_for, loaded.issue_dir)
    lap("render")
    if kind == "web":
        from .outputs.web import write_web_edition

        named = f"{loaded.content.stem}-web"
        folder = (
            (output / named if into_folder else output) if output else DEFAULT_OUTPUT_DIR / named
        )
        if folder.suffix.lower() == ".pdf":
            raise BuildError(f"{folder}: output: the web edition is a folder, not a .pdf file")
        page = write_web_edition(rendered.html, rendered.layout_dir, folder)
        lap("write")
        return BuildResult(page, 0, [str(p) for p in missing], seconds)

    from . import typeset  # WeasyPrint loads only when something is typeset.
    from .outputs import archive, impose, press
    from .outputs.pdf import write_pdf

    roots = [loaded.issue_dir, rendered.layout_dir, FONTS_DIR]
    document = typeset.typeset(rendered.html, rendered.base_url, roots, stock_engine=stock_engine)
    lap("typeset")
    identity = f"{loaded.content.stem} {typeset.content_hash(rendered.html)}"
    if kind == "press":
        data = typeset.pdf_bytes(
            document, variant="pdf/x-4", cmyk_profile=profile or _press_profile(), identity=identity
        )
        data = press.add_crop_marks(data)
    elif kind == "archive":
        sources = typeset.EmbeddedFile(
            name=f"{loaded.content.stem}-source.zip",
            data=archive.source_zip(loaded),
            description="Content records this issue was typeset from",
            date=dt.datetime.combine(loaded.content.issue.print_date, dt.time()),
        )
        data = typeset.pdf_bytes(
            document, variant="pdf/a-3b", attachments=(sources,), identity=identity
        )
    else:
        data = typeset.pdf_bytes(document, identity=identity)
        if kind == "booklet":
            data = impose.impose_booklet(data)
    lap("pdf")
    warnings = [str(p) for p in missing] + document.warnings
    if strict and document.warnings:
        raise BuildError(
            f"{display_path(loaded.issue_dir)}: build: --strict and the engine warned: "
            + "; ".join(document.warnings)
        )

    if kind == "archive":
        if output is None:
            raise BuildError("archive: no archive folder given")
        entry = archive_entry(loaded, document.page_count)
        stored = archive.store(output, f"{loaded.content.stem}.pdf", data, entry, replace=replace)
        lap("write")
        return BuildResult(
            stored.path, document.page_count, warnings, seconds, stored.status, stored.kept
        )
    if output is None:
        target = default_output(loaded, kind=kind)
    elif output.suffix.lower() == ".pdf":
        target = output
    else:
        target = default_output(loaded, output, kind)
    write_pdf(target, data)
    lap("write")
    return BuildResult(target, document.page_count, warnings, seconds)


def archive_entry(loaded: LoadedIssue, pages: int) -> dict:
    """The catalogue's record of an issue, but for its file's size and hash."""
    from weasyprint import __version__ as engine_version

    content = loaded.content
    issue = content.issue
    return {
        "issue": f"{issue.year}-{issue.number:02d}",
        "title": f"{content.publication.name} {issue.year} 年第 {issue.number} 期",
        "year": issue.year,
        "number": issue.number,
        "cumulative": issue.cumulative,
        "print_date": issue.print_date.isoformat(),
        "pages": pages,
        "archived_on": dt.date.today().isoformat(),
        "tool": f"bulletin {__version__} (WeasyPrint {engine_version})",
    }


def _press_profile() -> Path:
    if not PRESS_PROFILE.is_file():
        raise BuildError(
            f"{PRESS_PROFILE}: profile: missing; run `make setup` (it installs Debian's "
            "libgs-common and copies its CMYK profile here) or pass --profile FILE.icc"
        )
    return PRESS_PROFILE
