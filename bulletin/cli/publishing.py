"""Commands that make files: build (one issue or many), watch and archive."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..errors import BulletinError
from .app import IssueDirs, Strict, app, reports_errors, say, warn


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
    condition: Annotated[
        str | None,
        typer.Option(
            help="The printing condition --profile stands for, as the output intent names it: "
            "a registered one (e.g. JC200103, Japan Color 2001 Coated) or free text.",
            metavar="NAME",
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
    if condition is not None and profile is None:
        raise typer.BadParameter(
            "names the condition of a --profile FILE.icc; pass both", param_hint="'--condition'"
        )
    if condition is not None and not condition.strip():
        raise typer.BadParameter("is empty", param_hint="'--condition'")
    kind = "press" if press else "booklet" if booklet else "web" if web else "office"
    options = {
        "output": output,
        "kind": kind,
        "strict": strict,
        "layout": layout,
        "stock_engine": stock_engine,
        "profile": profile,
        "condition": condition.strip() if condition else None,
    }
    if len(issue_dirs) == 1:
        from ..build import build

        result = build(issue_dirs[0], **options)
        for warning in result.warnings:
            warn(warning)
        total = sum(result.seconds.values())
        if kind == "web":
            say(f"{result.output}: e-edition, {total:.1f} s")
            return
        sheets = f" on {-(-result.pages // 4)} A3 sheets" if kind == "booklet" else ""
        say(f"{result.output}: {result.pages} pages{sheets}, {total:.1f} s")
        return
    # Several e-editions share the output folder, one subfolder each.
    _build_batch(issue_dirs, {**options, "into_folder": kind == "web"}, jobs)


def _build_batch(issue_dirs: list[Path], options: dict, jobs: int | None) -> None:
    import signal

    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    from ..tools.batch import build_many

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
            warn(warning)
        if outcome.ok:
            made = f"{outcome.pages} pages" if outcome.pages else "e-edition"
            say(f"{outcome.output}: {made}")
    built = len(result.outcomes) - len(result.failed)
    failed = f", {len(result.failed)} failed" if result.failed else ""
    if (number := result.stopped_by) is not None:
        by = "Ctrl-C" if number == signal.SIGINT else signal.Signals(number).name
        typer.echo(
            f"stopped by {by}: {built} of {len(issue_dirs)} issues built{failed}, "
            f"the other {len(result.cancelled)} cancelled",
            err=True,
        )
        raise typer.Exit(128 + number)
    say(
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

    from ..errors import BuildError
    from ..tools.watch import refuse_output_inside_watched, serve_folder, watch_issue

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
        for warning in result.warnings:
            typer.echo(f"[{stamp}] warning: {warning}", err=True)
        total = sum(result.seconds.values())
        pages = f"{result.pages} pages, " if result.pages else ""
        say(f"[{stamp}] build {rebuild.number}: {result.output}: {pages}{total:.1f} s")

    kind = "office"
    if serve is not None:
        kind = "web"
        output = output or Path("out") / "e-edition"
        if output.suffix.lower() == ".pdf":
            raise BuildError(
                output, "output", "--serve makes the e-edition, a folder; name a folder, not a .pdf"
            )
    refuse_output_inside_watched(issue_dir, output)
    if serve is not None:
        server = serve_folder(output, serve, lambda: latest["number"])
        say(f"serving {output} on http://127.0.0.1:{server.server_address[1]}/")
    say(f"watching {issue_dir}, the layouts and the publication; Ctrl-C stops")
    watch_issue(issue_dir, output, kind=kind, on_rebuild=report)


@app.command("archive")
@reports_errors
def archive_command(
    issue_dirs: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Issue folders, e.g. content/2024-08.", show_default=False, metavar="ISSUE_DIR"
        ),
    ] = None,
    to: Annotated[
        Path | None,
        typer.Option("--to", help="The archive folder.", metavar="ARCHIVE_DIR", show_default=False),
    ] = None,
    replace: Annotated[
        bool,
        typer.Option(
            "--replace",
            help="Archive even if a different copy is there; the old copy is kept beside it.",
        ),
    ] = False,
    strict: Strict = False,
    verify: Annotated[
        Path | None,
        typer.Option(
            "--verify",
            help="Check every file of an archive folder against its catalogue (SHA-256): "
            "one line per missing, changed or unlisted file; exit 1 if any.",
            metavar="ARCHIVE_DIR",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Store PDF/A-3b copies carrying their sources, write-once, with a catalogue."""
    if verify is not None:
        if issue_dirs or to is not None or replace:
            raise typer.BadParameter(
                "--verify checks an archive folder; give no ISSUE_DIR, --to or --replace with it",
                param_hint="'--verify'",
            )
        from ..outputs.archive import verify as check_fixity

        fixity = check_fixity(verify)
        for finding in fixity.findings:
            say(str(finding))
        if fixity.findings:
            raise typer.Exit(1)
        say(fixity.summary())
        return
    if not issue_dirs or to is None:
        raise typer.BadParameter(
            "expected ISSUE_DIR… --to ARCHIVE_DIR, or --verify ARCHIVE_DIR", param_hint="'--to'"
        )
    from ..build import build

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
            warn(warning)
        note = {
            "archived": "archived",
            "unchanged": "already archived, identical: nothing to do",
            "replaced": f"replaced; the previous copy is kept as {result.kept}"
            if result.kept
            else "replaced; the previous copy was missing, the catalogue keeps its record",
            "restored": "restored the catalogued copy that was missing (identical bytes)",
            "recorded": "archived (the identical copy already in the folder is now catalogued)",
            "completed": "archived (completed the run that was interrupted)",
        }.get(result.status, result.status)
        say(f"{result.output}: {result.pages} pages, {note}")
    if failures:
        raise typer.Exit(1)


@app.command("publish")
@reports_errors
def publish_command(
    issue_dir: Annotated[Path, typer.Argument(help="The issue folder.", metavar="ISSUE_DIR")],
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="The folder for the files (default: out/).",
            metavar="DIR",
            show_default=False,
        ),
    ] = None,
    archive: Annotated[
        Path | None,
        typer.Option(
            "--archive",
            help="Also store the archive copy in this archive folder.",
            metavar="ARCHIVE_DIR",
            show_default=False,
        ),
    ] = None,
    strict: Strict = False,
) -> None:
    """Make every output of an issue in one run: office, press, booklet, e-edition (and archive)."""
    from ..tools.publish import publish

    done = publish(issue_dir, output, archive_dir=archive, strict=strict)
    for name, result in done.results.items():
        for warning in result.warnings:
            warn(warning)
        if name == "web":
            say(f"{result.output}: e-edition")
        elif name == "archive":
            say(f"{result.output}: archive copy, {result.status}")
        else:
            say(f"{result.output}: {result.pages} pages ({name})")
    for lines in done.failures.values():
        for line in lines:
            typer.echo(line, err=True)
    made = len(done.results)
    failed = f", {len(done.failures)} failed" if done.failures else ""
    say(f"{made} {'file' if made == 1 else 'files'} in {done.seconds:.1f} s{failed}")
    if not done.ok:
        raise typer.Exit(1)
