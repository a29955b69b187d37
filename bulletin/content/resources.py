"""Files the content names or the loader opens: the one file-origin policy, and article images."""

from __future__ import annotations

import base64
import io
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..errors import Problem
from .characters import forbidden_characters
from .pictures import MAX_IMAGE_BYTES, NOT_AN_IMAGE, picture_problem

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


def locate(
    url: str, roots: Sequence[Path], base: Path | None = None, place: str = "the issue folder"
) -> tuple[Path | None, str]:
    """The one file-origin policy: the file a URL names, or why it is refused.

    Only local files are used, never the network; relative names are taken from `base`;
    the file must lie inside one of `roots` (`place`, in messages) once symlinks are
    resolved. data: URLs name no file (None, "") and are checked by size where read.
    """
    try:
        parts = urlsplit(url)
    except ValueError:
        return None, "not a usable address; write the file's name"
    scheme = parts.scheme.lower()
    if scheme == "data":
        return None, ""
    if scheme not in ("", "file"):
        return None, (
            f"only files in {place} are used, nothing from the network; "
            f"save the image into {place} and refer to it by name"
        )
    raw = unquote(parts.path)
    if "\x00" in raw:
        return None, "the name contains a NUL character (%00); write the file's own name"
    if not Path(raw).is_absolute() and base is None:
        return None, "a relative address with nothing to be relative to"
    return locate_file(Path(raw) if Path(raw).is_absolute() else base / raw, roots, place)


def locate_file(
    candidate: Path, roots: Sequence[Path], place: str = "the issue folder", what: str = "file"
) -> tuple[Path | None, str]:
    """The policy for a file named by path: inside one of `roots` once links are resolved.

    Returns the resolved path, or None and why it is refused (`what` is "file" or "folder").
    """
    name = str(candidate)
    if "\x00" in name:
        return None, "the name contains a NUL character (%00); write the file's own name"
    if _byte_length(name) > MAX_PATH_BYTES or any(
        _byte_length(part) > MAX_NAME_BYTES for part in candidate.parts
    ):
        return None, f"a file name longer than {MAX_NAME_BYTES} bytes; give the file a shorter name"
    try:
        resolved = candidate.resolve()
    except (OSError, RuntimeError, ValueError):
        return None, "a link that cannot be followed (it may point to itself)"
    if any(resolved.is_relative_to(root.resolve()) for root in roots):
        return resolved, ""
    written = Path(os.path.abspath(candidate))
    if any(written.is_relative_to(os.path.abspath(root)) for root in roots):
        return None, (
            f"a link to a {what} outside {place}; copy the {what} itself into {place} "
            "instead of linking to it"
        )
    return None, f"outside {place}; expected a {what} inside it"


def _byte_length(name: str) -> int:
    return len(name.encode("utf-8", "surrogatepass"))


def resolve(url: str, issue_dir: Path) -> tuple[Path | None, str | None]:
    """The file an image URL names inside the issue folder, or why it is refused."""
    path, refused = locate(url, [issue_dir], issue_dir)
    return path, refused or None


def check_image(url: str, issue_dir: Path) -> str | None:
    """Why this image cannot be printed, or None when it can."""
    if url.lower().startswith("data:"):
        header, _, payload = url.partition(",")
        size = len(payload) * 3 // 4 if ";base64" in header else len(unquote(payload))
        if size > MAX_DATA_URL_BYTES:
            return f"inline data of {size} bytes; expected at most {MAX_DATA_URL_BYTES}"
        if ";base64" not in header:
            return None
        try:
            data = base64.b64decode(payload, validate=True)
        except ValueError:
            return "inline data is not valid base64"
        problem = picture_problem(io.BytesIO(data))
        return (
            "inline data is not a PNG, JPEG, GIF, WebP or SVG image"
            if problem == NOT_AN_IMAGE
            else problem
        )
    path, refused = resolve(url, issue_dir)
    if refused:
        return refused
    try:
        if not path.is_file():
            return "no such file in the issue folder"
        size = path.stat().st_size
        if size > MAX_IMAGE_BYTES:
            return (
                f"a file of {size // (1024 * 1024)} MB; expected at most "
                f"{MAX_IMAGE_BYTES // (1024 * 1024)} MB (save a smaller copy of the picture)"
            )
        with open(path, "rb") as handle:
            return picture_problem(handle)
    except OSError as error:
        return f"cannot read: {error.strerror or error}"


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
