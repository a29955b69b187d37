"""One import into an issue at a time: a lock file in the issue folder, a regular file only."""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import stat
import time
from collections.abc import Iterator
from pathlib import Path

from ..content.loader import display_path
from ..errors import ImportFormatError, Problem
from ..i18n import N_, _

LOCK_FILE = ".import.lock"
# How long an import waits for another into the same issue: writing a draft's files takes
# a second or two, so a longer wait means that import is stuck or the lock is held on purpose.
WAIT_SECONDS = 15.0
POLL_SECONDS = 0.05
KINDS = {
    stat.S_IFLNK: N_("a symbolic link"),
    stat.S_IFIFO: N_("a named pipe"),
    stat.S_IFDIR: N_("a folder"),
    stat.S_IFSOCK: N_("a socket"),
    stat.S_IFCHR: N_("a device"),
    stat.S_IFBLK: N_("a device"),
}


def refuse(path: Path, message: str) -> ImportFormatError:
    return ImportFormatError([Problem(display_path(path), None, "file", message)])


def not_regular(path: Path, mode: int) -> ImportFormatError:
    kind = _(KINDS.get(stat.S_IFMT(mode), N_("not a regular file")))
    return refuse(
        path,
        _("is {kind}; imports lock the issue with a regular file there: remove it").format(
            kind=kind
        ),
    )


def open_lock(path: Path) -> int:
    """A descriptor of the lock file, made if missing; a link is never followed and a named
    pipe never waited on."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        pass
    else:
        if not stat.S_ISREG(mode):
            raise not_regular(path, mode)
    flags = os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
    try:
        descriptor = os.open(path, flags, 0o644)
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise not_regular(path, stat.S_IFLNK) from None
        with contextlib.suppress(OSError):
            mode = os.lstat(path).st_mode
            if not stat.S_ISREG(mode):
                raise not_regular(path, mode) from None
        reason = _("cannot lock the issue for the import: {reason}").format(
            reason=error.strerror or error
        )
        raise refuse(path, reason) from None
    mode = os.fstat(descriptor).st_mode
    if not stat.S_ISREG(mode):
        os.close(descriptor)
        raise not_regular(path, mode)
    return descriptor


def still_there(descriptor: int, path: Path) -> bool:
    """Whether the locked file is still the one at `path` (the run before removed it as
    it finished, and another may have made a new one)."""
    try:
        here = os.lstat(path)
    except OSError:
        return False
    mine = os.fstat(descriptor)
    return (here.st_dev, here.st_ino) == (mine.st_dev, mine.st_ino)


@contextlib.contextmanager
def import_lock(issue_dir: Path, wait: float | None = None) -> Iterator[None]:
    """Hold the issue's import lock: wait a while for another import to finish, then refuse
    in one line. The lock file is removed when done, while still held."""
    path = Path(issue_dir) / LOCK_FILE
    deadline = time.monotonic() + (WAIT_SECONDS if wait is None else wait)
    while True:
        descriptor = open_lock(path)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(descriptor)
            if time.monotonic() >= deadline:
                raise refuse(
                    path,
                    _("another import into this issue is running; try again when it has finished"),
                ) from None
            time.sleep(POLL_SECONDS)
            continue
        except OSError as error:  # a file system without locks
            os.close(descriptor)
            reason = _("cannot lock the issue for the import: {reason}").format(
                reason=error.strerror or error
            )
            raise refuse(path, reason) from None
        if still_there(descriptor, path):
            break
        os.close(descriptor)
    try:
        yield
    finally:
        with contextlib.suppress(OSError):
            os.unlink(path)
        os.close(descriptor)
