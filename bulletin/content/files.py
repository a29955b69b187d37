"""Content files as read: names shown as the user knows them, text within its budget."""

from __future__ import annotations

import os
import shlex
from pathlib import Path

from bulletin.errors import Problem
from bulletin.i18n import _

# Budget. A content file is text an editor typed: the longest article body allowed is
# 100,000 characters (about 300 KB).
MAX_FILE_BYTES = 10 * 1024 * 1024


def display_path(path: Path) -> str:
    """Path as the user knows it: relative to the working folder when inside it, links kept."""
    for shown, here in (
        (os.path.abspath(path), os.path.abspath(os.getcwd())),
        (str(Path(path).resolve()), str(Path.cwd().resolve())),
    ):
        try:
            return escaped_name(str(Path(shown).relative_to(here)))
        except ValueError:
            continue
    return escaped_name(str(path))


def escaped_name(name: str) -> str:
    """A file name as it can be printed: bytes that are not UTF-8 as \\xff escapes."""
    if name.isprintable() or not any("\udc80" <= char <= "\udcff" for char in name):
        return name
    try:
        return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:  # a lone surrogate that stands for no byte
        return name.encode("utf-8", "backslashreplace").decode("utf-8")


def name_not_utf8(path: Path) -> bool:
    """Whether a file's own name holds bytes that are not UTF-8 text."""
    return any("\udc80" <= char <= "\udcff" for char in path.name)


def size_in_words(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB".replace(".0 MB", " MB")
    if size >= 1024:
        return f"{size // 1024} KB"
    return _("{n} bytes").format(n=size)


def read_text(path: Path, problems: list[Problem], limit: int = MAX_FILE_BYTES) -> str | None:
    """UTF-8 text with CRLF normalised; an unreadable, oversized or non-UTF-8 file is a problem."""
    shown = display_path(path)
    try:
        with open(path, "rb") as handle:
            data = handle.read(limit + 1)
    except (OSError, ValueError) as error:
        reason = getattr(error, "strerror", None) or _("not a usable file name")
        problems.append(
            Problem(shown, None, "file", _("cannot read: {reason}").format(reason=reason))
        )
        return None
    if len(data) > limit:
        problems.append(
            Problem(
                shown,
                None,
                "file",
                _(
                    "larger than {size}; a content file is far smaller (is this the right file?)"
                ).format(size=size_in_words(limit)),
            )
        )
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        problems.append(Problem(shown, line, "file", _not_utf8(path, data, error.start)))
        return None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        problems.append(Problem(shown, line, "file", _("binary data; expected text")))
        return None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _not_utf8(path: Path, data: bytes, start: int) -> str:
    """What a file that is not UTF-8 is, and how to save or convert it."""
    byte = f"0x{data[start]:02X}"
    try:
        chinese = any("\u4e00" <= char <= "\u9fff" for char in data.decode("gb18030"))
    except UnicodeDecodeError:
        chinese = False
    if not chinese:
        return _("not UTF-8 text (byte {byte}); save the file as UTF-8").format(byte=byte)
    name = shlex.quote(escaped_name(path.name))
    temporary = shlex.quote(escaped_name(path.stem) + ".utf8")
    return _(
        "GBK (GB 18030) text, not UTF-8 (byte {byte}); save it again as UTF-8 (Notepad: "
        "Save as, Encoding: UTF-8), or convert it in its folder: {command}"
    ).format(
        byte=byte,
        command=f"iconv -f GB18030 -t UTF-8 {name} > {temporary} && mv {temporary} {name}",
    )
