"""The archive folder's lock, and the durable writes every archiving step is made of."""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import stat
from pathlib import Path

from bulletin.atomic import write_atomically
from bulletin.errors import BuildError
from bulletin.i18n import N_, _
from bulletin.outputs.archive_files import NotRegular, kind_of_mode, open_regular, shown
from bulletin.outputs.catalogue_records import CATALOGUE, CATALOGUE_FORMAT, upgraded

LOCK = ".catalogue.lock"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        while chunk := stream.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def failed(path: Path, doing: str, error: OSError, then: str = "") -> BuildError:
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
            raise failed(folder / LOCK, N_("cannot lock the archive folder"), error) from None
        descriptor = None  # never archived into, or read-only to us: nobody is writing
    if descriptor is None:
        yield
        return
    try:
        fcntl.flock(descriptor, fcntl.LOCK_SH if shared else fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)


def sync(folder: Path) -> None:
    """Make the folder's renames and links durable, in order, where the system can."""
    with contextlib.suppress(OSError):
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def save(folder: Path, catalogue: dict) -> None:
    """Write the catalogue atomically, in the current format (an older one is upgraded)."""
    catalogue = upgraded(catalogue)
    catalogue["format"] = CATALOGUE_FORMAT
    try:
        data = (json.dumps(catalogue, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate ("\ud800" typed in the file): keep it escaped
        data = (json.dumps(catalogue, indent=2) + "\n").encode("ascii")
    write_atomically(folder / CATALOGUE, data)
    sync(folder)


def hash_of(path: Path) -> str | None:
    """SHA-256 of a file of the archive folder; None when there is none by that name."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return None
    if not stat.S_ISREG(mode):
        message = _("{kind} is in the way; expected a PDF or nothing, move it away")
        raise BuildError(shown(path), "archive", message.format(kind=kind_of_mode(mode)))
    return file_sha256(path)


def second_name(path: Path, other: Path) -> None:
    """Give the file at `path` the name `other` too (a hard link, else an atomic copy)."""
    try:
        os.link(path, other)
    except OSError:  # a file system without hard links
        write_atomically(other, path.read_bytes())
    sync(other.parent)
