"""Commands that make files: build (one issue or many), watch and archive."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from bulletin.cli import reports
from bulletin.cli.app import (
    ISSUE_DIRS_ARGUMENT,
    IssueDir,
    IssueDirs,
    Strict,
    command,
    jobs_option,
    pdf_or_folder_name,
    reports_errors,
    say,
    warn,
)
from bulletin.cli.archive_options import (
    REASON,
    VERIFY,
    WITHDRAW,
    refuse_without_reason,
    verify_folder,
    withdraw_issue,
)
from bulletin.i18n import N_, _


@command("build")
@reports_errors
def build_command(
    issue_dirs: IssueDirs,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help=N_("A .pdf file (one issue) or a folder (default: out/)."),
            show_default=False,
            metavar="FILE.pdf|DIR",
            parser=pdf_or_folder_name,
        ),
    ] = None,
    strict: Strict = False,
    layout: Annotated[
        str | None,
        typer.Option(
            help=N_("Layout folder under layouts/ (default: the publication's)."), metavar="NAME"
        ),
    ] = None,
    as_kind: Annotated[
        str | None,
        typer.Option(
            "--as",
            help=N_(
                "What to make: office (the default A4 PDF), press (PDF/X-4 for the print "
                "shop), booklet (A3 sheets for the office printer), web (the e-edition)."
            ),
            metavar="KIND",
            show_default=False,
        ),
    ] = None,
    press: Annotated[bool, typer.Option("--press", help=N_("The same as --as press."))] = False,
    booklet: Annotated[
        bool, typer.Option("--booklet", help=N_("The same as --as booklet."))
    ] = False,
    web: Annotated[bool, typer.Option("--web", help=N_("The same as --as web."))] = False,
    profile: Annotated[
        Path | None,
        typer.Option(
            help=N_("CMYK ICC profile of the press (default: the bundled FOGRA39 profile)."),
            metavar="FILE.icc",
            show_default=False,
        ),
    ] = None,
    condition: Annotated[
        str | None,
        typer.Option(
            help=N_(
                "The printing condition --profile stands for, as the output intent names it: "
                "a registered one (e.g. JC200103, Japan Color 2001 Coated) or free text."
            ),
            metavar="NAME",
            show_default=False,
        ),
    ] = None,
    jobs: Annotated[
        int | None,
        jobs_option(N_("Worker processes for several issues (default: the number of cores).")),
    ] = None,
    stock_engine: Annotated[
        bool,
        typer.Option(
            "--stock-engine",
            help=N_(
                "Set lines with WeasyPrint's own rules instead of the Chinese ones (to compare)."
            ),
        ),
    ] = False,
) -> None:
    """Typeset issues: the office A4 PDF, or the press PDF, the booklet or the e-edition."""
    if len(issue_dirs) > 1 and output is not None and output.suffix.lower() == ".pdf":
        raise typer.BadParameter(
            _("several issues need a folder, not a .pdf file"), param_hint="'--output'"
        )
    kind = _chosen_kind(as_kind, {"--press": press, "--booklet": booklet, "--web": web})
    if condition is not None and profile is None:
        raise typer.BadParameter(
            _("names the condition of a --profile FILE.icc; pass both"),
            param_hint="'--condition'",
        )
    if condition is not None and not condition.strip():
        raise typer.BadParameter(_("is empty; name the condition"), param_hint="'--condition'")
    own = {"profile": profile, "condition": condition.strip() if condition else None}
    _refuse_other_kinds_options(kind, own)
    options = {"output": output, "kind": kind, "strict": strict, "layout": layout}
    options |= {"stock_engine": stock_engine, **{k: v for k, v in own.items() if v is not None}}
    if len(issue_dirs) == 1:
        from bulletin.operations.build import build

        result = build(issue_dirs[0], **options)
        for warning in result.warnings:
            warn(warning)
        say(reports.built(result))
        return
    # Several e-editions share the output folder, one subfolder each.
    _build_batch(
        issue_dirs,
        {**options, "into_folder": kind == "web"} if kind == "web" else options,
        jobs,
        kind,
    )


def _chosen_kind(as_kind: str | None, aliases: dict[str, bool]) -> str:
    """The output kind named by --as or by one of the flags kept for it (--press, …)."""
    from bulletin.outputs import KINDS

    chosen = [flag for flag, on in aliases.items() if on]
    names = [kind.name for kind in KINDS if kind.name != "archive"]
    if as_kind is not None:
        if as_kind not in names:
            raise typer.BadParameter(
                _("unknown kind {kind!r}; expected one of {kinds}").format(
                    kind=as_kind, kinds=_(", ").join(names)
                ),
                param_hint="'--as'",
            )
        chosen.append(f"--as {as_kind}")
    if len(chosen) > 1:
        raise typer.BadParameter(
            _("choose one of --as, --press, --booklet and --web"), param_hint="'--as'"
        )
    if as_kind is not None:
        return as_kind
    by_alias = {kind.alias: kind.name for kind in KINDS if kind.alias}
    return by_alias[chosen[0]] if chosen else "office"


def _refuse_other_kinds_options(kind: str, own: dict) -> None:
    """--profile and --condition are the press PDF's own options (outputs/press.py)."""
    from bulletin.outputs import kind_named, kind_options

    try:
        kind_options(kind_named(kind), own)
    except ValueError as error:
        option, owners = error.args
        raise typer.BadParameter(
            _("--{option} is for --as {kinds}").format(option=option, kinds=_(", ").join(owners)),
            param_hint=f"'--{option}'",
        ) from None


def _build_batch(issue_dirs: list[Path], options: dict, jobs: int | None, kind: str) -> None:
    import signal

    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    from bulletin.operations.batch import build_many

    console = Console(stderr=True)
    columns = ("{task.description}", BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    # The bar only on a terminal; a problem is one line wherever it goes (never wrapped).
    bar = Progress(*columns, console=console, transient=True, disable=not console.is_terminal)
    with bar as progress:
        task = progress.add_task(_("building"), total=len(issue_dirs))

        def done(outcome) -> None:
            progress.advance(task)
            for line in outcome.errors:
                progress.console.print(line, markup=False, highlight=False, soft_wrap=True)

        result = build_many(issue_dirs, options, jobs=jobs, on_done=done)
    for outcome in result.outcomes:
        for warning in outcome.warnings:
            warn(warning)
        if outcome.ok:
            made = reports.pages(outcome.pages) if outcome.pages else _("e-edition")
            say(_("{output}: {made}").format(output=outcome.output, made=made))
    if (number := result.stopped_by) is not None:
        by = "Ctrl-C" if number == signal.SIGINT else signal.Signals(number).name
        typer.echo(reports.stopped_summary(result, by, len(issue_dirs)), err=True)
        raise typer.Exit(128 + number)
    say(reports.batch_summary(result, kind, len(issue_dirs)))
    if result.failed:
        raise typer.Exit(1)


@command("watch")
@reports_errors
def watch_command(
    issue_dir: IssueDir,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help=N_("The PDF to keep up to date (default: out/NAME.pdf)."),
            metavar="FILE.pdf",
            parser=pdf_or_folder_name,
            show_default=False,
        ),
    ] = None,
    serve: Annotated[
        int | None,
        typer.Option(
            help=N_(
                "Instead of the PDF, keep the e-edition up to date and serve it on "
                "http://127.0.0.1:PORT/, reloading the page after each build."
            ),
            metavar="PORT",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Rebuild whenever the issue, the layout or the publication changes (Ctrl-C stops)."""
    import datetime as dt

    from bulletin.operations.watch import (
        refuse_unwatchable,
        serve_folder,
        watch_issue,
        watched_output,
    )

    latest = {"number": 0}

    def report(rebuild) -> None:
        latest["number"] = rebuild.number
        stamp = dt.datetime.now().strftime("%H:%M:%S")
        if rebuild.errors:
            for line in rebuild.errors:
                typer.echo(f"[{stamp}] {line}", err=True)
            failed = _("build {number} failed; the last good output stays, fix and save again")
            typer.echo(f"[{stamp}] " + failed.format(number=rebuild.number), err=True)
            return
        result = rebuild.result
        for warning in result.warnings:
            typer.echo(f"[{stamp}] " + _("warning: {message}").format(message=warning), err=True)
        made = reports.built(result)
        say(f"[{stamp}] " + _("build {number}: {made}").format(number=rebuild.number, made=made))

    kind, output = watched_output(output, serve is not None)
    refuse_unwatchable(issue_dir, output)
    if serve is not None:
        server = serve_folder(output, serve, lambda: latest["number"])
        address = f"http://127.0.0.1:{server.server_address[1]}/"
        say(_("serving {folder} on {address}").format(folder=output, address=address))
    say(
        _("watching {folder}, the layouts and the publication; Ctrl-C stops").format(
            folder=issue_dir
        )
    )
    watch_issue(issue_dir, output, kind=kind, on_rebuild=report)


@command("archive")
@reports_errors
def archive_command(
    issue_dirs: Annotated[list[Path] | None, ISSUE_DIRS_ARGUMENT] = None,
    to: Annotated[
        Path | None,
        typer.Option(
            "--to", help=N_("The archive folder."), metavar="ARCHIVE_DIR", show_default=False
        ),
    ] = None,
    replace: Annotated[
        bool,
        typer.Option(
            "--replace",
            help=N_(
                "Archive a correction as a new version where a different copy is catalogued; "
                "the old copy is kept beside it. Needs --reason."
            ),
        ),
    ] = False,
    reason: Annotated[str | None, REASON] = None,
    withdraw: Annotated[str | None, WITHDRAW] = None,
    strict: Strict = False,
    verify: Annotated[Path | None, VERIFY] = None,
) -> None:
    """Store PDF/A-3a copies carrying their sources, write-once, with a catalogue."""
    if verify is not None:
        verify_folder(verify, bool(issue_dirs) or to is not None or replace or withdraw is not None)
        return
    if withdraw is not None:
        withdraw_issue(withdraw, to, reason, bool(issue_dirs) or replace)
        return
    if not issue_dirs or to is None:
        raise typer.BadParameter(
            _(
                "expected ISSUE_DIR… --to ARCHIVE_DIR, --withdraw ISSUE --to ARCHIVE_DIR, or "
                "--verify ARCHIVE_DIR"
            ),
            param_hint="'--to'",
        )
    refuse_without_reason(replace, reason)
    from bulletin.operations.archive import archive

    done = archive(issue_dirs, to, strict=strict, replace=replace, reason=reason)
    for lines in done.failures.values():
        for line in lines:
            typer.echo(line, err=True)
    for result in done.results:
        for warning in result.warnings:
            warn(warning)
        say(reports.built(result))
    if not done.ok:
        raise typer.Exit(1)


@command("publish")
@reports_errors
def publish_command(
    issue_dir: IssueDir,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help=N_("The folder for the files (default: out/)."),
            metavar="DIR",
            show_default=False,
        ),
    ] = None,
    archive: Annotated[
        Path | None,
        typer.Option(
            "--archive",
            help=N_("Also store the archive copy in this archive folder."),
            metavar="ARCHIVE_DIR",
            show_default=False,
        ),
    ] = None,
    replace: Annotated[
        bool,
        typer.Option(
            "--replace",
            help=N_(
                "Archive the copy as a new version where a different one is catalogued (with "
                "--archive); needs --reason."
            ),
        ),
    ] = False,
    reason: Annotated[str | None, REASON] = None,
    strict: Strict = False,
) -> None:
    """Make every output of an issue in one run: office, press, booklet, e-edition (and archive)."""
    if (replace or reason is not None) and archive is None:
        raise typer.BadParameter(
            _("--replace and --reason are for the archive copy; give --archive DIR"),
            param_hint="'--replace'",
        )
    refuse_without_reason(replace, reason)
    from bulletin.operations.publish import publish

    done = publish(
        issue_dir, output, archive_dir=archive, replace=replace, reason=reason, strict=strict
    )
    said: set[str] = set()  # a warning about the content is the same for every output
    for result in done.results.values():
        for warning in result.warnings:
            if warning not in said:
                said.add(warning)
                warn(warning)
        say(reports.published(result))
    for lines in done.failures.values():
        for line in lines:
            typer.echo(line, err=True)
    say(reports.publish_summary(done))
    if not done.ok:
        raise typer.Exit(1)
