"""The fixity check of an archive folder: every file against the SHA-256 its catalogue lists."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from bulletin.errors import BuildError, Problem
from bulletin.i18n import _, n_
from bulletin.outputs.archive_files import printable, shown
from bulletin.outputs.catalogue import (
    AGAIN,
    CATALOGUE,
    LITTER,
    SHA256,
    file_sha256,
    listed_files,
    load_catalogue,
    locked,
    pending_problems,
    unlisted,
)
from bulletin.outputs.catalogue_records import WITHDRAWN, plain_name


@dataclass
class Fixity:
    """What a fixity check found: one located problem per finding, and what was checked."""

    folder: Path
    findings: list[Problem]
    files: int = 0
    issues: int = 0
    kept: int = 0
    withdrawn: list[str] = field(default_factory=list)  # a line per issue withdrawn

    def summary(self) -> str:
        files = n_("{n} file matches {catalogue}", "{n} files match {catalogue}", self.files)
        issues = n_("{n} issue", "{n} issues", self.issues).format(n=self.issues)
        kept = n_("{n} replaced copy", "{n} replaced copies", self.kept).format(n=self.kept)
        if self.withdrawn:
            count = len(self.withdrawn)
            kept += _(", ") + n_("{n} withdrawn", "{n} withdrawn", count).format(n=count)
        return _("{folder}: {files} ({issues}, {kept}): all intact").format(
            folder=shown(self.folder),
            files=files.format(n=self.files, catalogue=CATALOGUE),
            issues=issues,
            kept=kept,
        )


def verify(folder: Path) -> Fixity:
    """Compare every file of an archive folder with the SHA-256 its catalogue lists.

    Findings: files missing, changed or not listed (kept old copies and withdrawn issues'
    files in withdrawn/ included), malformed catalogue entries, and a run that was
    interrupted. Withdrawn issues are listed as such, not as missing. Nothing is written.
    """
    folder = Path(folder)
    where = shown(folder)
    if not folder.is_dir():
        raise BuildError(where, "verify", _("not a folder; expected an archive folder"))
    if not os.path.lexists(folder / CATALOGUE):  # anything else there is named as it is
        raise BuildError(
            where,
            "verify",
            _("no {catalogue}; expected an archive folder").format(catalogue=CATALOGUE),
        )
    try:
        with locked(folder, shared=True):
            return _check(folder)
    except OSError as error:
        reason = _("cannot read: {reason}").format(reason=error.strerror or error)
        raise BuildError(where, "verify", reason) from None


def _check(folder: Path) -> Fixity:
    catalogue, findings = load_catalogue(folder)
    fixity = Fixity(folder, findings)
    if catalogue is None:
        return fixity
    fixity.issues = len(catalogue["issues"])
    accepted: dict[str, set] = {}
    intent = catalogue.get("pending")
    if isinstance(intent, dict) and not pending_problems(intent):
        message = _("archiving {file} was interrupted; the next {again}").format(
            file=intent["file"], again=_(AGAIN)
        )
        findings.append(Problem(shown(folder / CATALOGUE), None, "pending", message))
        accepted[intent["file"]] = {intent["sha256"], intent.get("previous")}
        for source, _to, digest in intent.get("moves", []):  # a withdrawal: moved or not yet
            accepted[source] = {digest, None}
    for entry in catalogue.get(WITHDRAWN, []):
        if isinstance(entry, dict) and plain_name(entry.get("file")):
            line = _("withdrawn {at}: {reason}").format(
                at=entry.get("withdrawn_at") or "?",
                reason=printable(entry.get("withdrawn_reason") or "?"),
            )
            fixity.withdrawn.append(f"{shown(folder / WITHDRAWN / entry['file'])}: {line}")
    for name, claims in sorted(listed_files(catalogue).items()):
        path = folder / name
        if None in accepted.get(name, ()) and not os.path.lexists(path):
            continue  # a run in progress restores it
        if path.is_symlink() or not path.is_file():
            if os.path.lexists(path):
                message = _("not a plain file, but {catalogue} lists it ({where})")
            else:
                message = _("not in the folder, but {catalogue} lists it ({where})")
            message = message.format(catalogue=CATALOGUE, where=claims[0][0])
            findings.append(Problem(shown(path), None, "missing", message))
            continue
        try:
            found = file_sha256(path)
        except OSError as error:
            findings.append(Problem(shown(path), None, "unreadable", f"{error.strerror}"))
            continue
        # A malformed hash is reported with its entry; a run in progress may hold either copy.
        wrong = [
            (where, listed)
            for where, listed in claims
            if isinstance(listed, str) and SHA256.match(listed) and listed != found
        ]
        if wrong and found not in accepted.get(name, ()):
            where, listed = wrong[0]
            message = _(
                "sha256 {found}… but {catalogue} ({where}) lists {listed}…; this is not the "
                "file that was archived"
            ).format(found=found[:12], catalogue=CATALOGUE, where=where, listed=listed[:12])
            findings.append(Problem(shown(path), None, "changed", message))
            continue
        fixity.files += 1
        fixity.kept += all(".replaced[" in where for where, _ in claims)
    for name in unlisted(folder, catalogue):
        message = _("in the archive folder but not in {catalogue}").format(catalogue=CATALOGUE)
        if LITTER.match(name):
            message = _("left by an interrupted run; the next `bulletin archive` removes it")
        findings.append(Problem(shown(folder / name), None, "unlisted", message))
    return fixity
