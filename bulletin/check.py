"""Validation without typesetting: the records, then the characters the fonts cannot print."""

from __future__ import annotations

from pathlib import Path

from .errors import ContentError, Problem
from .fonts import uncovered_characters
from .issues import numbering_problems
from .loader import LoadedIssue, display_path, load_issue


def check_issue(issue_dir: Path, *, strict: bool = False) -> tuple[LoadedIssue, list[Problem]]:
    """Validate an issue; characters the fonts lack are warnings, or errors when strict."""
    numbering = numbering_problems(issue_dir) if Path(issue_dir).is_dir() else []
    try:
        loaded = load_issue(issue_dir)
    except ContentError as error:
        raise ContentError([*error.problems, *numbering]) from None
    if numbering:
        raise ContentError(numbering)
    missing = uncovered_characters((display_path(s.path), s.text) for s in loaded.sources)
    if strict and missing:
        raise ContentError(missing)
    return loaded, missing
