"""Shared by the corpus: a case, and small builders of valid files to break one thing in."""

from __future__ import annotations

import io
import struct
import zlib
from dataclasses import dataclass, field

from tests.conftest import PUBLICATION


@dataclass(frozen=True)
class Case:
    name: str
    files: dict[str, str | bytes | None]
    expected: list[str]
    strict: bool = False
    links: dict[str, str] = field(default_factory=dict)  # name → target, relative to root
    check: str = "2024-08"  # the issue folder checked


def article(**fields: str) -> str:
    front = {"region": "上海", "title": "标题", "source": "上海证券报", "date": "2024-04-16"}
    front.update(fields)
    body = front.pop("body", "正文。")
    lines = "\n".join(f"{k}: {v}" for k, v in front.items())
    return f"---\n{lines}\n---\n{body}\n"


def png(width: int = 4, height: int = 4) -> bytes:
    """A valid PNG of that size; over 4 megapixels only its header is true (a bomb's case:
    the pixels are never meant to be decoded, and writing them would take the test's time)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    whole = width * height <= 4_000_000
    columns, rows = (width, height) if whole else (min(width, 64), min(height, 64))
    raw = b"".join(b"\x00" + b"\x10\x20\x30" * columns for _ in range(rows))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def jpeg(width: int = 32, height: int = 32) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 40, 40)).save(out, "JPEG", quality=90)
    return out.getvalue()


def issue(**changes: str) -> str:
    values = {"year": "2024", "number": "8", "cumulative": "282", "print_date": "2024-04-25"}
    values.update(changes)
    return "".join(f"{k}: {v}\n" for k, v in values.items())


def publication(key: str, line: str) -> str:
    return (
        "\n".join(line if row.startswith(key + ":") else row for row in PUBLICATION.splitlines())
        + "\n"
    )


ISSUE_FILE = "2024-08/issue.yaml"
ART = "2024-08/articles/02.md"
PUB = "publication.yaml"
NOT_EMPTY = "must not be empty"
