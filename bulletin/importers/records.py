"""What every importer reads: an issue's articles as read, with notices, before any is written."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..content.models import Issue
from ..errors import Problem


@dataclass
class ImportedArticle:
    """One article as read, in a back issue's text (`line`: where its title stands) or in a
    Word draft (`where`: its title quoted, as notices name it; `notes`: its footnotes).

    `blocks` are (kind, value) in reading order: "p" and "h" hold plain text from a back
    issue, Markdown from a Word draft (its formatting kept); a draft's also hold "table",
    "caption" (a table's title) and "figure" (a Figure, saved under its final name only when
    the article's number in the issue is known)."""

    region: str
    title: str
    source: str | None = None  # a draft's article has none until its source paragraph is read
    date: dt.date | None = None  # None: the source gives no date, and none is printed
    blocks: list[tuple[str, object]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    line: int | None = None
    where: str = ""


@dataclass
class ImportedIssue:
    """Everything read from one file: its articles and notices (joins and guesses to review);
    from a back issue also its `issue` record and the values of its publication.

    A Word draft has neither: its articles join an issue already started. `publication` stays
    the values as read, not a Publication: the text lacks its two addresses."""

    articles: list[ImportedArticle]
    notices: list[Problem] = field(default_factory=list)
    issue: Issue | None = None
    publication: dict | None = None
