"""The Word-draft importer: a .docx's articles (and pictures) added to a started issue."""

from __future__ import annotations

from pathlib import Path

from bulletin.content.loader import display_path
from bulletin.content.resolution import articles_resolution
from bulletin.errors import ContentError, Problem
from bulletin.i18n import _
from bulletin.importers.adding import add_draft
from bulletin.importers.docx import read_draft
from bulletin.importers.result import ImportResult


def import_file(
    source: Path,
    out: Path,
    *,
    publication: Path | None = None,
    replace: bool = False,
    include_hidden: bool = False,
) -> ImportResult:
    """Add the draft's articles after the issue's last article (or, with `replace`, in
    place of what the same draft gave before); pictures under 300 ppi are noticed. Hidden
    text is imported only with `include_hidden`."""
    if not source.is_file():
        raise ContentError([Problem(display_path(source), None, "file", _("no such file"))])
    draft = read_draft(source, include_hidden=include_hidden)
    written = add_draft(draft, out, source, replace=replace)
    notices = [*draft.notices, *articles_resolution(written, out)]
    return ImportResult(out, source, written, written, added=True, notices=notices)
