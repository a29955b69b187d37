"""Withdrawing an issue archived by mistake: its files moved into withdrawn/, its record kept."""

from __future__ import annotations

import os
from pathlib import Path

from bulletin.errors import BuildError
from bulletin.i18n import _
from bulletin.outputs.archive_files import shown
from bulletin.outputs.catalogue_lock import hash_of, save, second_name, sync
from bulletin.outputs.catalogue_records import CATALOGUE, WITHDRAWN, archived_at


def withdrawn_name(name: str, digest: str) -> str:
    path = Path(name)
    return f"{path.stem}.withdrawn-{digest[:12]}{path.suffix}"


def chosen(catalogue: dict, wanted: str) -> dict:
    """The entry named by its file name, the file's stem, its issue (2024-08) or a folder of it."""
    names = {wanted, Path(wanted).name}
    found = [
        entry
        for entry in catalogue["issues"]
        if names & {entry["file"], Path(entry["file"]).stem, entry.get("issue")}
    ]
    if len(found) == 1:
        return found[0]
    if found:
        message = _("names {count} issues in {catalogue}; name one by its file name").format(
            count=len(found), catalogue=CATALOGUE
        )
    else:
        message = _(
            "no such issue in {catalogue}; name it by its file name (NAME.pdf) or its issue "
            "(YEAR-NUMBER)"
        ).format(catalogue=CATALOGUE)
    raise BuildError(shown(wanted), "withdraw", message)


def plan(folder: Path, catalogue: dict, wanted: str, reason: str) -> dict:
    """The pending record of withdrawing one issue: which file goes where, and its record."""
    entry = chosen(catalogue, wanted)
    aside = folder / WITHDRAWN
    if os.path.lexists(aside) and (aside.is_symlink() or not aside.is_dir()):
        message = _("is in the way; expected the folder of withdrawn issues, move it away")
        raise BuildError(shown(aside), "withdraw", message)
    taken = {
        record["file"]: record["sha256"]
        for withdrawn in catalogue.get(WITHDRAWN, [])
        for record in [withdrawn, *withdrawn.get("replaced", [])]
        if record.get("file")
    }
    moves, names = [], {}
    for record in [entry, *entry.get("replaced", [])]:
        name, digest = record.get("file"), record["sha256"]
        if name is None:  # a lost copy: only its record goes
            continue
        found = hash_of(folder / name)
        if found != digest:
            message = (
                _("listed in {catalogue} but missing; restore it from a backup, then withdraw")
                if found is None
                else _("changed since it was archived; restore the archived copy, then withdraw")
            )
            raise BuildError(shown(folder / name), "withdraw", message.format(catalogue=CATALOGUE))
        to = name
        if {hash_of(aside / to), taken.get(to)} - {None, digest}:
            to = withdrawn_name(name, digest)
            if hash_of(aside / to) not in (None, digest):
                message = _("holds other bytes; move it away")
                raise BuildError(shown(aside / to), "withdraw", message)
        moves.append([name, to, digest])
        names[name] = to
    at = archived_at()
    record = {**entry, "file": names[entry["file"]], "withdrawn_at": at, "withdrawn_reason": reason}
    if "replaced" in entry:
        history = entry["replaced"]
        record["replaced"] = [{**old, "file": names.get(old["file"])} for old in history]
    return {
        "action": "withdraw",
        "file": entry["file"],
        "sha256": entry["sha256"],
        "moves": moves,
        "record": record,
    }


def finish(folder: Path, catalogue: dict, intent: dict) -> None:
    """Move each file into withdrawn/ (a second name first, then the old one removed), then
    move the record; each step checks it is still due, so a killed run is finished by the next."""
    aside = folder / WITHDRAWN
    for source, to, digest in intent["moves"]:
        here = hash_of(folder / source)
        if hash_of(aside / to) != digest:
            if here != digest or hash_of(aside / to) is not None:
                message = _(
                    "changed or missing during an interrupted withdrawal; {catalogue} records "
                    "it as pending: restore the file"
                ).format(catalogue=CATALOGUE)
                raise BuildError(shown(folder / source), "withdraw", message)
            aside.mkdir(exist_ok=True)
            sync(folder)
            second_name(folder / source, aside / to)
        if here == digest:
            os.unlink(folder / source)
            sync(folder)
    catalogue["issues"] = [i for i in catalogue["issues"] if i["file"] != intent["file"]]
    catalogue[WITHDRAWN] = [*catalogue.get(WITHDRAWN, []), intent["record"]]
    save(folder, catalogue)
