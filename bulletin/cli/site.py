"""The `site` command: the e-edition site of every issue in a content folder."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from typer import _click as click  # Typer bundles its own click

from bulletin.cli import reports
from bulletin.cli.app import Strict, app, jobs_option, reports_errors, say, warn
from bulletin.cli.helptext import Command
from bulletin.i18n import N_, _, n_

DEFAULT_PORT = 8000
SERVE = typer.Option(
    "--serve",
    help=N_(
        "Then serve the site on http://127.0.0.1:PORT/ (default 8000; 0: any free "
        "port) until Ctrl-C: search works only over HTTP."
    ),
    metavar="[PORT]",
    show_default=False,
)


class SiteCommand(Command):
    """`site`, where `--serve` alone means `--serve 8000` (Typer has no option whose value
    may be left out)."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        return super().parse_args(ctx, with_default_port(args))


def with_default_port(args: list[str]) -> list[str]:
    """The arguments with the default port after a `--serve` that no number follows."""
    out: list[str] = []
    for at, arg in enumerate(args):
        out.append(arg)
        if arg == "--":
            return out + args[at + 1 :]
        if arg == "--serve" and not (at + 1 < len(args) and args[at + 1].isdigit()):
            out.append(str(DEFAULT_PORT))
    return out


@app.command("site", cls=SiteCommand)
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
    serve: Annotated[int | None, SERVE] = None,
) -> None:
    """Build the e-edition site: every issue and article, archive, feed and search."""
    from bulletin.operations.site import build_site, serve_site, serve_until_stopped

    # The port is taken before the build, so a port in use is said before minutes of work.
    server = serve_site(output, serve) if serve is not None else None
    try:
        result = build_site(
            content_dir,
            output,
            base_url=base_url,
            pdf_dir=pdf_dir,
            build_pdfs=pdfs,
            jobs=jobs,
            strict=strict,
        )
    except BaseException:
        if server is not None:
            server.shutdown()
            server.server_close()
        raise
    if server is not None:
        say(f"http://127.0.0.1:{server.server_address[1]}/")
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
    if server is not None:
        say(_("serving {folder} on that address; Ctrl-C stops").format(folder=result.target))
        serve_until_stopped(server)
