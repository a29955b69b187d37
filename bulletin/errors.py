"""The one exception hierarchy: every failure the CLI reports is a BulletinError."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One located problem: where it is, which field, and what was expected."""

    path: Path | str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = str(self.path)
        if self.line is not None:
            where = f"{where}:{self.line}"
        return f"{where}: {self.field}: {self.message}"


class BulletinError(Exception):
    """Base of every error raised by the library; the CLI prints it and exits 1."""

    exit_code = 1

    def lines(self) -> list[str]:
        return [str(self)]


class ContentError(BulletinError):
    """Content records are invalid; carries every problem found, not just the first."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    def lines(self) -> list[str]:
        return [str(p) for p in self.problems]


class ImportFormatError(ContentError):
    """A plain-text back issue could not be turned into content records."""


class LayoutError(BulletinError):
    """A layout folder is missing, incomplete or its template fails."""


class BuildError(BulletinError):
    """Typesetting or writing an output failed."""
