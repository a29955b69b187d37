"""What an import made: the issue folder, the files written and what it noticed."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from bulletin.errors import Problem


@dataclass(frozen=True)
class ImportResult:
    """An import's outcome: `added` when its articles joined an issue already started."""

    issue_dir: Path
    source: Path
    articles: list[Path]
    written: list[Path]
    added: bool
    notices: list[Problem] = field(default_factory=list)
