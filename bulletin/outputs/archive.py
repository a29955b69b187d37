"""The archive: write-once PDF/A-3b copies carrying their sources, and a catalogue of them."""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import hashlib
import io
import json
import os
import zipfile
from dataclasses import dataclass
from pathlib import Path

from .. import __version__
from ..atomic import write_atomically
from ..content.loader import LoadedIssue, display_path
from ..errors import BuildError
from .base import BuildResult, PdfKind, Request

CATALOGUE = "catalogue.json"
CATALOGUE_FORMAT = 1
LOCK = ".catalogue.lock"


class ArchiveRefused(BuildError):
    """The issue is archived already with other bytes, and replacing was not asked for."""


def source_zip(loaded: LoadedIssue) -> bytes:
    """The files the issue was made from, zipped the same way every time.

    Names are relative to the content folder, in sorted order, with the print date as
    every file's date, so that the archive PDF that carries them is reproducible.
    """
    root = loaded.issue_dir.resolve().parent
    stamp = loaded.content.issue.print_date.timetuple()[:6]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for source in sorted(loaded.sources, key=lambda s: str(s.path)):
            info = zipfile.ZipInfo(str(source.path.resolve().relative_to(root)), stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, source.path.read_bytes())
    return buffer.getvalue()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass
class ArchiveResult:
    path: Path
    status: str  # "archived", "unchanged" or "replaced"
    kept: Path | None = None


@contextlib.contextmanager
def _locked(folder: Path):
    """One archiver at a time per archive folder: the catalogue is read, changed, rewritten."""
    with open(folder / LOCK, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def read_catalogue(folder: Path) -> dict:
    path = folder / CATALOGUE
    if not path.is_file():
        return {"format": CATALOGUE_FORMAT, "issues": []}
    try:
        catalogue = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, OSError) as error:
        raise BuildError(display_path(path), "catalogue", f"unreadable ({error})") from None
    if not isinstance(catalogue, dict) or not isinstance(catalogue.get("issues"), list):
        raise BuildError(display_path(path), "catalogue", "expected an object with 'issues'")
    return catalogue


def store(
    folder: Path, name: str, data: bytes, entry: dict, *, replace: bool = False
) -> ArchiveResult:
    """Put `data` in the archive as `name` once; record it in the catalogue.

    The same bytes again change nothing. Other bytes are refused unless `replace`, and
    then the copy already there is kept beside it under a name carrying its hash.
    """
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise BuildError(folder, "archive", f"cannot create: {error.strerror}") from None
    target = folder / name
    digest = sha256(data)
    with _locked(folder):
        catalogue = read_catalogue(folder)
        kept = None
        status = "archived"
        if target.exists():
            existing = sha256(target.read_bytes())
            if existing == digest:
                return ArchiveResult(target, "unchanged")
            if not replace:
                raise ArchiveRefused(
                    display_path(target),
                    "archive",
                    "already archived with other content "
                    f"(sha256 {existing[:12]}…, new {digest[:12]}…); archives are write-once, "
                    "use --replace to archive the new file and keep the old one beside it",
                )
            kept = target.with_name(f"{target.stem}.replaced-{existing[:12]}{target.suffix}")
            # A second name for the old copy first: the target never goes missing.
            os.link(target, kept)
            status = "replaced"
        write_atomically(target, data)
        record = {**entry, "file": name, "bytes": len(data), "sha256": digest}
        previous = [i for i in catalogue["issues"] if i.get("file") == name]
        others = [i for i in catalogue["issues"] if i.get("file") != name]
        if kept is not None:
            history = previous[0].get("replaced", []) if previous else []
            record["replaced"] = [
                *history,
                {"file": kept.name, "sha256": existing, "replaced_on": dt.date.today().isoformat()},
            ]
        catalogue["issues"] = sorted([*others, record], key=lambda i: i.get("cumulative", 0))
        catalogue["format"] = CATALOGUE_FORMAT
        text = json.dumps(catalogue, ensure_ascii=False, indent=2) + "\n"
        write_atomically(folder / CATALOGUE, text)
    return ArchiveResult(target, status, kept)


def archive_entry(loaded: LoadedIssue, pages: int) -> dict:
    """The catalogue's record of an issue, but for its file's size and hash."""
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
        "archived_on": dt.date.today().isoformat(),
        "tool": f"bulletin {__version__} (WeasyPrint {engine_version})",
    }


class ArchivePdf(PdfKind):
    """PDF/A-3b carrying its sources, stored write-once in an archive folder."""

    name = "archive"
    render_mode = "archive"

    def pdf_data(self, document, request, identity: str) -> bytes:
        from ..engine import typeset

        loaded = request.loaded
        sources = typeset.EmbeddedFile(
            name=f"{request.stem}-source.zip",
            data=source_zip(loaded),
            description="Content records this issue was typeset from",
            date=dt.datetime.combine(loaded.content.issue.print_date, dt.time()),
        )
        return typeset.pdf_bytes(
            document, variant="pdf/a-3b", attachments=(sources,), identity=identity
        )

    def store(self, data: bytes, pages: int, request: Request) -> BuildResult:
        if request.output is None:
            raise BuildError(request.stem, "archive", "no archive folder given")
        entry = archive_entry(request.loaded, pages)
        name = f"{request.stem}.pdf"
        stored = store(request.output, name, data, entry, replace=request.replace)
        request.timer.lap("write")
        return request.result(stored.path, pages, status=stored.status, kept=stored.kept)


KIND = ArchivePdf()
