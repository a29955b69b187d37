"""Each issue's office PDF in the site: supplied, kept while its inputs are unchanged, or built."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bulletin.content.loader import display_path, find_publication_file
from bulletin.errors import BuildError
from bulletin.i18n import _
from bulletin.render.layouts import find_layout
from bulletin.site.pages import SITE_TEMPLATES
from bulletin.site.records import Site, SiteIssue, SitePdf
from bulletin.site.writer import SiteWriter
from bulletin.version import __version__

PDF_KIND = "office"
# Built PDFs wait here, inside the new site, until they are moved to their issue's folder.
WORK_FOLDER = ".pdf-build"
PDF_SIGNATURE = b"%PDF-"


@dataclass
class PdfReport:
    """Where each PDF of the site came from; `inputs` is remembered for the next build."""

    built: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    supplied: list[str] = field(default_factory=list)
    inputs: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def pdf_inputs(issue: SiteIssue) -> str:
    """A hash of everything the issue's office PDF is made from: the program's version, the
    publication file, every file of the issue folder and of its layout (not the site's
    templates). While it is the same, the PDF in the site is up to date."""
    issue_dir = issue.issue_dir
    publication = find_publication_file(issue_dir)
    layout = find_layout(issue.content.publication.layout, publication.parent)
    digest = hashlib.sha256(f"bulletin {__version__} {PDF_KIND}\n".encode())
    files = [("publication", publication)]
    files += [(f"issue/{p.relative_to(issue_dir)}", p) for p in inputs_in(issue_dir)]
    files += [(f"layout/{p.relative_to(layout)}", p) for p in inputs_in(layout, SITE_TEMPLATES)]
    for name, path in files:
        data = path.read_bytes()
        digest.update(f"{name}\0{len(data)}\0".encode())
        digest.update(data)
    return digest.hexdigest()


def inputs_in(folder: Path, skipped: str | None = None) -> list[Path]:
    """The regular files of a folder that lie inside it (hidden files and `skipped` aside)."""
    root = folder.resolve()
    found = []
    for path in sorted(folder.rglob("*")):
        parts = path.relative_to(folder).parts
        if any(part.startswith(".") for part in parts) or parts[0] == skipped:
            continue
        if path.is_file() and path.resolve().is_relative_to(root):
            found.append(path)
    return found


def place_pdfs(
    site: Site,
    writer: SiteWriter,
    *,
    pdf_dir: Path | None,
    build: Callable[[list[tuple[SiteIssue, str]], SiteWriter], list[str]] | None,
) -> PdfReport:
    """Give every issue its PDF: from `pdf_dir` (NAME.pdf) when there, else the current
    site's while its inputs are unchanged, else a new one made by `build` (None: none is
    made), which puts each wanted issue's PDF at its place and returns its warnings."""
    report = PdfReport()
    remembered = writer.manifest.get("pdfs", {})
    wanted: list[tuple[SiteIssue, str]] = []
    for issue in site.issues:
        name = f"{issue.content.stem}.pdf"
        relative = f"{issue.key}/{name}"
        supplied = pdf_dir / name if pdf_dir is not None else None
        if supplied is not None and supplied.is_file():
            with open(supplied, "rb") as stream:
                if stream.read(len(PDF_SIGNATURE)) != PDF_SIGNATURE:
                    raise BuildError(
                        display_path(supplied), "pdf", _("not a PDF file; remove it or rebuild it")
                    )
            writer.put_file(relative, supplied)
            report.supplied.append(relative)
        elif build is None:
            continue
        else:
            inputs = report.inputs[relative] = pdf_inputs(issue)
            if remembered.get(relative) != inputs or writer.old(relative) is None:
                wanted.append((issue, relative))
                continue
            writer.keep(relative)
            report.kept.append(relative)
        issue.pdf = SitePdf(name, (writer.staging / relative).stat().st_size)
    if wanted:
        report.warnings += build(wanted, writer)
        report.built += [relative for _, relative in wanted]
    return report
