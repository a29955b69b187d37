"""The archive: write-once PDF/A-3a copies carrying their sources, and their fixity check."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import zipfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from bulletin import counts
from bulletin.content.loader import LoadedIssue, display_path
from bulletin.errors import BuildError
from bulletin.i18n import N_, _
from bulletin.outputs.archive_files import printable, shown
from bulletin.outputs.base import BuildResult, PdfKind, Request
from bulletin.outputs.catalogue import (
    ArchiveRefused,
    ArchiveResult,
    file_sha256,
    sha256,
    store,
    withdraw,
)
from bulletin.outputs.fixity import Fixity, verify
from bulletin.outputs.office import page_labels
from bulletin.version import __version__

__all__ = [
    "ArchiveRefused",
    "ArchiveResult",
    "Fixity",
    "sha256",
    "source_zip",
    "store",
    "verify",
    "withdraw",
]
MANIFEST = "manifest.json"
MANIFEST_FORMAT = 1


# ---------------------------------------------------------------- what the archive carries


def article_images(loaded: LoadedIssue) -> list[Path]:
    """The image files the articles show, each once, found as the renderer finds them."""
    from bulletin.content.resources import image_references, resolve
    from bulletin.text.markdown import markdown_parser

    found: set[Path] = set()
    for article, source in zip(loaded.content.articles, loaded.article_sources, strict=True):
        if "![" not in article.body:  # no image, no parsing
            continue
        body_line = source.lines.get(("body",), source.first_line)
        for reference in image_references(markdown_parser().parse(article.body), body_line):
            path, refused = resolve(reference.url, loaded.issue_dir)
            if path is None and not refused:
                continue  # a data: URL travels inside its article
            if path is None or not path.is_file():
                message = f"{reference.url}: {refused or _('no such file in the issue folder')}"
                raise BuildError(display_path(source.path), "image", message, line=reference.line)
            found.add(path)
    return sorted(found)


@cache
def _hash_once(path: str, size: int, mtime: int) -> str:
    return file_sha256(Path(path))


def _file_hash(path: Path) -> str:
    """SHA-256 of a file that seldom changes (fonts, layouts): read once per process."""
    try:
        status = path.stat()
        return _hash_once(str(path), status.st_size, status.st_mtime_ns)
    except OSError as error:
        reason = _("cannot read: {reason}").format(reason=error.strerror)
        raise BuildError(display_path(path), "archive", reason) from None


def layout_files(folder: Path) -> dict[str, Path]:
    """The files of a layout folder by their names inside it, leaving out caches."""
    inside = folder.resolve()
    return {
        path.relative_to(folder).as_posix(): path
        for path in sorted(folder.rglob("*"))
        if path.is_file()
        and path.resolve().is_relative_to(inside)  # a link out is no file of the layout
        and not any(p.startswith(".") or p == "__pycache__" for p in path.relative_to(folder).parts)
    }


def _zip_name(path: Path, issue_dir: Path) -> str:
    """A file's name in the source zip: relative to the folder holding the issue folder."""
    resolved, logical = issue_dir.resolve().parent, Path(os.path.abspath(issue_dir)).parent
    for candidate, base in ((path.resolve(), resolved), (Path(os.path.abspath(path)), logical)):
        if candidate.is_relative_to(base):
            return candidate.relative_to(base).as_posix()
    raise BuildError(
        display_path(path),
        "archive",
        _("outside the content folder; cannot carry it (copy it into the content folder)"),
    )


def manifest(loaded: LoadedIssue, layout_dir: Path, files: dict[str, bytes]) -> dict:
    """What rebuilding the issue needs besides the files: tool, layout and font versions."""
    from weasyprint import __version__ as engine_version

    from bulletin.data import FONT_FILES, fonts_dir

    issue = loaded.content.issue
    layout = layout_files(layout_dir)
    return {
        "format": MANIFEST_FORMAT,
        "tool": f"bulletin {__version__}",
        "version": __version__,
        "engine": f"WeasyPrint {engine_version}",
        "issue": f"{issue.year}-{issue.number:02d}",
        "layout": {
            "name": layout_dir.name,
            "sha256": {name: _file_hash(path) for name, path in layout.items()},
        },
        "fonts": {"sha256": {name: _file_hash(fonts_dir() / name) for name in FONT_FILES}},
        "files": {"sha256": {name: sha256(data) for name, data in sorted(files.items())}},
    }


def source_zip(loaded: LoadedIssue, layout_dir: Path) -> bytes:
    """Everything the issue was made from, zipped the same way every time.

    The content records and the images the articles show, named relative to the folder
    holding the issue folder, and manifest.json (tool version, layout name, SHA-256 of the
    layout's files and of the fonts). Sorted names and the print date as every file's date
    keep the archive PDF that carries them reproducible. A user's own layout inside the
    content folder travels too.
    """
    paths = [source.path for source in loaded.sources] + article_images(loaded)
    if layout_dir.resolve().is_relative_to(loaded.issue_dir.resolve().parent):
        paths += layout_files(layout_dir).values()
    files: dict[str, bytes] = {}
    for path in paths:
        try:
            files[_zip_name(path, loaded.issue_dir)] = path.read_bytes()
        except OSError as error:
            raise BuildError(
                display_path(path),
                "archive",
                _("cannot read: {reason}").format(reason=error.strerror),
            ) from None
    text = json.dumps(manifest(loaded, layout_dir, files), ensure_ascii=False, indent=2) + "\n"
    files[MANIFEST] = text.encode("utf-8")
    stamp = loaded.content.issue.print_date.timetuple()[:6]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, files[name])
    return buffer.getvalue()


def archive_entry(loaded: LoadedIssue, pages: int) -> dict:
    """The catalogue's record of an issue, but for its file's size, hash, version and dates."""
    from weasyprint import __version__ as engine_version

    content = loaded.content
    issue = content.issue
    return {
        "issue": f"{issue.year}-{issue.number:02d}",
        "title": f"{content.publication.name} {issue.year} 年第 {issue.number} 期",
        "year": issue.year,
        "number": issue.number,
        "cumulative": issue.cumulative,
        "print_date": issue.print_date.isoformat(),
        "pages": pages,
        "tool": f"bulletin {__version__} (WeasyPrint {engine_version})",
    }


# What archiving one issue did, by the catalogue's status.
ARCHIVE_NOTES = {
    "archived": N_("archived"),
    "unchanged": N_("already archived, identical: nothing to do"),
    "restored": N_("restored the catalogued copy that was missing (identical bytes)"),
    "recorded": N_("archived (the identical copy already in the folder is now catalogued)"),
    "completed": N_("archived (completed the run that was interrupted)"),
    "withdrawn": N_("withdrawn"),
    "written": N_("written"),
}


@dataclass(frozen=True)
class ArchiveOptions:
    """The archive copy's own options: store it as a new version where a different copy is
    catalogued, and the editor's reason for that correction (required with `replace`)."""

    replace: bool = False
    reason: str | None = None


def reason_refused(replace: bool, reason: str | None) -> str | None:
    """Why a correction cannot be archived as asked: --replace needs a reason, and only it."""
    if replace and not (reason or "").strip():
        return _(
            '--replace needs --reason "…": say why the archived copy is corrected; the catalogue '
            "keeps the reason with the new version"
        )
    if reason is not None and not replace:
        return _("--reason goes with --replace (a correction of an archived copy)")
    return None


class ArchivePdf(PdfKind):
    """PDF/A-3a carrying its sources, stored write-once in an archive folder."""

    name = "archive"
    label = N_("archive copy")
    help = N_("PDF/A-3a carrying its sources, stored write-once in an archive folder.")
    render_mode = "archive"
    options = ArchiveOptions

    def note(self, result: BuildResult) -> str:
        """What archiving did, in words."""
        if result.status == "replaced":
            if result.kept:
                kept = printable(str(result.kept))
                return _("replaced; the previous copy is kept as {file}").format(file=kept)
            return _("replaced; the previous copy was missing, the catalogue keeps its record")
        note = ARCHIVE_NOTES.get(result.status)
        return _(note) if note else result.status

    def result_line(self, result: BuildResult) -> str:
        return _("{output}: {pages}, {note}").format(
            output=printable(str(result.output)),
            pages=counts.pages(result.pages),
            note=self.note(result),
        )

    def published_line(self, result: BuildResult) -> str:
        return _("{output}: archive copy, {note}").format(
            output=printable(str(result.output)), note=self.note(result)
        )

    def pdf_data(self, document, request, identity: str) -> bytes:
        from bulletin.engine import typeset

        sources = typeset.EmbeddedFile(
            name=f"{request.stem}-source.zip",
            data=source_zip(request.loaded, request.rendered.layout_dir),
            description="Content records, images and manifest this issue was typeset from",
            date=dt.datetime.combine(request.issue.print_date, dt.time()),
        )
        # PDF/A-3a: tagged (structure, reading order, alt texts), labelled like the office PDF.
        return typeset.pdf_bytes(
            document,
            variant="pdf/a-3a",
            attachments=(sources,),
            identity=identity,
            tagged=True,
            page_labels=page_labels(document.page_names),
        )

    def store(self, data: bytes, pages: int, request: Request) -> BuildResult:
        if request.output is None:
            raise BuildError(
                request.stem, "archive", _("no archive folder given; name one with --to")
            )
        entry = archive_entry(request.loaded, pages)
        name = f"{request.stem}.pdf"
        options = request.options or ArchiveOptions()
        if refused := reason_refused(options.replace, options.reason):
            raise BuildError(shown(request.output), "archive", refused)
        reason = options.reason.strip() if options.reason else None
        stored = store(request.output, name, data, entry, replace=options.replace, reason=reason)
        request.warnings.extend(str(note) for note in stored.notes)
        request.timer.lap("write")
        return request.result(stored.path, pages, self.name, status=stored.status, kept=stored.kept)


KIND = ArchivePdf()
