"""The archive folder's catalogue: its format, and storing as a crash-safe transaction."""

from __future__ import annotations

import contextlib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from bulletin.atomic import write_atomically
from bulletin.errors import BuildError, Problem
from bulletin.i18n import N_, _
from bulletin.outputs.archive_files import describe_character, shown, unsafe_character
from bulletin.outputs.catalogue_lock import (
    LOCK,
    check_lock,
    failed,
    file_sha256,
    hash_of,
    locked,
    save,
    second_name,
    sha256,
)
from bulletin.outputs.catalogue_records import (
    CATALOGUE,
    CATALOGUE_FORMAT,
    SHA256,
    WITHDRAWN,
    archived_at,
    load_catalogue,
    pending_problems,
    plain_name,
    staged_name,
)
from bulletin.outputs.withdrawal import finish as finish_withdrawal
from bulletin.outputs.withdrawal import plan as plan_withdrawal

__all__ = [
    "CATALOGUE",
    "CATALOGUE_FORMAT",
    "LOCK",
    "SHA256",
    "check_lock",
    "file_sha256",
    "load_catalogue",
    "locked",
    "pending_problems",
    "sha256",
]

# What a killed run can leave: write_atomically's temporary files and a staged new copy.
LITTER = re.compile(r"^\.(\.?.+\.pdf(\.pending)?|catalogue\.json)\.\w+\.tmp$|^\..+\.pdf\.pending$")
AGAIN = N_("`bulletin archive` into this folder completes it")


class ArchiveRefused(BuildError):
    """The issue is archived already with other bytes, and replacing was not asked for."""


class CatalogueError(BuildError):
    """The catalogue cannot be read, or some of its entries are malformed (all are named)."""

    def __init__(self, problems: list[Problem]):
        self._set(problems)


@dataclass
class ArchiveResult:
    path: Path
    status: str  # archived, unchanged, replaced, restored, recorded or completed
    kept: Path | None = None
    notes: list[Problem] = field(default_factory=list)  # repairs made, oddities seen


def kept_name(name: str, digest: str) -> str:
    path = Path(name)
    return f"{path.stem}.replaced-{digest[:12]}{path.suffix}"


def listed_files(catalogue: dict) -> dict[str, list[tuple[str, str]]]:
    """File name → (where in the catalogue, SHA-256) of every copy it lists, kept ones too."""
    listed: dict[str, list[tuple[str, str]]] = {}
    withdrawn = catalogue.get(WITHDRAWN, [])
    for key, inside in (("issues", ""), (WITHDRAWN, f"{WITHDRAWN}/")):
        for index, entry in enumerate(catalogue[key] if key == "issues" else withdrawn):
            history = entry.get("replaced") if isinstance(entry, dict) else None
            records = [(f"{key}[{index}]", entry)]
            if isinstance(history, list):
                records += [(f"{key}[{index}].replaced[{j}]", r) for j, r in enumerate(history)]
            for where, record in records:
                if isinstance(record, dict) and plain_name(record.get("file")):
                    claim = (where, record.get("sha256"))
                    listed.setdefault(inside + record["file"], []).append(claim)
    return listed


def unlisted(folder: Path, catalogue: dict) -> list[str]:
    """Names in the folder that neither the catalogue nor a run in progress accounts for."""
    known = {*listed_files(catalogue), CATALOGUE, LOCK}
    intent = catalogue.get("pending")
    if isinstance(intent, dict):
        known |= {intent.get("file"), intent.get("staged"), intent.get("kept")}
        for move in intent.get("moves", []) if isinstance(intent.get("moves"), list) else []:
            known |= {f"{WITHDRAWN}/{move[1]}"} if isinstance(move, list) and move[1:] else set()
    names = [p.name for p in folder.iterdir()]
    aside = folder / WITHDRAWN
    if aside.is_dir() and not aside.is_symlink():
        names.remove(WITHDRAWN)
        names += [f"{WITHDRAWN}/{p.name}" for p in aside.iterdir()]
    return sorted(n for n in names if n not in known)


# ---------------------------------------------------------------- storing


def _with(issues: list, record: dict) -> list:
    others = [i for i in issues if i["file"] != record["file"]]
    return sorted([*others, record], key=lambda i: (i.get("cumulative", 0), i["file"]))


def _finish(folder: Path, catalogue: dict) -> bool:
    """Complete the run the catalogue records as pending, or undo it if its new copy is lost.

    Each step checks that it is still due, so a run killed in here too is finished by the
    next. True when the run was completed.
    """
    intent = catalogue.pop("pending")
    if intent.get("action") == "withdraw":
        try:
            finish_withdrawal(folder, catalogue, intent)
        except BuildError:
            catalogue["pending"] = intent
            raise
        return True
    target, staged, new = folder / intent["file"], folder / intent["staged"], intent["sha256"]
    now = hash_of(target)
    if now not in (new, intent["previous"]):
        catalogue["pending"] = intent
        raise BuildError(
            shown(target),
            "archive",
            _(
                "changed during an interrupted run ({now}); {catalogue} records the run as "
                "pending: restore the file, or move it away"
            ).format(now=f"sha256 {now[:12]}…" if now else _("missing"), catalogue=CATALOGUE),
        )
    done = now == new or hash_of(staged) == new  # else the new copy never got here
    if done:
        kept = folder / intent["kept"] if intent["kept"] else None
        if kept and now == intent["previous"] and hash_of(kept) is None:
            second_name(target, kept)  # a second name for the old copy first: never missing
        if now != new:
            os.replace(staged, target)
        catalogue["issues"] = _with(catalogue["issues"], intent["record"])
    save(folder, catalogue)
    return done


def _recover(folder: Path, catalogue: dict, name: str, digest: str) -> tuple[list[Problem], bool]:
    """Finish or undo a run that was killed, and clear what it left.

    Returns a line for a repair, and whether the run finished was this one (name, bytes).
    """
    notes, same = [], False
    if intent := catalogue.get("pending"):
        done = _finish(folder, catalogue)
        same = done and (intent["file"], intent["sha256"]) == (name, digest)
        if not same:
            if intent.get("action") == "withdraw":
                message = _("completed a withdrawal that was interrupted")
            elif done:
                message = _("completed an archiving that was interrupted")
            else:
                message = _(
                    "undid, as its new copy was never written, an archiving that was interrupted"
                )
            notes.append(Problem(shown(folder / intent["file"]), None, "archive", message))
    for path in folder.iterdir():
        if LITTER.match(path.name) and path.is_file() and not path.is_symlink():
            path.unlink()
    return notes, same


def _survey(folder: Path, catalogue: dict, name: str) -> list[Problem]:
    """A line for each other file listed but missing, and each file the catalogue lacks."""
    notes = [
        (
            listed,
            _("listed in {catalogue} ({where}) but missing; restore it from a backup").format(
                catalogue=CATALOGUE, where=claims[0][0]
            ),
        )
        for listed, claims in listed_files(catalogue).items()
        if not (folder / listed).exists()
    ]
    notes += [
        (n, _("in the archive folder but not in {catalogue}").format(catalogue=CATALOGUE))
        for n in unlisted(folder, catalogue)
    ]
    return [Problem(shown(folder / n), None, "archive", m) for n, m in notes if n != name]


def _version_of(current: dict, stamp: str) -> dict:
    """The history's record of the version being replaced: its own dates, reason and hash."""
    own = ("version", "archived_on", "archived_at")
    version = {key: current[key] for key in own if current.get(key) is not None}
    version.setdefault("version", len(current.get("replaced", [])) + 1)
    return {
        **version,
        "reason": current.get("reason"),
        "sha256": current["sha256"],
        "bytes": current.get("bytes", 0),
        "replaced_on": stamp[:10],
        "replaced_at": stamp,
    }


def _plan(folder: Path, catalogue: dict, name: str, digest: str, replace: bool, stamp: str):
    """What storing `digest` as `name` means: (status, previous hash, kept name, history item)."""
    target = folder / name
    current = next((i for i in catalogue["issues"] if i["file"] == name), None)
    listed, existing = current and current["sha256"], hash_of(target)
    if existing is None and current is None:
        return "archived", None, None, None
    if existing == digest and listed in (None, digest):
        return ("recorded" if current is None else "unchanged"), None, None, None
    if existing is None and listed == digest:
        return "restored", None, None, None
    if current is not None and existing not in (None, listed):
        problem = _(
            "changed since it was archived (sha256 {existing}…, {catalogue} lists {listed}…); "
            "restore the archived copy from a backup, or move this one away"
        ).format(existing=existing[:12], catalogue=CATALOGUE, listed=listed[:12])
    elif replace:
        item = _version_of(current, stamp)
        if existing is None:  # listed, but deleted by hand: its record stays in the history
            return "replaced", None, None, {**item, "file": None, "lost": True}
        kept = folder / kept_name(name, existing)
        if hash_of(kept) in (None, existing):  # kept already in a chain A→B→A→B: fine
            item |= {"file": kept.name, "bytes": target.stat().st_size}
            return "replaced", existing, kept.name, item
        target = kept
        problem = _("the name for keeping the previous copy holds other bytes; move it away")
    elif existing is None:
        problem = _(
            "listed in {catalogue} (sha256 {listed}…) but missing from the folder; the new copy "
            "differs (sha256 {digest}…): restore the missing file from a backup, or use "
            '--replace --reason "…" to archive the new one (its record stays in the history)'
        ).format(catalogue=CATALOGUE, listed=listed[:12], digest=digest[:12])
    else:
        if current:
            problem = _(
                "already archived with other content (archived as sha256 {existing}…, new "
                "{digest}…); archives are write-once: a correction is a new version, archive it "
                'with --replace --reason "…" (the old copy is kept beside it)'
            )
        else:
            problem = _(
                "already archived with other content (not in the catalogue, but holds sha256 "
                "{existing}…, new {digest}…); archives are write-once: a correction is a new "
                'version, archive it with --replace --reason "…" (the old copy is kept beside it)'
            )
        problem = problem.format(existing=existing[:12], digest=digest[:12])
    raise ArchiveRefused(shown(target), "archive", problem)


def store(
    folder: Path,
    name: str,
    data: bytes,
    entry: dict,
    *,
    replace: bool = False,
    reason: str | None = None,
) -> ArchiveResult:
    """Put `data` in the archive as `name` once; record it in the catalogue.

    The same bytes again change nothing; other bytes are refused unless `replace`, and then
    the copy there is kept beside it under a name carrying its hash. The new copy is staged
    under a hidden name, the catalogue records the run as pending (the commit point), the old
    copy gets its kept name, the new one its own, the catalogue its entry. A run killed at
    any step is finished or undone by the next one. Each version is numbered and records when
    it was archived (see `archived_at`) and the editor's `reason`.
    """
    folder = Path(folder)
    digest, stamp = sha256(data), archived_at()
    if char := unsafe_character(name):
        message = _(
            "the file name holds an invisible or control character ({char}); an archived "
            "file's name never does"
        ).format(char=describe_character(char))
        raise BuildError(shown(folder / name), "archive", message)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise failed(folder, N_("cannot create"), error) from None
    with locked(folder):
        notes: list[Problem] = []
        with _reading(folder, notes):
            catalogue = _valid_catalogue(folder)
            recovered, same = _recover(folder, catalogue, name, digest)
            notes += recovered
            status, previous, kept, item = _plan(folder, catalogue, name, digest, replace, stamp)
            notes += _survey(folder, catalogue, name)
        if status == "unchanged":
            return ArchiveResult(folder / name, "completed" if same else status, None, notes)
        current = next((i for i in catalogue["issues"] if i["file"] == name), None)
        history = [*(current.get("replaced", []) if current else []), *([item] if item else [])]
        record = {**entry, "file": name, "bytes": len(data), "sha256": digest}
        record |= {"version": len(history) + 1, "archived_on": stamp[:10], "archived_at": stamp}
        record["reason"] = reason
        if status == "restored":
            record = current
        elif history:
            record["replaced"] = history
        _commit(folder, catalogue, data, status, {"previous": previous, "kept": kept}, record)
    return ArchiveResult(folder / name, status, folder / kept if kept else None, notes)


def _valid_catalogue(folder: Path) -> dict:
    """The folder's catalogue, every record of it sound; CatalogueError naming what is not."""
    catalogue, problems = load_catalogue(folder)
    if problems:
        raise CatalogueError(problems)
    return catalogue


@contextlib.contextmanager
def _reading(folder: Path, notes: list[Problem]):
    """While the catalogue is read, repaired and planned on: a failure to read is one line,
    and a refusal carries the notes gathered so far (what was repaired) before its own."""
    try:
        yield
    except OSError as error:
        raise failed(folder, N_("cannot read or repair the archive folder"), error) from None
    except BuildError as error:
        error._set([*notes, *error.problems])
        raise


def _commit(folder: Path, catalogue: dict, data: bytes, status: str, old: dict, record: dict):
    """Stage the new copy, record the run as pending (the commit point), then finish it."""
    staged = folder / staged_name(record["file"])
    intent = {"file": record["file"], "sha256": record["sha256"], "staged": staged.name}
    intent.update(old, record=record)
    committed = False
    try:
        if status != "recorded":  # else the very bytes are in place already
            write_atomically(staged, data)
        save(folder, {**catalogue, "pending": intent})
        committed = True
        _finish(folder, {**catalogue, "pending": intent})
    except BaseException as error:
        if not committed:
            with contextlib.suppress(OSError):
                staged.unlink()
        if not isinstance(error, OSError):
            raise
        after = _("; {catalogue} records the run as pending and the next {again}").format(
            catalogue=CATALOGUE, again=_(AGAIN)
        )
        raise failed(folder, N_("cannot write"), error, after if committed else "") from None


def withdraw(folder: Path, wanted: str, reason: str) -> ArchiveResult:
    """Withdraw an issue archived by mistake: its files into withdrawn/, its record under
    "withdrawn" with the time and the reason. The same transaction as `store`: the catalogue
    records the moves as pending (the commit point), and a killed run is finished by the next."""
    folder = Path(folder)
    if not (folder / CATALOGUE).is_file():
        message = _("no {catalogue}; expected an archive folder").format(catalogue=CATALOGUE)
        raise BuildError(shown(folder), "withdraw", message)
    with locked(folder):
        notes: list[Problem] = []
        with _reading(folder, notes):
            catalogue = _valid_catalogue(folder)
            notes += _recover(folder, catalogue, "", "")[0]
            intent = plan_withdrawal(folder, catalogue, wanted, reason)
        committed = False
        try:
            save(folder, {**catalogue, "pending": intent})
            committed = True
            _finish(folder, {**catalogue, "pending": intent})
        except OSError as error:
            after = _("; {catalogue} records the run as pending and the next {again}").format(
                catalogue=CATALOGUE, again=_(AGAIN)
            )
            raise failed(folder, N_("cannot write"), error, after if committed else "") from None
    path = folder / WITHDRAWN / intent["record"]["file"]
    return ArchiveResult(path, "withdrawn", None, notes)
