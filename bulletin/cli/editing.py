"""Commands of the editor's desk: check, new, init and import."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from bulletin.cli.app import IssueDirs, Strict, command, reports_errors, say, warn
from bulletin.i18n import N_, _, n_


@command("check")
@reports_errors
def check_command(issue_dirs: IssueDirs, strict: Strict = False) -> None:
    """Validate issues and report every problem as path:line: field: message."""
    from bulletin.operations.check import check

    failed: list[str] = []
    for checked in check(issue_dirs, strict=strict):
        if checked.skipped:
            say(
                _("{path}: skipped, not an issue folder ({what})").format(
                    path=checked.issue_dir, what=checked.skipped
                )
            )
            continue
        failed.extend(checked.problems)
        if not checked.ok:
            continue
        for warning in checked.warnings:
            warn(warning)
        say(
            _("{issue}: ok, {articles} in {regions}").format(
                issue=checked.issue_dir,
                articles=n_("{n} article", "{n} articles", checked.articles).format(
                    n=checked.articles
                ),
                regions=n_("{n} region", "{n} regions", checked.regions).format(n=checked.regions),
            )
        )
    if failed:
        for line in failed:
            typer.echo(line, err=True)
        raise typer.Exit(1)


@command("new")
@reports_errors
def new_command(
    content_dir: Annotated[
        Path,
        typer.Argument(help=N_("The content folder holding the issues."), metavar="CONTENT_DIR"),
    ] = Path("content"),
) -> None:
    """Start the next issue: numbers and print date follow the latest one."""
    from bulletin.operations.new import new_issue

    started = new_issue(content_dir)
    folder = started.issue_dir
    say(
        _("{folder}: new issue; write articles as {folder}/articles/01.md, 02.md, …").format(
            folder=folder
        )
    )
    say(
        _("  (see {example}; then: bulletin check {folder})").format(
            example=f"{folder}/articles/{started.example.name}", folder=folder
        )
    )


@command("init")
@reports_errors
def init_command(
    folder: Annotated[
        Path,
        typer.Argument(
            help=N_("The folder of the new publication (created if needed)."), metavar="DIR"
        ),
    ],
) -> None:
    """Start a new publication: a commented publication.yaml and a first issue that builds."""
    from bulletin.operations.new import new_publication

    started = new_publication(folder)
    say(
        _("{file}: new publication; replace every value marked 【待填写】").format(
            file=started.publication
        )
    )
    say(_("{folder}: first issue, with an example article").format(folder=started.issue_dir))
    say(_("  next: bulletin build {folder}").format(folder=started.issue_dir))


@command("import")
@reports_errors
def import_command(
    source: Annotated[
        Path,
        typer.Argument(
            help=N_("A plain-text back issue (UTF-8) or a Word draft."), metavar="SOURCE.txt|.docx"
        ),
    ],
    out: Annotated[
        Path,
        typer.Option(
            "--out",
            help=N_("The issue folder: a new one for a back issue, a started one for a draft."),
            metavar="DIR",
        ),
    ],
    publication: Annotated[
        Path | None,
        typer.Option(
            help=N_(
                "Where to write the publication file if it does not exist yet "
                "(default: publication.yaml beside the issue folder)."
            ),
            metavar="FILE.yaml",
            show_default=False,
        ),
    ] = None,
    replace: Annotated[
        bool,
        typer.Option(
            "--replace", help=N_("Import a Word draft again, in place of what it gave before.")
        ),
    ] = False,
    include_hidden: Annotated[
        bool,
        typer.Option(
            "--include-hidden",
            help=N_(
                "Import a Word draft's hidden text too (it is left out, and named, by default)."
            ),
        ),
    ] = False,
) -> None:
    """Turn a plain-text back issue, or a Word draft (.docx), into content records.

    A back issue (.txt) becomes a new issue folder. A Word draft adds its articles (and
    pictures) to an issue folder started with `bulletin new`, after those already there.
    """
    from bulletin.operations.importing import import_source

    imported = import_source(
        source, out, publication=publication, replace=replace, include_hidden=include_hidden
    )
    for notice in imported.notices:
        warn(str(notice))
    count = n_("{n} article", "{n} articles", len(imported.articles)).format(
        n=len(imported.articles)
    )
    if imported.added:
        written = imported.articles
        names = f" ({written[0].name}–{written[-1].name})" if len(written) > 1 else ""
        say(
            _("{folder}: {articles} from {source}").format(
                folder=out, articles=count, source=source
            )
            + names
        )
        return
    files = n_("{n} file written", "{n} files written", len(imported.written))
    say(
        _("{folder}: {articles}, {files}").format(
            folder=out, articles=count, files=files.format(n=len(imported.written))
        )
    )
