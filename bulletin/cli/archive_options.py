"""The archive command's options for corrections, withdrawals and the fixity check."""

from __future__ import annotations

from pathlib import Path

import typer

from bulletin.cli.app import say, warn
from bulletin.i18n import N_, _

REASON = typer.Option(
    "--reason",
    help=N_("Why the archived copy is corrected or withdrawn; kept in the catalogue."),
    metavar="TEXT",
    show_default=False,
)
WITHDRAW = typer.Option(
    "--withdraw",
    help=N_(
        "Withdraw an issue archived by mistake (its file name, issue YEAR-NUMBER or issue "
        "folder) from --to ARCHIVE_DIR: its files move into withdrawn/, the catalogue records "
        "when and --reason."
    ),
    metavar="ISSUE",
    show_default=False,
)
VERIFY = typer.Option(
    "--verify",
    help=N_(
        "Check every file of an archive folder against its catalogue (SHA-256): one line per "
        "missing, changed or unlisted file; exit 1 if any."
    ),
    metavar="ARCHIVE_DIR",
    show_default=False,
)


def refuse_without_reason(replace: bool, reason: str | None) -> None:
    """--replace needs --reason, and --reason needs --replace (exit 2, one line)."""
    from bulletin.outputs.archive import reason_refused

    if refused := reason_refused(replace, reason):
        raise typer.BadParameter(refused, param_hint="'--reason'")


def verify_folder(folder: Path, others: bool) -> None:
    """`bulletin archive --verify DIR`: withdrawn issues, then findings or the summary."""
    if others:
        raise typer.BadParameter(
            _(
                "--verify checks an archive folder; give no ISSUE_DIR, --to, --replace or "
                "--withdraw with it"
            ),
            param_hint="'--verify'",
        )
    from bulletin.operations.archive import verify as check_fixity

    fixity = check_fixity(folder)
    for line in fixity.withdrawn:
        say(line)
    for finding in fixity.findings:
        say(str(finding))
    if fixity.findings:
        raise typer.Exit(1)
    say(fixity.summary())


def withdraw_issue(issue: str, to: Path | None, reason: str | None, others: bool) -> None:
    """`bulletin archive --withdraw ISSUE --to DIR --reason "…"`."""
    if others or to is None:
        raise typer.BadParameter(
            _('expected --withdraw ISSUE --to ARCHIVE_DIR --reason "…", and no ISSUE_DIR'),
            param_hint="'--withdraw'",
        )
    if not (reason or "").strip():
        raise typer.BadParameter(
            _('--withdraw needs --reason "…": say why the issue is withdrawn'),
            param_hint="'--reason'",
        )
    from bulletin.operations.archive import withdraw

    result = withdraw(to, issue, reason or "")
    for note in result.notes:
        warn(str(note))
    say(_("{file}: withdrawn, the catalogue records why").format(file=result.path))
