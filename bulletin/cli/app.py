"""The Typer app, the shared options, and how library errors become one line and exit 1."""

from __future__ import annotations

import enum
import functools
import os
import traceback
from pathlib import Path
from typing import Annotated

import typer

from bulletin.cli.helptext import Command, Group
from bulletin.errors import BulletinError
from bulletin.i18n import N_, _
from bulletin.version import __version__

app = typer.Typer(
    cls=Group,
    help=N_("Typeset the 双周决策观察 bulletin: content records → print-ready A4 PDF."),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def command(name: str):
    """Registers a command of `bulletin` (its help and usage in the reader's language)."""
    return app.command(name, cls=Command)


def say(line: str) -> None:
    typer.echo(line)


def warn(line: str) -> None:
    typer.echo(_("warning: {message}").format(message=line), err=True)


def reports_errors(command):
    """Library errors become their one-line messages on stderr and exit code 1."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except BulletinError as error:
            if os.environ.get("BULLETIN_DEBUG"):
                traceback.print_exception(error)
            for line in error.lines():
                typer.echo(line, err=True)
            raise typer.Exit(error.exit_code) from None
        except BrokenPipeError:
            # The reader went away (`bulletin … | head`): stop quietly, as other tools do.
            os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
            raise typer.Exit(141) from None
        except Exception as error:
            # Typer's own exits and usage errors pass; anything else is a bug, not bad
            # input: one line for the user, the traceback on request.
            if type(error).__module__.startswith("typer") or os.environ.get("BULLETIN_DEBUG"):
                raise
            typer.echo(
                _(
                    "bulletin: internal error: {error} (set BULLETIN_DEBUG=1 to see where; "
                    "please report it)"
                ).format(error=f"{type(error).__name__}: {error}"),
                err=True,
            )
            raise typer.Exit(1) from None

    return wrapper


def _version(value: bool) -> None:
    if value:
        say(f"bulletin {__version__}")
        raise typer.Exit()


class Language(enum.StrEnum):
    en = "en"
    zh = "zh"


@app.callback()
def main_options(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help=N_("Print the version.")),
    ] = False,
    lang: Annotated[
        Language | None,
        typer.Option(
            "--lang",
            help=N_(
                "The language of messages and help: en (English) or zh (Chinese). Default: "
                "BULLETIN_LANG, else the locale (LANG=zh_CN.UTF-8 speaks Chinese)."
            ),
            metavar="en|zh",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Typeset the 双周决策观察 bulletin: content records → print-ready A4 PDF."""
    # The group read --lang before the command line was parsed (help and errors need it).


ISSUE_DIRS_ARGUMENT = typer.Argument(
    help=N_("Issue folders, e.g. content/2024-08."), show_default=False, metavar="ISSUE_DIR"
)
IssueDirs = Annotated[list[Path], ISSUE_DIRS_ARGUMENT]
IssueDir = Annotated[Path, typer.Argument(help=N_("The issue folder."), metavar="ISSUE_DIR")]


def jobs_option(help_text: str):
    """`--jobs/-j N`, worker processes; `help_text` says what they work on."""
    return typer.Option("--jobs", "-j", min=1, metavar="N", help=help_text, show_default=False)


Strict = Annotated[
    bool,
    typer.Option(
        "--strict",
        help=N_(
            "Treat warnings (characters the fonts lack, engine warnings) as errors, and "
            "refuse pictures under 150 ppi."
        ),
    ),
]


def pdf_or_folder_name(value: str) -> Path:
    """An output named on the command line: `x.pdf/` (a folder named like a PDF) is refused.

    The trailing slash says folder, the name says file; a Path would drop the slash and
    write a file, so the name is read as typed.
    """
    if value.endswith(("/", os.sep)) and Path(value).suffix.lower() == ".pdf":
        raise typer.BadParameter(
            _(
                "a .pdf file or a folder, not {name} (a folder named like a PDF); write "
                "{file} for the file, or a folder name without .pdf"
            ).format(name=value, file=value.rstrip("/" + os.sep))
        )
    return Path(value)
