"""Archive issues write-once as PDF/A-3a with their sources, and check an archive's fixity."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from bulletin.errors import BuildError, BulletinError
from bulletin.i18n import _
from bulletin.operations.build import build
from bulletin.outputs.base import BuildResult, folder_output

if TYPE_CHECKING:
    from bulletin.outputs.archive import ArchiveResult, Fixity


@dataclass
class Archived:
    """What one run archived, per issue, and the lines of each issue that failed."""

    results: list[BuildResult] = field(default_factory=list)
    failures: dict[Path, list[str]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.failures


def archive(
    issue_dirs: list[Path],
    to: Path,
    *,
    strict: bool = False,
    replace: bool = False,
    reason: str | None = None,
) -> Archived:
    """Each issue's archive copy stored in the archive folder `to`, with its catalogue entry;
    one that fails does not stop the others. With `replace`, a different copy catalogued
    already becomes the previous version, and `reason` (required then) is recorded."""
    folder_output(Path(to), "to")
    from bulletin.outputs.archive import reason_refused
    from bulletin.outputs.catalogue import check_lock

    if refused := reason_refused(replace, reason):
        raise BuildError(str(to), "archive", refused)
    check_lock(Path(to))  # one line for all the issues, before typesetting any
    done = Archived()
    for issue_dir in issue_dirs:
        try:
            done.results.append(
                build(issue_dir, to, kind="archive", strict=strict, replace=replace, reason=reason)
            )
        except BulletinError as error:
            done.failures[Path(issue_dir)] = error.lines()
    return done


def verify(archive_dir: Path) -> Fixity:
    """Every file of an archive folder checked against its catalogue (SHA-256)."""
    from bulletin.outputs.archive import verify as check_fixity

    return check_fixity(Path(archive_dir))


def withdraw(archive_dir: Path, issue: str, reason: str) -> ArchiveResult:
    """Withdraw an issue archived by mistake: its files into withdrawn/, the reason recorded."""
    from bulletin.outputs.archive import withdraw as withdraw_issue

    if not reason.strip():
        message = _('needs --reason "…": say why the issue is withdrawn')
        raise BuildError(str(issue), "withdraw", message)
    return withdraw_issue(Path(archive_dir), issue, reason.strip())
