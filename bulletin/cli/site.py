"""The `site` command: the e-edition site of every issue in a content folder."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from bulletin.cli import reports
from bulletin.cli.app import Strict, command, jobs_option, reports_errors, say, warn
from bulletin.i18n import N_, _, n_


@command("site")
@reports_errors
def site_command(
    content_dir: Annotated[
        Path,
        typer.Argument(
            help=N_("The content folder: publication.yaml and one folder per issue."),
            show_default=False,
            metavar="CONTENT_DIR",
        ),
    ],
    output: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            help=N_("The site's folder: new, empty, or a site this command made (replaced whole)."),
            show_default=False,
            metavar="SITE_DIR",
        ),
    ],
    base_url: Annotated[
        str | None,
        typer.Option(
            help=N_(
                "The address the site is served from, for the feed, sitemap and sharing "
                "(default: e_edition_url without its {year}-{number:02d}/ ending)."
            ),
            metavar="URL",
            show_default=False,
        ),
    ] = None,
    pdf_dir: Annotated[
        Path | None,
        typer.Option(
            help=N_(
                "Take each issue's PDF from this folder (NAME.pdf, as `bulletin build` names "
                "it) instead of building it."
            ),
            metavar="DIR",
            show_default=False,
        ),
    ] = None,
    pdfs: Annotated[
        bool,
        typer.Option(
            "--pdfs/--no-pdfs",
            help=N_("Build each issue's office PDF when the site has no up-to-date one."),
        ),
    ] = True,
    jobs: Annotated[
        int | None,
        jobs_option(N_("Worker processes for building PDFs (default: the number of cores).")),
    ] = None,
    strict: Strict = False,
) -> None:
    """Build the e-edition site: every issue and article, archive, feed and search."""
    from bulletin.operations.site import build_site

    result = build_site(
        content_dir,
        output,
        base_url=base_url,
        pdf_dir=pdf_dir,
        build_pdfs=pdfs,
        jobs=jobs,
        strict=strict,
    )
    for line in result.warnings:
        warn(line)
    made = result.pdfs
    issues = n_("{n} issue", "{n} issues", result.issues).format(n=result.issues)
    say(
        _(
            "{site}: {issues}, {articles}; {files}, {unchanged} unchanged, {removed} removed; "
            "PDFs: {built} built, {kept} kept, {supplied} supplied ({seconds})"
        ).format(
            site=result.target,
            issues=issues,
            articles=reports.articles(result.articles),
            files=reports.files_written(len(result.written)),
            unchanged=len(result.unchanged),
            removed=len(result.removed),
            built=len(made.built),
            kept=len(made.kept),
            supplied=len(made.supplied),
            seconds=reports.seconds(result.seconds),
        )
    )
