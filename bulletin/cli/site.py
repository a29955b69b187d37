"""The `site` command: the e-edition site of every issue in a content folder."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from .app import Strict, app, reports_errors, say, warn


@app.command("site")
@reports_errors
def site_command(
    content_dir: Annotated[
        Path,
        typer.Argument(
            help="The content folder: publication.yaml and one folder per issue.",
            show_default=False,
            metavar="CONTENT_DIR",
        ),
    ],
    output: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            help="The site's folder: new, empty, or a site this command made (replaced whole).",
            show_default=False,
            metavar="SITE_DIR",
        ),
    ],
    base_url: Annotated[
        str | None,
        typer.Option(
            help="The address the site is served from, for the feed, sitemap and sharing "
            "(default: e_edition_url without its {year}-{number:02d}/ ending).",
            metavar="URL",
            show_default=False,
        ),
    ] = None,
    pdf_dir: Annotated[
        Path | None,
        typer.Option(
            help="Take each issue's PDF from this folder (NAME.pdf, as `bulletin build` names "
            "it) instead of building it.",
            metavar="DIR",
            show_default=False,
        ),
    ] = None,
    pdfs: Annotated[
        bool,
        typer.Option(
            "--pdfs/--no-pdfs",
            help="Build each issue's office PDF when the site has no up-to-date one.",
        ),
    ] = True,
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs",
            "-j",
            min=1,
            help="Worker processes for building PDFs (default: the number of cores).",
            show_default=False,
        ),
    ] = None,
    strict: Strict = False,
) -> None:
    """Build the e-edition site: every issue and article, archive, feed and search."""
    from ..outputs.site import build_site

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
    issues = f"{result.issues} issue" + ("s" if result.issues != 1 else "")
    say(
        f"{result.target}: {issues}, {result.articles} articles; "
        f"{len(result.written)} files written, {len(result.unchanged)} unchanged, "
        f"{len(result.removed)} removed; PDFs: {len(made.built)} built, {len(made.kept)} kept, "
        f"{len(made.supplied)} supplied ({result.seconds:.1f} s)"
    )
