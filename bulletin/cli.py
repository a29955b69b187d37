"""The `bulletin` command: parses options, calls the library, prints, maps errors to exit codes."""

from __future__ import annotations

import functools
import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from . import __version__
from .errors import BulletinError

app = typer.Typer(
    help="Typeset the 双周决策观察 bulletin: content records → print-ready A4 PDF.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _say(line: str) -> None:
    typer.echo(line)


def _warn(line: str) -> None:
    typer.echo(f"warning: {line}", err=True)


def reports_errors(command):
    """Library errors become their one-line messages on stderr and exit code 1."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except BulletinError as error:
            for line in error.lines():
                typer.echo(line, err=True)
            raise typer.Exit(error.exit_code) from None
        except Exception as error:
            # Typer's own exits and usage errors pass; anything else is a bug, not bad
            # input: one line for the user, the traceback on request.
            if type(error).__module__.startswith("typer") or os.environ.get("BULLETIN_DEBUG"):
                raise
            typer.echo(
                f"bulletin: internal error: {type(error).__name__}: {error} "
                "(set BULLETIN_DEBUG=1 to see where; please report it)",
                err=True,
            )
            raise typer.Exit(1) from None

    return wrapper


def _version(value: bool) -> None:
    if value:
        _say(f"bulletin {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = False,
) -> None:
    """Typeset the 双周决策观察 bulletin: content records → print-ready A4 PDF."""


IssueDirs = Annotated[
    list[Path],
    typer.Argument(
        help="Issue folders, e.g. content/2024-08.", show_default=False, metavar="ISSUE_DIR"
    ),
]
Strict = Annotated[
    bool,
    typer.Option(
        "--strict", help="Treat warnings (characters the fonts lack, engine warnings) as errors."
    ),
]


@app.command("check")
@reports_errors
def check_command(issue_dirs: IssueDirs, strict: Strict = False) -> None:
    """Validate issues and report every problem as path:line: field: message."""
    from .content.check import check_issue
    from .errors import ContentError

    failed: list[str] = []
    for issue_dir in issue_dirs:
        try:
            loaded, missing = check_issue(issue_dir, strict=strict)
        except ContentError as error:
            failed.extend(error.lines())
            continue
        for problem in missing:
            _warn(str(problem))
        count = len(loaded.content.articles)
        _say(f"{issue_dir}: ok, {count} articles in {len(loaded.content.sections)} regions")
    if failed:
        for line in failed:
            typer.echo(line, err=True)
        raise typer.Exit(1)


@app.command("build")
@reports_errors
def build_command(
    issue_dirs: IssueDirs,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="A .pdf file (one issue) or a folder (default: out/).",
            show_default=False,
            metavar="FILE.pdf|DIR",
        ),
    ] = None,
    strict: Strict = False,
    layout: Annotated[
        str | None,
        typer.Option(
            help="Layout folder under layouts/ (default: the publication's).", metavar="NAME"
        ),
    ] = None,
    press: Annotated[
        bool,
        typer.Option(
            "--press",
            help="For the print shop: PDF/X-4, CMYK, 3 mm bleed, crop marks (NAME-press.pdf).",
        ),
    ] = False,
    booklet: Annotated[
        bool,
        typer.Option(
            "--booklet",
            help="For the office printer: A3 sheets, two pages a side, in saddle-stitch "
            "order, duplex (NAME-booklet.pdf).",
        ),
    ] = False,
    web: Annotated[
        bool,
        typer.Option(
            "--web",
            help="The e-edition: a folder with a phone-first index.html (default out/NAME-web/).",
        ),
    ] = False,
    profile: Annotated[
        Path | None,
        typer.Option(
            help="CMYK ICC profile of the press (default: the one `make setup` installs).",
            metavar="FILE.icc",
            show_default=False,
        ),
    ] = None,
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs",
            "-j",
            min=1,
            help="Worker processes for several issues (default: the number of cores).",
            show_default=False,
        ),
    ] = None,
    stock_engine: Annotated[
        bool,
        typer.Option(
            "--stock-engine",
            help="Set lines with WeasyPrint's own rules instead of the Chinese ones (to compare).",
        ),
    ] = False,
) -> None:
    """Typeset issues: the office A4 PDF, or the press PDF, or the booklet."""
    if len(issue_dirs) > 1 and output is not None and output.suffix.lower() == ".pdf":
        raise typer.BadParameter(
            "several issues need a folder, not a .pdf file", param_hint="'--output'"
        )
    if press + booklet + web > 1:
        raise typer.BadParameter(
            "choose one of --press, --booklet and --web", param_hint="'--press'"
        )
    if profile is not None and not press:
        raise typer.BadParameter("--profile is for --press", param_hint="'--profile'")
    kind = "press" if press else "booklet" if booklet else "web" if web else "office"
    options = {
        "output": output,
        "kind": kind,
        "strict": strict,
        "layout": layout,
        "stock_engine": stock_engine,
        "profile": profile,
    }
    if len(issue_dirs) == 1:
        from .build import build

        result = build(issue_dirs[0], **options)
        for warning in result.warnings:
            _warn(warning)
        total = sum(result.seconds.values())
        if kind == "web":
            _say(f"{result.output}: e-edition, {total:.1f} s")
            return
        sheets = f" on {-(-result.pages // 4)} A3 sheets" if kind == "booklet" else ""
        _say(f"{result.output}: {result.pages} pages{sheets}, {total:.1f} s")
        return
    # Several e-editions share the output folder, one subfolder each.
    _build_batch(issue_dirs, {**options, "into_folder": kind == "web"}, jobs)


def _build_batch(issue_dirs: list[Path], options: dict, jobs: int | None) -> None:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    from .tools.batch import build_many

    console = Console(stderr=True)
    columns = ("{task.description}", BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task("building", total=len(issue_dirs))

        def done(outcome) -> None:
            progress.advance(task)
            for line in outcome.errors:
                progress.console.print(line, markup=False, highlight=False)

        result = build_many(issue_dirs, options, jobs=jobs, on_done=done)
    for outcome in result.outcomes:
        for warning in outcome.warnings:
            _warn(warning)
        if outcome.ok:
            made = f"{outcome.pages} pages" if outcome.pages else "e-edition"
            _say(f"{outcome.output}: {made}")
    built = len(result.outcomes) - len(result.failed)
    failed = f", {len(result.failed)} failed" if result.failed else ""
    _say(
        f"{built} issues built, {result.pages} pages, {result.seconds:.1f} s "
        f"({result.jobs} workers){failed}"
    )
    if result.failed:
        raise typer.Exit(1)


@app.command("watch")
@reports_errors
def watch_command(
    issue_dir: Annotated[Path, typer.Argument(help="The issue folder.", metavar="ISSUE_DIR")],
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="The PDF to keep up to date (default: out/NAME.pdf).",
            metavar="FILE.pdf",
            show_default=False,
        ),
    ] = None,
    serve: Annotated[
        int | None,
        typer.Option(
            help="Instead of the PDF, keep the e-edition up to date and serve it on "
            "http://127.0.0.1:PORT/, reloading the page after each build.",
            metavar="PORT",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Rebuild whenever the issue, the layout or the publication changes (Ctrl-C stops)."""
    import datetime as dt

    from .tools.watch import watch_issue

    latest = {"number": 0}

    def report(rebuild) -> None:
        latest["number"] = rebuild.number
        stamp = dt.datetime.now().strftime("%H:%M:%S")
        if rebuild.errors:
            for line in rebuild.errors:
                typer.echo(f"[{stamp}] {line}", err=True)
            typer.echo(
                f"[{stamp}] build {rebuild.number} failed; the last good output stays", err=True
            )
            return
        result = rebuild.result
        total = sum(result.seconds.values())
        pages = f"{result.pages} pages, " if result.pages else ""
        _say(f"[{stamp}] build {rebuild.number}: {result.output}: {pages}{total:.1f} s")

    kind = "office"
    if serve is not None:
        from .tools.watch import serve_folder

        kind = "web"
        folder = output or Path("out") / "e-edition"
        output = folder
        folder.mkdir(parents=True, exist_ok=True)
        serve_folder(folder, serve, lambda: latest["number"])
        _say(f"serving {folder} on http://127.0.0.1:{serve}/")
    _say(f"watching {issue_dir}, the layouts and the publication; Ctrl-C stops")
    watch_issue(issue_dir, output, kind=kind, on_rebuild=report)


@app.command("archive")
@reports_errors
def archive_command(
    issue_dirs: IssueDirs,
    to: Annotated[Path, typer.Option("--to", help="The archive folder.", metavar="ARCHIVE_DIR")],
    replace: Annotated[
        bool,
        typer.Option(
            "--replace",
            help="Archive even if a different copy is there; the old copy is kept beside it.",
        ),
    ] = False,
    strict: Strict = False,
) -> None:
    """Store PDF/A-3b copies carrying their sources, write-once, with a catalogue."""
    from .build import build

    failures = 0
    for issue_dir in issue_dirs:
        try:
            result = build(issue_dir, to, kind="archive", strict=strict, replace=replace)
        except BulletinError as error:
            failures += 1
            for line in error.lines():
                typer.echo(line, err=True)
            continue
        for warning in result.warnings:
            _warn(warning)
        note = {
            "archived": "archived",
            "unchanged": "already archived, identical: nothing to do",
            "replaced": f"replaced; the previous copy is kept as {result.kept}",
        }[result.status]
        _say(f"{result.output}: {result.pages} pages, {note}")
    if failures:
        raise typer.Exit(1)


@app.command("new")
@reports_errors
def new_command(
    content_dir: Annotated[
        Path,
        typer.Argument(help="The content folder holding the issues.", metavar="CONTENT_DIR"),
    ] = Path("content"),
) -> None:
    """Start the next issue: numbers and print date follow the latest one."""
    from .content.numbering import EXAMPLE_ARTICLE, start_next_issue

    folder = start_next_issue(content_dir)
    _say(f"{folder}: new issue; write articles as {folder}/articles/01.md, 02.md, …")
    _say(f"  (see {folder}/articles/{EXAMPLE_ARTICLE}; then: bulletin check {folder})")


@app.command("import")
@reports_errors
def import_command(
    source: Annotated[
        Path,
        typer.Argument(
            help="A plain-text back issue (UTF-8) or a Word draft.", metavar="SOURCE.txt|.docx"
        ),
    ],
    out: Annotated[Path, typer.Option("--out", help="The issue folder to create.", metavar="DIR")],
    publication: Annotated[
        Path | None,
        typer.Option(
            help="Where to write the publication file if it does not exist yet "
            "(default: publication.yaml beside the issue folder).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Turn a plain-text back issue, or a Word draft (.docx), into content records.

    A back issue (.txt) becomes a new issue folder. A Word draft becomes the articles of
    an issue folder started with `bulletin new`.
    """
    from .content.loader import display_path, read_text
    from .errors import ContentError, Problem

    if source.suffix.lower() == ".docx":
        from .importers.docx import read_draft, write_draft

        if not source.is_file():
            raise ContentError([Problem(display_path(source), None, "file", "no such file")])
        draft = read_draft(source)
        written = write_draft(draft, out)
        for notice in draft.notices:
            _warn(str(notice))
        _say(f"{out}: {len(written)} articles from {source}")
        return

    from .importers.text import import_text
    from .importers.writer import write_issue

    problems: list[Problem] = []
    text = read_text(source, problems) if source.is_file() else None
    if text is None:
        if not problems:
            problems.append(Problem(display_path(source), None, "file", "no such file"))
        raise ContentError(problems)
    imported = import_text(text, source_name=display_path(source))
    target = publication or out.parent / "publication.yaml"
    written = write_issue(imported, out, publication_path=target)
    for notice in imported.notices:
        _warn(str(notice))
    _say(f"{out}: {len(imported.articles)} articles, {len(written)} files written")


@app.command("preflight")
@reports_errors
def preflight_command(
    pdf: Annotated[Path, typer.Argument(help="A PDF to check.", metavar="FILE.pdf")],
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="List every violation, not just the counts.")
    ] = False,
    press: Annotated[
        bool,
        typer.Option(
            "--press", help="Also check for print: 3 mm bleed, no RGB, images at 300 dpi or more."
        ),
    ] = False,
) -> None:
    """Check a PDF's Chinese setting and fonts; exit 1 on any violation."""
    from .tools.preflight import RULES, preflight

    if not pdf.is_file():
        raise typer.BadParameter(f"{pdf}: no such file", param_hint="'FILE.pdf'")
    report = preflight(pdf, press=press)
    if verbose:
        for violation in report.violations:
            _say(f"{pdf}: {violation}")
    for page, counts in sorted(report.per_page().items()):
        listed = ", ".join(f"{rule} {n}" for rule, n in sorted(counts.items()))
        _say(f"page {page}: {listed}")
    totals = report.counts()
    _say(
        f"{pdf}: {report.pages} pages, {len(report.violations)} violations"
        + ("" if report.ok else ": " + ", ".join(f"{r} {totals[r]}" for r in RULES if totals[r]))
    )
    if not report.ok:
        raise typer.Exit(1)


@app.command("doctor")
@reports_errors
def doctor_command() -> None:
    """Report the engine, system libraries and fonts, and what to install when missing."""
    from .tools.doctor import diagnose

    findings = diagnose()
    width = max(len(f.name) for f in findings)
    for finding in findings:
        mark = "ok " if finding.ok else "!! "
        _say(f"{mark}{finding.name.ljust(width)}  {finding.detail}")
    for finding in findings:
        if not finding.ok and finding.remedy:
            _say(f"   fix {finding.name}: {finding.remedy}")
    if not all(f.ok for f in findings):
        raise typer.Exit(1)


def _exit_on_signal(number, frame) -> None:
    # SystemExit unwinds like Ctrl-C does: temporary files are removed, outputs kept whole.
    raise SystemExit(128 + number)


def main() -> None:
    """Entry point of the `bulletin` script."""
    import signal

    # No pydantic plugins are used; skipping their discovery saves start-up time.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), _exit_on_signal)
    app(prog_name="bulletin")


if __name__ == "__main__":  # pragma: no cover
    main()
    sys.exit(0)
