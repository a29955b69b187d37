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
    from bulletin.content.check import check_issue
    from bulletin.errors import ContentError

    failed: list[str] = []
    for issue_dir in issue_dirs:
        try:
            loaded, missing = check_issue(issue_dir, strict=strict)
        except ContentError as error:
            failed.extend(error.lines())
            continue
        for problem in missing:
            warn(str(problem))
        articles = len(loaded.content.articles)
        regions = len(loaded.content.sections)
        say(
            _("{issue}: ok, {articles} in {regions}").format(
                issue=issue_dir,
                articles=n_("{n} article", "{n} articles", articles).format(n=articles),
                regions=n_("{n} region", "{n} regions", regions).format(n=regions),
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
    from bulletin.content.numbering import EXAMPLE_ARTICLE, start_next_issue

    folder = start_next_issue(content_dir)
    say(
        _("{folder}: new issue; write articles as {folder}/articles/01.md, 02.md, …").format(
            folder=folder
        )
    )
    say(
        _("  (see {example}; then: bulletin check {folder})").format(
            example=f"{folder}/articles/{EXAMPLE_ARTICLE}", folder=folder
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
    from bulletin.content.starter import init_publication

    publication, issue_dir = init_publication(folder)
    say(
        _("{file}: new publication; replace every value marked 【待填写】").format(file=publication)
    )
    say(_("{folder}: first issue, with an example article").format(folder=issue_dir))
    say(_("  next: bulletin build {folder}").format(folder=issue_dir))


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
) -> None:
    """Turn a plain-text back issue, or a Word draft (.docx), into content records.

    A back issue (.txt) becomes a new issue folder. A Word draft adds its articles (and
    pictures) to an issue folder started with `bulletin new`, after those already there.
    """
    from bulletin.content.loader import display_path, read_text
    from bulletin.errors import ContentError, Problem

    if source.suffix.lower() == ".docx":
        from bulletin.content.resolution import articles_resolution
        from bulletin.importers.adding import add_draft
        from bulletin.importers.docx import read_draft

        if not source.is_file():
            raise ContentError([Problem(display_path(source), None, "file", _("no such file"))])
        draft = read_draft(source)
        written = add_draft(draft, out, source, replace=replace)
        for notice in [*draft.notices, *articles_resolution(written, out)]:
            warn(str(notice))
        names = f" ({written[0].name}–{written[-1].name})" if len(written) > 1 else ""
        count = n_("{n} article", "{n} articles", len(written)).format(n=len(written))
        say(
            _("{folder}: {articles} from {source}").format(
                folder=out, articles=count, source=source
            )
            + names
        )
        return

    from bulletin.importers.text import import_text
    from bulletin.importers.writer import write_issue

    problems: list[Problem] = []
    text = read_text(source, problems) if source.is_file() else None
    if text is None:
        if not problems:
            problems.append(Problem(display_path(source), None, "file", _("no such file")))
        raise ContentError(problems)
    imported = import_text(text, source_name=display_path(source))
    target = publication or out.parent / "publication.yaml"
    written = write_issue(imported, out, publication_path=target)
    for notice in imported.notices:
        warn(str(notice))
    articles = n_("{n} article", "{n} articles", len(imported.articles))
    files = n_("{n} file written", "{n} files written", len(written))
    say(
        _("{folder}: {articles}, {files}").format(
            folder=out,
            articles=articles.format(n=len(imported.articles)),
            files=files.format(n=len(written)),
        )
    )
