"""Atomic writing: every file and output folder appears whole or not at all; leftovers swept."""

from __future__ import annotations

import contextlib
import ctypes
import errno
import hashlib
import os
import re
import secrets
import shutil
import socket
import stat
import time
from pathlib import Path

# Temporary files are named `.NAME.PID_HOST_RANDOM.tmp`: the writer's process id, four hex
# digits of its machine's name, eight random hex digits. A run that is killed outright
# (SIGKILL, power cut) cannot remove its temporary file; the next write into the same
# folder does (see `sweep_stale`). Older versions named them `.NAME.RANDOM.tmp` (8 letters,
# digits or _).
OURS = re.compile(r"^\..+\.(?P<pid>\d+)_(?P<host>[0-9a-f]{4})_[0-9a-f]{8}\.tmp$")
LEGACY = re.compile(r"^\..+\.[a-z0-9_]{8}\.tmp$")
# A temporary file this old is stale whoever wrote it: no write takes an hour.
STALE_AFTER_SECONDS = 3600

_HOST = hashlib.sha1(socket.gethostname().encode(), usedforsecurity=False).hexdigest()[:4]
_swept: set[tuple[int, Path]] = set()  # (process, folder): each folder is swept once per run
_unfinished: set[Path] = set()  # this process's temporary files not yet renamed into place


def write_atomically(path: Path, data: bytes | str) -> Path:
    """Write to a temporary file beside `path`, flush it to disk, then rename it over `path`.

    On any failure, Ctrl-C included, the previous file stays and no temporary file is left.
    OSError is raised as is, for the caller to report in its own terms.

    Before its first write into a folder, each run removes the temporary files that killed
    runs left there (`sweep_stale`): only names of our own pattern, and only those older
    than an hour or made on this machine by a process that is no longer running. A file
    another run is still writing is never touched.
    """
    path = Path(path)
    sweep_stale(path.parent, once=True)
    temporary, handle = _create_temporary(path)
    _unfinished.add(temporary)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data.encode("utf-8") if isinstance(data, str) else data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o644)  # private while written; outputs are meant to be shared
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    finally:
        _unfinished.discard(temporary)
    return path


def _create_temporary(path: Path) -> tuple[Path, int]:
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    while True:
        name = f".{_shortened(path.name)}.{os.getpid()}_{_HOST}_{secrets.token_hex(4)}.tmp"
        temporary = path.parent / name
        try:
            return temporary, os.open(temporary, flags, 0o600)
        except FileExistsError:
            continue


def _shortened(name: str, limit: int = 200) -> str:
    """`name` cut to `limit` bytes, so that the temporary name fits the file-name limit."""
    return name.encode()[:limit].decode(errors="ignore")


def discard_unfinished() -> None:
    """Remove this process's temporary files; for a signal handler that is about to exit."""
    for temporary in list(_unfinished):
        with contextlib.suppress(OSError):
            os.unlink(temporary)


def is_stale(name: str, modified: float, now: float | None = None) -> bool:
    """Whether a file named `name` is a temporary file of ours that nobody will finish.

    Only names of our own pattern count. Such a file is stale when it is older than an
    hour, or when it was made on this machine by a process that is no longer running.
    """
    ours = OURS.match(name)
    if not ours and not LEGACY.match(name):
        return False
    if (now if now is not None else time.time()) - modified > STALE_AFTER_SECONDS:
        return True
    if not ours or ours["host"] != _HOST:
        return False
    return not _running(int(ours["pid"]))


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    if pid <= 0:
        return False
    if os.name == "nt":  # os.kill would end the process there; rely on the age alone
        return True
    try:
        os.kill(pid, 0)
    except PermissionError:
        return True  # another user's process
    except (ProcessLookupError, OverflowError):
        return False
    return True


def sweep_stale(folder: Path, *, once: bool = False) -> list[Path]:
    """Remove the stale temporary files of ours directly in `folder`; return what went.

    Never fails: a folder that cannot be read or a file that cannot be removed is left
    for the next run. With `once`, a folder already swept by this process is skipped.
    """
    folder = Path(folder)
    key = (os.getpid(), folder)
    if once and key in _swept:
        return []
    _swept.add(key)
    removed = []
    now = time.time()
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return []
    for entry in entries:
        if not entry.name.endswith(".tmp") or not entry.name.startswith("."):
            continue
        try:
            info = entry.stat(follow_symlinks=False)
            if stat.S_ISREG(info.st_mode) and is_stale(entry.name, info.st_mtime, now):
                os.unlink(entry.path)
                removed.append(Path(entry.path))
        except OSError:
            continue
    return removed


# Folders are written whole: a new one is made beside the old (`.NAME.new-PID-RANDOM`) and
# the two are swapped in one step (Linux renameat2 with RENAME_EXCHANGE).
AT_FDCWD = -100
RENAME_EXCHANGE = 2


def written_in_place(target: Path) -> Path:
    """Where an output folder goes: a symbolic link is kept, and the folder it leads to is
    the one written (as a file or folder written through the link would be).

    OSError (ELOOP) for a link that cannot be followed.
    """
    target = Path(target)
    if not target.is_symlink():
        return target
    try:
        return target.resolve(strict=False)
    except RuntimeError:  # a loop of links, on Python versions that raise it so
        raise OSError(errno.ELOOP, os.strerror(errno.ELOOP), str(target)) from None


def new_folder_beside(target: Path) -> Path:
    """An empty hidden folder beside `target`, to be swapped in by `swap_folder`; folders
    killed runs left there over an hour ago are removed first."""
    parent = target.parent
    parent.mkdir(parents=True, exist_ok=True)
    sweep_abandoned(parent, target.name)
    staging = parent / f".{target.name}.new-{os.getpid()}-{secrets.token_hex(4)}"
    staging.mkdir()
    return staging


def swap_folder(new: Path, target: Path) -> None:
    """Put `new` at `target`: one atomic exchange of the two folders where the system can;
    elsewhere two renames, between which `target` is briefly missing (never half-written).
    Afterwards `new` holds the old folder, or nothing."""
    os.chmod(new, 0o755)
    if not target.exists():
        os.rename(new, target)
        return
    if _exchange(new, target):
        return
    aside = target.parent / f".{target.name}.old-{os.getpid()}-{secrets.token_hex(4)}"
    os.rename(target, aside)
    os.rename(new, target)
    os.rename(aside, new)


def _exchange(first: Path, second: Path) -> bool:
    """Swap two folders in one step (Linux renameat2); False where that is not available."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    done = renameat2(AT_FDCWD, os.fsencode(first), AT_FDCWD, os.fsencode(second), RENAME_EXCHANGE)
    if done == 0:
        return True
    number = ctypes.get_errno()
    if number in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EPERM):
        return False
    raise OSError(number, os.strerror(number), str(second))


def sweep_abandoned(parent: Path, name: str) -> None:
    """Remove new or old folders of `name` a killed run left in `parent` over an hour ago."""
    pattern = re.compile(rf"^\.{re.escape(name)}\.(new|old)-\d+-[0-9a-f]{{8}}$")
    now = time.time()
    with contextlib.suppress(OSError):
        for entry in parent.iterdir():
            if pattern.match(entry.name) and entry.is_dir() and not entry.is_symlink():
                with contextlib.suppress(OSError):
                    if now - entry.stat().st_mtime > STALE_AFTER_SECONDS:
                        shutil.rmtree(entry)
