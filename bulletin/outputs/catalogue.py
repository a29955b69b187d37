"""The archive folder's catalogue: its format, and storing as a crash-safe transaction."""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..atomic import write_atomically
from ..content.loader import display_path
from ..errors import BuildError, Problem

CATALOGUE = "catalogue.json"
CATALOGUE_FORMAT = 1
LOCK = ".catalogue.lock"
SHA256 = re.compile(r"^[0-9a-f]{64}$")
# What a killed run can leave: write_atomically's temporary files and a staged new copy.
LITTER = re.compile(r"^\.(\.?.+\.pdf(\.pending)?|catalogue\.json)\.\w+\.tmp$|^\..+\.pdf\.pending$")
AGAIN = "`bulletin archive` into this folder completes it"


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


def staged_name(name: str) -> str:
    return f".{name}.pending"


def kept_name(name: str, digest: str) -> str:
    path = Path(name)
    return f"{path.stem}.replaced-{digest[:12]}{path.suffix}"


def _failed(path: Path, doing: str, error: OSError, then: str = "") -> BuildError:
    return BuildError(display_path(path), "archive", f"{doing}: {error.strerror or error}{then}")


@contextlib.contextmanager
def locked(folder: Path, *, shared: bool = False):
    """One archiver at a time per folder; a fixity check waits for a run to finish."""
    try:
        handle = open(folder / LOCK, "r" if shared else "a")  # noqa: SIM115 (closed below)
    except OSError as error:
        if not shared:
            raise _failed(folder / LOCK, "cannot lock the archive folder", error) from None
        handle = None  # never archived into, or read-only to us: nobody is writing
    with handle or contextlib.nullcontext():
        if handle is not None:
            fcntl.flock(handle, fcntl.LOCK_SH if shared else fcntl.LOCK_EX)
        yield


# ---------------------------------------------------------------- reading and checking


def _kind(value) -> str:
    kinds = {dict: "an object", list: "a list", str: "a string", bool: "true or false"}
    return {**kinds, int: "a number", float: "a number"}.get(type(value), "null")


def _plain_name(name) -> bool:
    """A file directly in the archive folder, not hidden, not the catalogue."""
    plain = isinstance(name, str) and re.fullmatch(r"[^./\\\0][^/\\\0]*", name)
    return bool(plain) and name != CATALOGUE


def _hex(value) -> bool:
    return isinstance(value, str) and bool(SHA256.match(value))


def _record_problems(record, where: str, history: bool = False) -> list[tuple[str, str]]:
    """What is wrong with one catalogue entry (or with one kept copy in its history)."""
    if not isinstance(record, dict):
        return [(where, f"expected an object, found {_kind(record)}")]
    found = []
    name = record.get("file")
    if "file" not in record:
        found.append((where, "no 'file'; expected the name of the archived PDF"))
    elif not _plain_name(name) and not (history and name is None and record.get("lost") is True):
        found.append((f"{where}.file", f"{name!r}: expected a file name in the archive folder"))
    if not _hex(record.get("sha256")):
        found.append((f"{where}.sha256", "expected 64 lowercase hexadecimal digits"))
    for key in ("bytes", "cumulative"):
        value = record.get(key, 0)
        if not isinstance(value, int) or isinstance(value, bool):
            found.append((f"{where}.{key}", f"expected a whole number, found {_kind(value)}"))
    replaced = [] if history else record.get("replaced", [])
    if not isinstance(replaced, list):
        return [*found, (f"{where}.replaced", f"expected a list, found {_kind(replaced)}")]
    for index, old in enumerate(replaced):
        found += _record_problems(old, f"{where}.replaced[{index}]", history=True)
    return found


def pending_problems(intent) -> list[tuple[str, str]]:
    """What is wrong with the record of a run in progress (written by `store`)."""
    if not isinstance(intent, dict):
        return [("pending", f"expected an object, found {_kind(intent)}")]
    found = _record_problems(intent.get("record"), "pending.record")
    name, previous = intent.get("file"), intent.get("previous")
    if not _plain_name(name) or intent.get("staged") != staged_name(name):
        found.append(("pending.file", "expected the file name and its staged copy's name"))
    elif not found and intent["record"]["file"] != name:
        found.append(("pending.record.file", f"expected {name!r}, as in 'file'"))
    if not _hex(intent.get("sha256")) or not (previous is None or _hex(previous)):
        found.append(("pending.sha256", "expected 64 lowercase hexadecimal digits"))
    if intent.get("kept") is not None and not _plain_name(intent.get("kept")):
        found.append(("pending.kept", "expected a file name or null"))
    return found


def load_catalogue(folder: Path) -> tuple[dict | None, list[Problem]]:
    """The catalogue and every problem with it; None when it cannot be read at all."""
    path = folder / CATALOGUE
    shown = display_path(path)
    if not path.exists() and not path.is_symlink():
        return {"format": CATALOGUE_FORMAT, "issues": []}, []
    try:
        catalogue = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        return None, [Problem(shown, None, "catalogue", f"cannot read: {error.strerror or error}")]
    except ValueError as error:
        return None, [Problem(shown, None, "catalogue", f"not valid JSON ({error})")]
    if not isinstance(catalogue, dict) or not isinstance(catalogue.get("issues"), list):
        return None, [Problem(shown, None, "catalogue", "expected an object with a list 'issues'")]
    found, seen = [], {}
    for index, entry in enumerate(catalogue["issues"]):
        problems = _record_problems(entry, f"issues[{index}]")
        if not problems and entry["file"] in seen:
            problems = [(f"issues[{index}].file", f"listed at issues[{seen[entry['file']]}] too")]
        seen.setdefault(None if problems else entry["file"], index)
        found += problems
    if "pending" in catalogue:
        found += pending_problems(catalogue["pending"])
    return catalogue, [Problem(shown, None, where, message) for where, message in found]


def listed_files(catalogue: dict) -> dict[str, list[tuple[str, str]]]:
    """File name → (where in the catalogue, SHA-256) of every copy it lists, kept ones too."""
    listed: dict[str, list[tuple[str, str]]] = {}
    for index, entry in enumerate(catalogue["issues"]):
        history = entry.get("replaced") if isinstance(entry, dict) else None
        records = [(f"issues[{index}]", entry)]
        if isinstance(history, list):
            records += [(f"issues[{index}].replaced[{j}]", r) for j, r in enumerate(history)]
        for where, record in records:
            if isinstance(record, dict) and _plain_name(record.get("file")):
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
    write_atomically(folder / CATALOGUE, json.dumps(catalogue, ensure_ascii=False, indent=2) + "\n")
    _sync(folder)


def _hash_of(path: Path) -> str | None:
    """SHA-256 of a file of the archive folder; None when there is none by that name."""
    if path.is_symlink() or (path.exists() and not path.is_file()):
        what = "symbolic link" if path.is_symlink() else "folder"
        message = f"a {what} is in the way; expected a PDF or nothing, move it away"
        raise BuildError(display_path(path), "archive", message)
    return file_sha256(path) if path.exists() else None


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
            display_path(target),
            "archive",
            f"changed during an interrupted run ({f'sha256 {now[:12]}…' if now else 'missing'});"
            f" {CATALOGUE} records the run as pending: restore the file, or move it away",
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
        message = "completed" if done else "undid, as its new copy was never written,"
        if not same:
            message = f"{message} an archiving that was interrupted"
            notes.append(Problem(display_path(folder / intent["file"]), None, "archive", message))
    for path in folder.iterdir():
        if LITTER.match(path.name) and path.is_file() and not path.is_symlink():
            path.unlink()
    return notes, same


def _survey(folder: Path, catalogue: dict, name: str) -> list[Problem]:
    """A line for each other file listed but missing, and each file the catalogue lacks."""
    notes = [
        (listed, f"listed in {CATALOGUE} ({claims[0][0]}) but missing")
        for listed, claims in listed_files(catalogue).items()
        if not (folder / listed).exists()
    ]
    notes += [
        (n, f"in the archive folder but not in {CATALOGUE}") for n in unlisted(folder, catalogue)
    ]
    return [Problem(display_path(folder / n), None, "archive", m) for n, m in notes if n != name]


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
        problem = (
            f"changed since it was archived (sha256 {existing[:12]}…, {CATALOGUE} lists "
            f"{listed[:12]}…); restore the archived copy from a backup, or move this one away"
        )
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
        target, problem = kept, "the name for keeping the previous copy holds other bytes"
    elif existing is None:
        problem = (
            f"listed in {CATALOGUE} (sha256 {listed[:12]}…) but missing from the folder; the "
            f"new copy differs (sha256 {digest[:12]}…): restore the missing file from a backup, "
            "or use --replace to archive the new one (its record stays in the history)"
        )
    else:
        where = "archived as" if current else "not in the catalogue, but holds"
        problem = (
            f"already archived with other content ({where} sha256 {existing[:12]}…, new "
            f"{digest[:12]}…); archives are write-once, use --replace to archive the new file "
            "and keep the old one beside it"
        )
    raise ArchiveRefused(display_path(target), "archive", problem)


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
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise _failed(folder, "cannot create", error) from None
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
            raise _failed(folder, "cannot read or repair the archive folder", error) from None
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
        after = f"; {CATALOGUE} records the run as pending and the next {AGAIN}"
        raise _failed(folder, "cannot write", error, after if committed else "") from None
