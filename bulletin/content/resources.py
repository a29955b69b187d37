"""Files the content names or the loader opens: the one file-origin policy, and article images."""

from __future__ import annotations

import base64
import io
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from bulletin.content.characters import forbidden_characters
from bulletin.content.pictures import MAX_IMAGE_BYTES, NOT_AN_IMAGE, picture_problem
from bulletin.errors import Problem
from bulletin.i18n import N_, _

# File names: the limits of Linux file systems (NAME_MAX, PATH_MAX).
MAX_NAME_BYTES = 255
MAX_PATH_BYTES = 4095
# An inline image above this size belongs in the issue folder, where it is reviewed and kept.
MAX_DATA_URL_BYTES = 2 * 1024 * 1024


@dataclass(frozen=True)
class Reference:
    """An image in an article: what was written, and the line it is on."""

    url: str
    line: int


def image_references(tokens, first_line: int) -> list[Reference]:
    """Every image of a parsed Markdown body, with its line in the article file."""
    found = []
    for block in tokens:
        for child in block.children or []:
            if child.type == "image":
                line = first_line + (block.map[0] if block.map else 0)
                found.append(Reference(child.attrGet("src") or "", line))
    return found


THE_ISSUE = N_("the issue folder")
NUL_NAME = N_("the name contains a NUL character (%00); write the file's own name")


def locate(
    url: str, roots: Sequence[Path], base: Path | None = None, place: str = THE_ISSUE
) -> tuple[Path | None, str]:
    """The one file-origin policy: the file a URL names, or why it is refused.

    Only local files are used, never the network; relative names are taken from `base`;
    the file must lie inside one of `roots` (`place`, a message marked with N_, names them)
    once symlinks are resolved.
    data: URLs name no file (None, "") and are checked by size where read.
    """
    try:
        parts = urlsplit(url)
    except ValueError:
        return None, _("not a usable address; write the file's name")
    scheme = parts.scheme.lower()
    if scheme == "data":
        return None, ""
    if scheme not in ("", "file"):
        return None, _(
            "only files in {place} are used, nothing from the network; save the image into "
            "{place} and refer to it by name"
        ).format(place=_(place))
    raw = unquote(parts.path)
    if "\x00" in raw:
        return None, _(NUL_NAME)
    if not Path(raw).is_absolute() and base is None:
        return None, _("a relative address with nothing to be relative to; write the file's name")
    return locate_file(Path(raw) if Path(raw).is_absolute() else base / raw, roots, place)


def locate_file(
    candidate: Path, roots: Sequence[Path], place: str = THE_ISSUE, what: str = "file"
) -> tuple[Path | None, str]:
    """The policy for a file named by path: inside one of `roots` once links are resolved.

    Returns the resolved path, or None and why it is refused (`what` is "file" or "folder").
    """
    name = str(candidate)
    if "\x00" in name:
        return None, _(NUL_NAME)
    if _byte_length(name) > MAX_PATH_BYTES or any(
        _byte_length(part) > MAX_NAME_BYTES for part in candidate.parts
    ):
        return None, _(
            "a file name longer than {limit} bytes; give the file a shorter name"
        ).format(limit=MAX_NAME_BYTES)
    try:
        resolved = candidate.resolve()
    except (OSError, RuntimeError, ValueError):
        return None, _("a link that cannot be followed (it may point to itself); remove it")
    if any(resolved.is_relative_to(root.resolve()) for root in roots):
        return resolved, ""
    written = Path(os.path.abspath(candidate))
    folder = what == "folder"
    if any(written.is_relative_to(os.path.abspath(root)) for root in roots):
        if folder:
            message = _(
                "a link to a folder outside {place}; copy the folder itself into {place} "
                "instead of linking to it"
            )
        else:
            message = _(
                "a link to a file outside {place}; copy the file itself into {place} instead "
                "of linking to it"
            )
        return None, message.format(place=_(place))
    if folder:
        return None, _("outside {place}; expected a folder inside it").format(place=_(place))
    return None, _("outside {place}; expected a file inside it").format(place=_(place))


def _byte_length(name: str) -> int:
    return len(name.encode("utf-8", "surrogatepass"))


def resolve(url: str, issue_dir: Path) -> tuple[Path | None, str | None]:
    """The file an image URL names inside the issue folder, or why it is refused."""
    path, refused = locate(url, [issue_dir], issue_dir)
    return path, refused or None


def check_image(url: str, issue_dir: Path) -> str | None:
    """Why this image cannot be printed, or None when it can."""
    if url.lower().startswith("data:"):
        header, _comma, payload = url.partition(",")
        size = len(payload) * 3 // 4 if ";base64" in header else len(unquote(payload))
        if size > MAX_DATA_URL_BYTES:
            return _(
                "inline data of {size} bytes; expected at most {limit} (save the picture into "
                "the issue folder instead)"
            ).format(size=size, limit=MAX_DATA_URL_BYTES)
        if ";base64" not in header:
            return None
        try:
            data = base64.b64decode(payload, validate=True)
        except ValueError:
            return _("inline data is not valid base64; save the picture into the issue folder")
        problem = picture_problem(io.BytesIO(data))
        return (
            _("inline data is not a PNG, JPEG, GIF, WebP or SVG image")
            if problem == _(NOT_AN_IMAGE)
            else problem
        )
    path, refused = resolve(url, issue_dir)
    if refused:
        return refused
    try:
        if not path.is_file():
            return _("no such file in the issue folder")
        size = path.stat().st_size
        if size > MAX_IMAGE_BYTES:
            return _(
                "a file of {size} MB; expected at most {limit} MB (save a smaller copy of the "
                "picture)"
            ).format(size=size // (1024 * 1024), limit=MAX_IMAGE_BYTES // (1024 * 1024))
        with open(path, "rb") as handle:
            return picture_problem(handle)
    except OSError as error:
        return _("cannot read: {reason}").format(reason=error.strerror or error)


def image_problems(article_path: str, tokens, body_line: int, issue_dir: Path) -> list[Problem]:
    problems = []
    for reference in image_references(tokens, body_line):
        if reason := check_image(reference.url, issue_dir):
            shown = as_written(reference.url)
            shown = shown if len(shown) < 80 else shown[:77] + "…"
            problems.append(Problem(article_path, reference.line, "image", f"{shown}: {reason}"))
    return problems


def as_written(url: str) -> str:
    """An address as the editor typed it: Markdown stores 图表.png as %E5%9B%BE%E8%A1%A8.png."""
    if url.lower().startswith("data:"):
        return url
    typed = unquote(url)
    return url if any(forbidden_characters(typed)) else typed
