"""Commands of the editor's desk: check, new, init and import."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from .app import IssueDirs, Strict, app, reports_errors, say, warn


@app.command("check")
@reports_errors
def check_command(issue_dirs: IssueDirs, strict: Strict = False) -> None:
    """Validate issues and report every problem as path:line: field: message."""
    from ..content.check import check_issue
    from ..errors import ContentError

    failed: list[str] = []
    for issue_dir in issue_dirs:
        try:
            loaded, missing = check_issue(issue_dir, strict=strict)
        except ContentError as error:
            failed.extend(error.lines())
            continue
        for problem in missing:
            warn(str(problem))
        count = len(loaded.content.articles)
        say(f"{issue_dir}: ok, {count} articles in {len(loaded.content.sections)} regions")
    if failed:
        for line in failed:
            typer.echo(line, err=True)
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
    from ..content.numbering import EXAMPLE_ARTICLE, start_next_issue

    folder = start_next_issue(content_dir)
    say(f"{folder}: new issue; write articles as {folder}/articles/01.md, 02.md, …")
    say(f"  (see {folder}/articles/{EXAMPLE_ARTICLE}; then: bulletin check {folder})")


@app.command("init")
@reports_errors
def init_command(
    folder: Annotated[
        Path,
        typer.Argument(
            help="The folder of the new publication (created if needed).", metavar="DIR"
        ),
    ],
) -> None:
    """Start a new publication: a commented publication.yaml and a first issue that builds."""
    from ..content.starter import init_publication

    publication, issue_dir = init_publication(folder)
    say(f"{publication}: new publication; replace every value marked 【待填写】")
    say(f"{issue_dir}: first issue, with an example article")
    say(f"  next: bulletin build {issue_dir}")


@app.command("import")
@reports_errors
def import_command(
    source: Annotated[
        Path,
        typer.Argument(
            help="A plain-text back issue (UTF-8) or a Word draft.", metavar="SOURCE.txt|.docx"
        ),
    ],
    out: Annotated[
        Path,
        typer.Option(
            "--out",
            help="The issue folder: a new one for a back issue, a started one for a draft.",
            metavar="DIR",
        ),
    ],
    publication: Annotated[
        Path | None,
        typer.Option(
            help="Where to write the publication file if it does not exist yet "
            "(default: publication.yaml beside the issue folder).",
            show_default=False,
        ),
    ] = None,
    replace: Annotated[
        bool,
        typer.Option(
            "--replace", help="Import a Word draft again, in place of what it gave before."
        ),
    ] = False,
) -> None:
    """Turn a plain-text back issue, or a Word draft (.docx), into content records.

    A back issue (.txt) becomes a new issue folder. A Word draft adds its articles (and
    pictures) to an issue folder started with `bulletin new`, after those already there.
    """
    from ..content.loader import display_path, read_text
    from ..errors import ContentError, Problem

    if source.suffix.lower() == ".docx":
        from ..importers.adding import add_draft
        from ..importers.docx import read_draft

        if not source.is_file():
            raise ContentError([Problem(display_path(source), None, "file", "no such file")])
        draft = read_draft(source)
        written = add_draft(draft, out, source, replace=replace)
        for notice in draft.notices:
            warn(str(notice))
        names = f" ({written[0].name}–{written[-1].name})" if len(written) > 1 else ""
        say(f"{out}: {len(written)} articles from {source}{names}")
        return

    from ..importers.text import import_text
    from ..importers.writer import write_issue

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
        warn(str(notice))
    say(f"{out}: {len(imported.articles)} articles, {len(written)} files written")
