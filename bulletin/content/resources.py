"""Files an article refers to (images): where they may come from, and whether they are sound."""

from __future__ import annotations

import base64
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..errors import Problem

# An inline image above this size belongs in the issue folder, where it is reviewed and kept.
MAX_DATA_URL_BYTES = 2 * 1024 * 1024
IMAGE_SIGNATURES = (
    b"\x89PNG\r\n\x1a\n",
    b"\xff\xd8\xff",
    b"GIF87a",
    b"GIF89a",
    b"RIFF",  # WebP
)


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
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "data":
        return None, ""
    if scheme not in ("", "file"):
        return None, (
            f"only files in {place} are used, nothing from the network; "
            f"save the image into {place} and refer to it by name"
        )
    raw = unquote(parts.path)
    if not Path(raw).is_absolute() and base is None:
        return None, "a relative address with nothing to be relative to"
    candidate = Path(raw) if Path(raw).is_absolute() else base / raw
    resolved = candidate.resolve()
    if not any(resolved.is_relative_to(root.resolve()) for root in roots):
        return None, f"outside {place}; expected a file inside it"
    return resolved, ""


def resolve(url: str, issue_dir: Path) -> tuple[Path | None, str | None]:
    """The file an image URL names inside the issue folder, or why it is refused."""
    path, refused = locate(url, [issue_dir], issue_dir)
    return path, refused or None


def _looks_like_image(data: bytes) -> bool:
    head = data[:512].lstrip()
    return data.startswith(IMAGE_SIGNATURES) or head.startswith((b"<svg", b"<?xml"))


def check_image(url: str, issue_dir: Path) -> str | None:
    """Why this image cannot be printed, or None when it can."""
    if urlsplit(url).scheme.lower() == "data":
        header, _, payload = url.partition(",")
        size = len(payload) * 3 // 4 if ";base64" in header else len(unquote(payload))
        if size > MAX_DATA_URL_BYTES:
            return f"inline data of {size} bytes; expected at most {MAX_DATA_URL_BYTES}"
        try:
            data = base64.b64decode(payload, validate=True) if ";base64" in header else b""
        except ValueError:
            return "inline data is not valid base64"
        if ";base64" in header and not _looks_like_image(data):
            return "inline data is not a PNG, JPEG, GIF, WebP or SVG image"
        return None
    path, refused = resolve(url, issue_dir)
    if refused:
        return refused
    if not path.is_file():
        return "no such file in the issue folder"
    with open(path, "rb") as handle:
        head = handle.read(512)
    if not _looks_like_image(head):
        return "not a PNG, JPEG, GIF, WebP or SVG image (corrupt, or another kind of file)"
    return None


def image_problems(article_path: str, tokens, body_line: int, issue_dir: Path) -> list[Problem]:
    problems = []
    for reference in image_references(tokens, body_line):
        if reason := check_image(reference.url, issue_dir):
            shown = reference.url if len(reference.url) < 80 else reference.url[:77] + "…"
            problems.append(Problem(article_path, reference.line, "image", f"{shown}: {reason}"))
    return problems
