"""The archive folder's catalogue: its format, and storing as a crash-safe transaction."""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import hashlib
import json
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

from bulletin.atomic import write_atomically
from bulletin.errors import BuildError, Problem
from bulletin.i18n import N_, _
from bulletin.outputs.archive_files import (
    NotRegular,
    describe_character,
    kind_of_mode,
    open_regular,
    shown,
    unsafe_character,
)
from bulletin.outputs.catalogue_records import (
    CATALOGUE,
    CATALOGUE_FORMAT,
    SHA256,
    load_catalogue,
    pending_problems,
    plain_name,
    staged_name,
)

__all__ = ["CATALOGUE", "CATALOGUE_FORMAT", "SHA256", "load_catalogue", "pending_problems"]

LOCK = ".catalogue.lock"
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


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        while chunk := stream.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def kept_name(name: str, digest: str) -> str:
    path = Path(name)
    return f"{path.stem}.replaced-{digest[:12]}{path.suffix}"


def _failed(path: Path, doing: str, error: OSError, then: str = "") -> BuildError:
    """`doing` is a message marked with N_; `then` is already in the reader's language."""
    message = _("{doing}: {reason}").format(doing=_(doing), reason=error.strerror or error)
    return BuildError(shown(path), "archive", message + then)


def lock_refused(folder: Path, kind: str, field: str = "archive") -> BuildError:
    message = _(
        "{kind} where the archive folder's lock should be, not a regular file; remove it (the "
        "next `bulletin archive` makes it again as an empty file)"
    ).format(kind=kind)
    return BuildError(shown(folder / LOCK), field, message)


def check_lock(folder: Path) -> None:
    """Refuse, before any work, an archive folder whose lock is there but not a regular file."""
    try:
        os.close(open_regular(folder / LOCK)[0])
    except NotRegular as refused:
        raise lock_refused(folder, refused.kind) from None
    except OSError:
        pass  # none yet, or not ours to read: locking says so in its turn


@contextlib.contextmanager
def locked(folder: Path, *, shared: bool = False):
    """One archiver at a time per folder; a fixity check waits for a run to finish.

    The lock is a regular file, never followed if a link nor waited on if a pipe.
    """
    field = "verify" if shared else "archive"
    try:
        descriptor: int | None = open_regular(folder / LOCK, create=not shared)[0]
    except NotRegular as refused:
        raise lock_refused(folder, refused.kind, field) from None
    except OSError as error:
        if not shared:
            raise _failed(folder / LOCK, N_("cannot lock the archive folder"), error) from None
        descriptor = None  # never archived into, or read-only to us: nobody is writing
    if descriptor is None:
        yield
        return
    try:
        fcntl.flock(descriptor, fcntl.LOCK_SH if shared else fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)


def listed_files(catalogue: dict) -> dict[str, list[tuple[str, str]]]:
    """File name → (where in the catalogue, SHA-256) of every copy it lists, kept ones too."""
    listed: dict[str, list[tuple[str, str]]] = {}
    for index, entry in enumerate(catalogue["issues"]):
        history = entry.get("replaced") if isinstance(entry, dict) else None
        records = [(f"issues[{index}]", entry)]
        if isinstance(history, list):
            records += [(f"issues[{index}].replaced[{j}]", r) for j, r in enumerate(history)]
        for where, record in records:
            if isinstance(record, dict) and plain_name(record.get("file")):
                listed.setdefault(record["file"], []).append((where, record.get("sha256")))
    return listed


def unlisted(folder: Path, catalogue: dict) -> list[str]:
    """Names in the folder that neither the catalogue nor a run in progress accounts for."""
    known = {*listed_files(catalogue), CATALOGUE, LOCK}
    intent = catalogue.get("pending")
    if isinstance(intent, dict):
        known |= {intent.get("file"), intent.get("staged"), intent.get("kept")}
    return sorted(p.name for p in folder.iterdir() if p.name not in known)


# ---------------------------------------------------------------- storing


def _sync(folder: Path) -> None:
    """Make the folder's renames and links durable, in order, where the system can."""
    with contextlib.suppress(OSError):
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def _save(folder: Path, catalogue: dict) -> None:
    catalogue["format"] = CATALOGUE_FORMAT
    try:
        data = (json.dumps(catalogue, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate ("\ud800" typed in the file): keep it escaped
        data = (json.dumps(catalogue, indent=2) + "\n").encode("ascii")
    write_atomically(folder / CATALOGUE, data)
    _sync(folder)


def _hash_of(path: Path) -> str | None:
    """SHA-256 of a file of the archive folder; None when there is none by that name."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return None
    if not stat.S_ISREG(mode):
        message = _("{kind} is in the way; expected a PDF or nothing, move it away")
        raise BuildError(shown(path), "archive", message.format(kind=kind_of_mode(mode)))
    return file_sha256(path)


def _with(issues: list, record: dict) -> list:
    others = [i for i in issues if i["file"] != record["file"]]
    return sorted([*others, record], key=lambda i: (i.get("cumulative", 0), i["file"]))


def _finish(folder: Path, catalogue: dict) -> bool:
    """Complete the run the catalogue records as pending, or undo it if its new copy is lost.

    Each step checks that it is still due, so a run killed in here too is finished by the
    next. True when the run was completed.
    """
    intent = catalogue.pop("pending")
    target, staged, new = folder / intent["file"], folder / intent["staged"], intent["sha256"]
    now = _hash_of(target)
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
    done = now == new or _hash_of(staged) == new  # else the new copy never got here
    if done:
        kept = folder / intent["kept"] if intent["kept"] else None
        if kept and now == intent["previous"] and _hash_of(kept) is None:
            try:  # a second name for the old copy first: it never goes missing
                os.link(target, kept)
            except OSError:  # a file system without hard links
                write_atomically(kept, target.read_bytes())
            _sync(folder)
        if now != new:
            os.replace(staged, target)
        catalogue["issues"] = _with(catalogue["issues"], intent["record"])
    _save(folder, catalogue)
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
            if done:
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


def _plan(folder: Path, catalogue: dict, name: str, digest: str, replace: bool):
    """What storing `digest` as `name` means: (status, previous hash, kept name, history item)."""
    target = folder / name
    current = next((i for i in catalogue["issues"] if i["file"] == name), None)
    listed, existing = current and current["sha256"], _hash_of(target)
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
        today = dt.date.today().isoformat()
        if existing is None:  # listed, but deleted by hand: its record stays in the history
            lost = {"file": None, "lost": True, "sha256": listed, "bytes": current.get("bytes", 0)}
            return "replaced", None, None, {**lost, "replaced_on": today}
        kept = folder / kept_name(name, existing)
        if _hash_of(kept) in (None, existing):  # kept already in a chain A→B→A→B: fine
            size = target.stat().st_size
            item = {"file": kept.name, "sha256": existing, "bytes": size, "replaced_on": today}
            return "replaced", existing, kept.name, item
        target = kept
        problem = _("the name for keeping the previous copy holds other bytes; move it away")
    elif existing is None:
        problem = _(
            "listed in {catalogue} (sha256 {listed}…) but missing from the folder; the new copy "
            "differs (sha256 {digest}…): restore the missing file from a backup, or use "
            "--replace to archive the new one (its record stays in the history)"
        ).format(catalogue=CATALOGUE, listed=listed[:12], digest=digest[:12])
    else:
        if current:
            problem = _(
                "already archived with other content (archived as sha256 {existing}…, new "
                "{digest}…); archives are write-once, use --replace to archive the new file and "
                "keep the old one beside it"
            )
        else:
            problem = _(
                "already archived with other content (not in the catalogue, but holds sha256 "
                "{existing}…, new {digest}…); archives are write-once, use --replace to archive "
                "the new file and keep the old one beside it"
            )
        problem = problem.format(existing=existing[:12], digest=digest[:12])
    raise ArchiveRefused(shown(target), "archive", problem)


def store(
    folder: Path, name: str, data: bytes, entry: dict, *, replace: bool = False
) -> ArchiveResult:
    """Put `data` in the archive as `name` once; record it in the catalogue.

    The same bytes again change nothing; other bytes are refused unless `replace`, and then
    the copy there is kept beside it under a name carrying its hash. The new copy is staged
    under a hidden name, the catalogue records the run as pending (the commit point), the old
    copy gets its kept name, the new one its own, the catalogue its entry. A run killed at
    any step is finished or undone by the next one.
    """
    folder = Path(folder)
    digest = sha256(data)
    if char := unsafe_character(name):
        message = _(
            "the file name holds an invisible or control character ({char}); an archived "
            "file's name never does"
        ).format(char=describe_character(char))
        raise BuildError(shown(folder / name), "archive", message)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise _failed(folder, N_("cannot create"), error) from None
    with locked(folder):
        notes: list[Problem] = []
        try:
            catalogue, problems = load_catalogue(folder)
            if problems:
                raise CatalogueError(problems)
            notes, same = _recover(folder, catalogue, name, digest)
            status, previous, kept, item = _plan(folder, catalogue, name, digest, replace)
            notes += _survey(folder, catalogue, name)
        except OSError as error:
            raise _failed(folder, N_("cannot read or repair the archive folder"), error) from None
        except BuildError as error:
            error._set([*notes, *error.problems])
            raise
        if status == "unchanged":
            return ArchiveResult(folder / name, "completed" if same else status, None, notes)
        current = next((i for i in catalogue["issues"] if i["file"] == name), None)
        record = {**entry, "file": name, "bytes": len(data), "sha256": digest}
        history = [*(current.get("replaced", []) if current else []), *([item] if item else [])]
        if status == "restored":
            record = current
        elif history:
            record["replaced"] = history
        _commit(folder, catalogue, data, status, {"previous": previous, "kept": kept}, record)
    return ArchiveResult(folder / name, status, folder / kept if kept else None, notes)


def _commit(folder: Path, catalogue: dict, data: bytes, status: str, old: dict, record: dict):
    """Stage the new copy, record the run as pending (the commit point), then finish it."""
    staged = folder / staged_name(record["file"])
    intent = {"file": record["file"], "sha256": record["sha256"], "staged": staged.name}
    intent.update(old, record=record)
    committed = False
    try:
        if status != "recorded":  # else the very bytes are in place already
            write_atomically(staged, data)
        _save(folder, {**catalogue, "pending": intent})
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
        raise _failed(folder, N_("cannot write"), error, after if committed else "") from None
