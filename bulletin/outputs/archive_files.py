"""The archive folder's own files: regular files only, read within budgets; names escaped."""

from __future__ import annotations

import os
import re
import stat
import unicodedata
from pathlib import Path

from bulletin.content.loader import display_path
from bulletin.i18n import N_, _

# Budgets for catalogue.json. A record is about 440 bytes, so a century of a fortnightly
# bulletin (2,600 issues) is 1.1 MB, and a dozen kept copies per issue still fits in 16 MB;
# beyond that it is not a catalogue, and parsing it would take ten times its size in memory.
MAX_CATALOGUE_BYTES = 16 * 1024 * 1024
# Objects and lists: a record is one object (two with its history); 200,000 is more than
# 16 MB of real records can hold, and bounds the memory of a file of empty ones ({}, [] …).
MAX_CONTAINERS = 200_000
MAX_DEPTH = 16  # the catalogue needs 5: pending → record → replaced → kept copy

# Characters that may not be printed as they are: C0/C1 controls, format characters (bidi
# controls, zero-width marks), line and paragraph separators, and the surrogates that stand
# for bytes of a file name that are not UTF-8.
UNSAFE = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_BRACKET = re.compile(r"[\[\]{}]")

KINDS = {
    stat.S_IFLNK: N_("a symbolic link"),
    stat.S_IFDIR: N_("a folder"),
    stat.S_IFIFO: N_("a named pipe (FIFO)"),
    stat.S_IFCHR: N_("a device"),
    stat.S_IFBLK: N_("a device"),
    stat.S_IFSOCK: N_("a socket"),
}


def unsafe_character(text: str) -> str | None:
    """The first character of `text` that would change what a printed line shows, if any."""
    if text.isprintable():  # the common case, and false for every unsafe character
        return None
    return next((c for c in text if unicodedata.category(c) in UNSAFE), None)


def _escape(char: str) -> str:
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def printable(text: str) -> str:
    """`text` with each unsafe character as an escape (a newline as \\n, U+200E as \\u200e)."""
    if unsafe_character(text) is None:
        return text
    return "".join(_escape(c) if unicodedata.category(c) in UNSAFE else c for c in text)


def shown(path: Path | str) -> str:
    """A path as the user knows it, on one line whatever its names hold."""
    return printable(display_path(Path(path)))


def describe_character(char: str) -> str:
    code = f"U+{ord(char):04X}"
    name = unicodedata.name(char, "")
    return f"{code} {name}" if name else code


class NotRegular(Exception):
    """Something other than a regular file is where one should be: `kind` says what, in words."""

    def __init__(self, kind: str):
        super().__init__(kind)
        self.kind = kind


def kind_of_mode(mode: int) -> str:
    """What a file of this mode is, in words (a folder, a named pipe …)."""
    return _(KINDS.get(stat.S_IFMT(mode), N_("not a regular file")))


def open_regular(path: Path, *, create: bool = False) -> tuple[int, os.stat_result]:
    """A descriptor of the regular file at `path` (made empty if `create`), and its status.

    A link is never followed and a named pipe never waited on; a device is not even opened.
    Raises NotRegular for anything else there, OSError as the system says otherwise.
    """
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        if not create:
            raise
    else:
        if not stat.S_ISREG(mode):
            raise NotRegular(kind_of_mode(mode))
    flags = os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
    flags |= (os.O_WRONLY | os.O_CREAT) if create else os.O_RDONLY
    try:
        descriptor = os.open(path, flags, 0o644)
    except OSError:
        with_kind = _replaced_kind(path)  # swapped since it was looked at
        if with_kind:
            raise NotRegular(with_kind) from None
        raise
    status = os.fstat(descriptor)
    if not stat.S_ISREG(status.st_mode):
        os.close(descriptor)
        raise NotRegular(kind_of_mode(status.st_mode))
    return descriptor, status


def _replaced_kind(path: Path) -> str | None:
    try:
        mode = os.lstat(path).st_mode
    except OSError:
        return None
    return None if stat.S_ISREG(mode) else kind_of_mode(mode)


class TooLarge(Exception):
    """A file is larger than its budget."""


def read_within(path: Path, limit: int = MAX_CATALOGUE_BYTES) -> bytes:
    """The bytes of a regular file no larger than `limit`; TooLarge, NotRegular or OSError."""
    descriptor, status = open_regular(path)
    with os.fdopen(descriptor, "rb") as stream:
        if status.st_size > limit:
            raise TooLarge
        data = stream.read(limit + 1)  # it may have grown since
    if len(data) > limit:
        raise TooLarge
    return data


def too_large() -> str:
    return _(
        "larger than {size}, more than any catalogue holds (a century of issues takes about "
        "1 MB); restore it from a backup"
    ).format(size=f"{MAX_CATALOGUE_BYTES // (1024 * 1024)} MB")


def structure_problem(text: str) -> str | None:
    """What puts a JSON text beyond the catalogue's budgets (lists and objects, nesting)."""
    bare = _STRING.sub("", text)
    if bare.count("{") + bare.count("[") > MAX_CONTAINERS:
        return _(
            "more than {n} objects and lists, more than any catalogue holds; restore it from a "
            "backup"
        ).format(n=f"{MAX_CONTAINERS:,}")
    depth = 0
    for bracket in _BRACKET.finditer(bare):
        depth += 1 if bracket.group() in "[{" else -1
        if depth > MAX_DEPTH:
            return _(
                "nested more than {n} deep, deeper than any catalogue (it needs 5); restore it "
                "from a backup"
            ).format(n=MAX_DEPTH)
    return None
