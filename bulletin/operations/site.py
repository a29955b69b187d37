"""The e-edition site: every issue of a content folder, its articles, archive, feed and search."""

from __future__ import annotations

import signal
import time
from dataclasses import dataclass, field
from http.server import ThreadingHTTPServer
from pathlib import Path

from bulletin.content.check import check_issue
from bulletin.content.loader import LoadedIssue, display_path, find_publication_file
from bulletin.errors import BuildError, ContentError, Stopped
from bulletin.i18n import _
from bulletin.outputs.base import folder_output
from bulletin.site.addresses import site_base_url
from bulletin.site.media import LOCAL_ADDRESS, gather_media
from bulletin.site.pages import SiteRenderer, site_layout
from bulletin.site.pdfs import PDF_KIND, WORK_FOLDER, PdfReport, place_pdfs
from bulletin.site.records import (
    SiteIssue,
    SitePdf,
    load_site,
    plan_site,
    qr_warnings,
)
from bulletin.site.search import SEARCH_FOLDER, index_search
from bulletin.site.writer import SiteWriter
from bulletin.version import __version__

__all__ = ["SiteResult", "build_site", "serve_site", "serve_until_stopped"]

# `bulletin site --serve` without a port.
DEFAULT_PORT = 8000
# How often the serving loop wakes to notice Ctrl-C or SIGTERM.
WAKE_SECONDS = 0.5

# Files the site's own text goes into; each is checked for local addresses before writing.
TEXT_SUFFIXES = (".html", ".xml", ".css", ".js", ".json")


@dataclass
class SiteResult:
    """What a site build wrote, carried over and removed, and what it noticed."""

    target: Path
    issues: int
    articles: int
    written: list[str]
    unchanged: list[str]
    removed: list[str]
    pdfs: PdfReport
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0


def build_site(
    content_dir: Path,
    target: Path,
    *,
    base_url: str | None = None,
    pdf_dir: Path | None = None,
    build_pdfs: bool = True,
    jobs: int | None = None,
    strict: bool = False,
) -> SiteResult:
    """Build the site of every issue in `content_dir` into the folder `target`.

    Pages: / (the latest issue), /YYYY-NN/ (an issue, with its PDF), /YYYY-NN/SLUG/ (an
    article), /archive/, /regions/ and /regions/NAME/, /search/, /feed.xml, /sitemap.xml.
    `base_url` is the address the site is served from (default: the publication's
    e_edition_url without its YYYY-NN/ ending). PDFs come from `pdf_dir` (NAME.pdf) when
    there, else are kept from the current site or built; `build_pdfs=False` builds none.
    Only changed files are written, and the new site replaces the old one in one step.
    """
    started = time.perf_counter()
    content_dir = Path(content_dir)
    folder_output(Path(target))
    if pdf_dir is not None and not Path(pdf_dir).is_dir():
        raise BuildError(pdf_dir, "pdf-dir", _("no such folder; expected the folder of the PDFs"))
    # Every issue checked as `build` checks it: its warnings are the site's (characters the
    # fonts lack, soft pictures), and with `strict` they stop it.
    checked: list[str] = []

    def check(folder: Path) -> LoadedIssue:
        issue, missing = check_issue(folder, strict=strict)
        checked.extend(str(problem) for problem in missing)
        return issue

    loaded, publication = load_site(content_dir, check)
    publication_file = find_publication_file(loaded[-1].issue_dir)
    site = plan_site(loaded, site_base_url(publication, base_url, publication_file))
    media = gather_media(site)
    if strict and media.warnings:
        raise ContentError(media.warnings)
    warnings = checked + qr_warnings(site) + [str(problem) for problem in media.warnings]
    layout_dir = site_layout(publication.layout, publication_file.parent)

    with SiteWriter(target, content_dir) as writer:

        def build(wanted: list[tuple[SiteIssue, str]], into: SiteWriter) -> list[str]:
            return office_pdfs(wanted, into, jobs, strict)

        pdfs = place_pdfs(site, writer, pdf_dir=pdf_dir, build=build if build_pdfs else None)
        warnings += pdfs.warnings
        files = SiteRenderer(site, media, layout_dir).all_files()
        refuse_local_addresses(files, content_dir)
        for relative, data in files.items():
            writer.put(relative, data)
        for relative, source in media.files.items():
            writer.put_file(relative, source)
        # The search index depends on the pages alone: kept while none changed.
        if writer.pages_changed() or not writer.keep_folder(SEARCH_FOLDER):
            index_search(writer.staging)
            writer.adopt(SEARCH_FOLDER)
        writer.commit({"generator": f"bulletin {__version__}", "pdfs": pdfs.inputs})

    return SiteResult(
        target=Path(target),
        issues=len(site.issues),
        articles=len(site.articles),
        written=sorted(writer.written),
        unchanged=sorted(writer.unchanged),
        removed=sorted(writer.removed),
        pdfs=pdfs,
        warnings=list(dict.fromkeys(warnings)),  # said once, whichever step noticed it
        seconds=time.perf_counter() - started,
    )


def refuse_local_addresses(files: dict[str, bytes], content_dir: Path) -> None:
    """No page may name a file on this machine: it would break once uploaded, and show the
    editor's folders to every reader."""
    local = (LOCAL_ADDRESS.encode(), str(content_dir.resolve()).encode("utf-8"))
    for relative, data in files.items():
        if relative.endswith(TEXT_SUFFIXES) and any(marker in data for marker in local):
            message = _("names a file on this machine; expected only addresses inside the site")
            raise BuildError(relative, "site", message)


def office_pdfs(
    wanted: list[tuple[SiteIssue, str]], writer: SiteWriter, jobs: int | None, strict: bool
) -> list[str]:
    """Build the office PDFs (several processes for several issues) and move them in;
    returns the builds' warnings."""
    from bulletin.operations.batch import build_many

    work = writer.staging / WORK_FOLDER
    work.mkdir()
    folders = [issue.issue_dir for issue, _ in wanted]
    batch = build_many(folders, {"output": work, "kind": PDF_KIND, "strict": strict}, jobs=jobs)
    if batch.stopped_by is not None:
        # Ctrl-C or SIGTERM stopped the builds: stop the site the same way (its staging
        # folder is removed on the way out), with the signal's exit code.
        raise Stopped(batch.stopped_by)
    outcomes = {outcome.issue_dir: outcome for outcome in batch.outcomes}
    warnings = [line for outcome in batch.outcomes for line in outcome.warnings]
    for issue, relative in wanted:
        outcome = outcomes.get(issue.issue_dir)
        if outcome is None or not outcome.ok or outcome.output is None:
            reason = "; ".join(outcome.errors) if outcome else _("stopped before it was built")
            message = _("the office PDF could not be built: {reason}").format(reason=reason)
            raise BuildError(display_path(issue.issue_dir), "pdf", message)
        writer.put_file(relative, Path(outcome.output), move=True)
        issue.pdf = SitePdf(Path(relative).name, (writer.staging / relative).stat().st_size)
    work.rmdir()
    return warnings


def serve_site(target: Path, port: int = DEFAULT_PORT) -> ThreadingHTTPServer:
    """Serve the site folder on 127.0.0.1:`port` (0: any free port) in a thread.

    The server of `bulletin watch --serve`, without its reload script: only regular files
    inside the folder, nothing hidden, no listings, and only requests whose Host names this
    machine. Search needs it: a browser loads Pagefind's index only over HTTP.
    """
    from bulletin.operations.watch import serve_folder

    return serve_folder(Path(target), port, None)


def serve_until_stopped(server: ThreadingHTTPServer) -> None:
    """Wait until Ctrl-C (Stopped, exit 130) or SIGTERM (exit 143), then close the server."""
    try:
        while True:
            time.sleep(WAKE_SECONDS)
    except KeyboardInterrupt:
        raise Stopped(signal.SIGINT) from None
    finally:
        server.shutdown()
        server.server_close()
