"""The one exception hierarchy and the one message form: path:line: field: message."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePath


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
    """Base of every error raised by the library; the CLI prints its lines and exits 1.

    Every error carries located problems: `BuildError(path, field, message)` for one, or
    `ContentError([Problem, …])` for all that were found.
    """

    exit_code = 1

    def __init__(self, path: Path | str, field: str, message: str, *, line: int | None = None):
        self._set([Problem(path, line, field, message)])

    def _set(self, problems: Iterable[Problem]) -> None:
        self.problems = list(problems)
        Exception.__init__(self, "\n".join(str(p) for p in self.problems))

    def lines(self) -> list[str]:
        return [str(p) for p in self.problems]


class ContentError(BulletinError):
    """Content records are invalid; carries every problem found, not just the first, listed
    in file and line order (a file's own problems before those on its lines)."""

    def __init__(self, problems: Iterable[Problem]):
        self._set(sorted(problems, key=reading_order))


def reading_order(problem: Problem) -> tuple[tuple[str, ...], int]:
    """Sorts problems by file (folder by folder), then line; ties keep the order found."""
    return PurePath(str(problem.path)).parts, problem.line or 0


class ImportFormatError(ContentError):
    """A plain-text back issue or a Word draft could not be turned into content records."""


class LayoutError(BulletinError):
    """A layout folder is missing, incomplete or its template fails."""


class BuildError(BulletinError):
    """Typesetting or writing an output failed."""


class Stopped(BulletinError):
    """A run stopped by a signal (Ctrl-C, SIGTERM): nothing to say, its exit code 128 + N."""

    def __init__(self, number: int):
        self.number = number
        self.exit_code = 128 + number
        self._set([])
