"""Importers: plain-text back issues and Word drafts into content records, through one writer.

Like Pelican's readers, each importer is registered here by what it reads (file suffixes,
and the bytes a file of its kind starts with); `importer_for` picks one for a file.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType


@dataclass(frozen=True)
class Importer:
    """What an importer reads, and the module whose `import_file` reads it."""

    name: str
    suffixes: tuple[str, ...]
    signature: bytes | None  # how a file of this kind starts, for names with no known suffix
    module: str

    def load(self) -> ModuleType:
        return importlib.import_module(f"{__name__}.{self.module}")


IMPORTERS = (
    # A Word draft (a zip package): adds its articles to an issue started with `new`.
    Importer("docx", (".docx",), b"PK\x03\x04", "docx_source"),
    # A back issue's plain text (UTF-8, GB 18030, …): becomes a new issue folder.
    Importer("text", (".txt", ".text"), None, "text_source"),
)
FALLBACK = "text"


def importer_for(path: Path) -> Importer:
    """The importer of a file: by its suffix, else by its first bytes, else plain text."""
    suffix = Path(path).suffix.lower()
    for importer in IMPORTERS:
        if suffix in importer.suffixes:
            return importer
    try:
        with open(path, "rb") as stream:
            head = stream.read(8)
    except OSError:
        head = b""
    for importer in IMPORTERS:
        if importer.signature is not None and head.startswith(importer.signature):
            return importer
    return next(importer for importer in IMPORTERS if importer.name == FALLBACK)
