"""The back-issue importer: a plain-text issue becomes a new issue folder."""

from __future__ import annotations

from pathlib import Path

from bulletin.content.loader import display_path, read_text
from bulletin.errors import ContentError, Problem
from bulletin.i18n import _
from bulletin.importers.result import ImportResult
from bulletin.importers.text import import_text
from bulletin.importers.writer import write_issue


def import_file(
    source: Path,
    out: Path,
    *,
    publication: Path | None = None,
    replace: bool = False,
    include_hidden: bool = False,
) -> ImportResult:
    """Write issue.yaml and its articles into `out` (and the publication file at
    `publication`, default beside `out`, when there is none yet). Plain text hides nothing:
    `include_hidden` is for Word drafts."""
    problems: list[Problem] = []
    text = read_text(source, problems) if source.is_file() else None
    if text is None:
        if not problems:
            problems.append(Problem(display_path(source), None, "file", _("no such file")))
        raise ContentError(problems)
    imported = import_text(text, source_name=display_path(source))
    target = publication or out.parent / "publication.yaml"
    written = write_issue(imported, out, publication_path=target)
    articles = [path for path in written if path.parent.name == "articles" and path.suffix == ".md"]
    return ImportResult(out, source, articles, written, added=False, notices=list(imported.notices))
