"""Start things: the next issue of a publication, or a new publication with its first issue."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bulletin.content.numbering import EXAMPLE_ARTICLE, start_next_issue
from bulletin.content.starter import init_publication


@dataclass(frozen=True)
class Started:
    """What was created: the issue folder, its example article and (for a publication) the
    publication file."""

    issue_dir: Path
    example: Path
    publication: Path | None = None


def new_issue(content_dir: Path) -> Started:
    """The issue after the latest one: numbers and print date follow it."""
    folder = start_next_issue(Path(content_dir))
    return Started(folder, folder / "articles" / EXAMPLE_ARTICLE)


def new_publication(folder: Path) -> Started:
    """A commented publication.yaml and a first issue that builds."""
    publication, issue_dir = init_publication(Path(folder))
    return Started(issue_dir, issue_dir / "articles" / "01.md", publication)
