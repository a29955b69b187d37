"""HTML → laid-out pages and PDF bytes with WeasyPrint, under bulletin's line layout and fetcher."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import uuid
from collections.abc import Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import cache, partial
from pathlib import Path

from ..collector import without_cycle_collection
from ..errors import BuildError, BulletinError
from ..i18n import _
from .compat import ScopedPatches, require_supported_engine

require_supported_engine()  # before anything below touches WeasyPrint's internals

import pydyf  # noqa: E402
import weasyprint  # noqa: E402
from weasyprint.pdf import metadata  # noqa: E402
from weasyprint.text.fonts import FontConfiguration  # noqa: E402

from .clreq import chinese_line_layout  # noqa: E402
from .composition import fill_pages  # noqa: E402
from .continued import label_continuations  # noqa: E402
from .faces import unbundled_font_warnings  # noqa: E402
from .fetcher import ProjectFetcher  # noqa: E402
from .headlines import balanced_headlines  # noqa: E402
from .logs import collected_warnings  # noqa: E402
from .pdf_metadata import (  # noqa: E402
    file_identifier,
    finish_metadata,
    metadata_first,
    settle_dates,
)
from .structure import tidy as tidy_links_and_tags  # noqa: E402


@cache
def font_configuration() -> FontConfiguration:
    """One font configuration per process: loading fonts is the costly part of a rebuild."""
    return FontConfiguration()


@dataclass
class TypesetDocument:
    document: weasyprint.Document
    warnings: list[str]
    stock_engine: bool = False
    # PDFs already written from these pages, by what made them: an output made from
    # another's file (the booklet from the office PDF) reuses it instead of writing it again.
    written: dict[tuple, bytes] = field(default_factory=dict)

    @property
    def page_count(self) -> int:
        return len(self.document.pages)

    @property
    def page_names(self) -> list[str]:
        """Each page's CSS named page (`page: cover`); "" for unnamed and blank pages."""
        return [
            "" if page._page_box.page_type.blank else page._page_box.page_type.name or ""
            for page in self.document.pages
        ]


def typeset(
    html: str,
    base_url: Path,
    allowed_roots: list[Path],
    *,
    stock_engine: bool = False,
    date: dt.date | None = None,
) -> TypesetDocument:
    """Lay out the pages; refused loads and engine warnings are returned, not printed.

    `stock_engine` lays out with WeasyPrint's own line rules instead of clreq's, to compare;
    `date` (the print date) dates the PDF when the layout gives no dcterms dates.
    """
    fetcher = ProjectFetcher(allowed_roots)
    with (
        collected_warnings() as warnings,
        chinese_line_layout(not stock_engine),
        balanced_headlines(),
        _engine_failure("typeset", _("failed: {reason}")),
        without_cycle_collection(),
    ):
        document = weasyprint.HTML(
            string=html, base_url=str(base_url) + "/", url_fetcher=fetcher
        ).render(font_config=font_configuration())
    # A refused load is said once, by the fetcher, not again in the engine's words.
    engine = [w for w in dict.fromkeys(warnings) if not any(r in w for r in fetcher.refused)]
    warnings = [*fetcher.refused, *engine]
    fill_pages(document)  # full body pages on the line grid, without laying out again
    label_continuations(document)  # 续表 on each part of a split table after the first
    settle_dates(document.metadata, date)
    return TypesetDocument(document, warnings, stock_engine)


@dataclass(frozen=True)
class EmbeddedFile:
    name: str
    data: bytes
    description: str
    date: dt.datetime
    relationship: str = "Source"


def pdf_bytes(
    typeset_document: TypesetDocument,
    *,
    variant: str | None = None,
    cmyk_profile: Path | None = None,
    attachments: tuple[EmbeddedFile, ...] = (),
    identity: str = "",
    tagged: bool = False,
    page_labels: Sequence[str] = (),
) -> bytes:
    """Write the laid-out pages as PDF; fonts are embedded as subsets.

    `variant` is a WeasyPrint PDF variant (pdf/x-4, pdf/a-3b); `cmyk_profile` the ICC
    profile of the press's output intent; `identity` seeds the document IDs (XMP and the
    trailer's /ID) so that the same content always gives the same bytes. `tagged` adds
    the structure tree (the "a" and "ua" variants always have one); `page_labels` are the
    page numbers a viewer shows, one per page. Every PDF gets XMP metadata, uncompressed
    and first in the file, and shows its title in the viewer.
    """
    options: dict = {
        "finisher": partial(_finish_pdf, page_labels=tuple(page_labels)),
        "pdf_identifier": file_identifier(identity),
    }
    settle_dates(typeset_document.document.metadata)
    if variant:
        options["pdf_variant"] = variant
    if tagged:
        options["pdf_tags"] = True
    if cmyk_profile is not None:
        typeset_document.document.color_profiles["device-cmyk"] = _color_profile(cmyk_profile)
    if attachments:
        options["attachments"] = [
            weasyprint.Attachment(
                string=item.data,
                name=item.name,
                description=item.description,
                created=item.date,
                modified=item.date,
                relationship=item.relationship,
            )
            for item in attachments
        ]
    # Glyphs are shaped again when drawn: under the same rules as when they were laid out.
    with (
        collected_warnings() as warnings,
        chinese_line_layout(not typeset_document.stock_engine),
        _fixed_document_id(identity),
        metadata_first(),
        _engine_failure("pdf", _("writing failed: {reason}")),
        without_cycle_collection(),
    ):
        data = typeset_document.document.write_pdf(**options)
    typeset_document.warnings.extend(warnings)
    # A face the layout named that is not bundled: a warning, and --strict refuses it.
    faces = unbundled_font_warnings(typeset_document.document.fonts.values())
    typeset_document.warnings.extend(w for w in faces if w not in typeset_document.warnings)
    return data


@contextlib.contextmanager
def _engine_failure(field: str, message: str):
    """WeasyPrint raises many types: any of them becomes one BuildError line, `message`
    filled with its kind and reason; bulletin's own errors pass as they are."""
    try:
        yield
    except BulletinError:
        raise
    except Exception as error:
        reason = f"{type(error).__name__}: {error}"
        raise BuildError("weasyprint", field, message.format(reason=reason)) from error


def _color_profile(path: Path):
    from weasyprint.css import ColorProfile

    try:
        handle = open(path, "rb")  # noqa: SIM115 (closed below, after Pillow has read it)
    except OSError as error:
        reason = _("cannot read: {reason}").format(reason=error.strerror or error)
        raise BuildError(path, "profile", reason) from None
    try:
        with handle:
            inks = (["c"], ["m"], ["y"], ["k"])
            return ColorProfile(handle, path.absolute().as_uri(), "relative-colorimetric", inks)
    except Exception as error:  # Pillow's ICC reader raises several types, OSError too
        message = _("not an ICC profile ({reason}); name a CMYK .icc file").format(reason=error)
        raise BuildError(path, "profile", message) from None


def _finish_pdf(document, pdf, *, page_labels: tuple[str, ...]) -> None:
    """What WeasyPrint leaves out: XMP for plain PDFs, the title bar, labels, a tidy tree."""
    if "Metadata" not in pdf.catalog:  # the PDF/A and PDF/X variants write their own
        document.metadata.include_in_pdf(pdf, None, None, None, compress=False)
    finish_metadata(document, pdf)
    if document.metadata.title:
        preferences = pdf.catalog.setdefault("ViewerPreferences", pydyf.Dictionary())
        preferences["DisplayDocTitle"] = "true"
    if page_labels:
        pdf.catalog["PageLabels"] = pydyf.Dictionary({"Nums": _label_ranges(page_labels)})
    tidy_links_and_tags(document, pdf)


def _label_ranges(labels: Sequence[str]) -> pydyf.Array:
    """The /PageLabels number tree: runs of decimal numbers, and each other label alone."""
    ranges = pydyf.Array()
    previous = None  # the number of the page before, when it is a decimal label
    for index, label in enumerate(labels):
        number = int(label) if label.isascii() and label.isdigit() else 0
        if number and str(number) == label:
            if previous is None or number != previous + 1:
                ranges.extend([index, pydyf.Dictionary({"S": "/D", "St": number})])
            previous = number
        else:
            ranges.extend([index, pydyf.Dictionary({"P": pydyf.String(label)})])
            previous = None
    return ranges


# The XMP document ID of this thread's PDF, while bulletin writes it; None elsewhere.
_DOCUMENT_ID: ContextVar[uuid.UUID | None] = ContextVar("bulletin_document_id", default=None)
_stock_uuid4 = metadata.uuid4


def _document_uuid4() -> uuid.UUID:
    return _DOCUMENT_ID.get() or _stock_uuid4()


_ID_PATCH = ScopedPatches(lambda: [(metadata, "uuid4", _document_uuid4)])


@contextlib.contextmanager
def _fixed_document_id(identity: str):
    """WeasyPrint gives PDF/X files a random XMP document ID; derive it from the content."""
    token = _DOCUMENT_ID.set(uuid.UUID(hashlib.sha256(identity.encode()).hexdigest()[:32]))
    try:
        with _ID_PATCH.applied():
            yield
    finally:
        _DOCUMENT_ID.reset(token)


def content_hash(text: str) -> str:
    """A short stable digest of what was typeset, used to seed document IDs."""
    return hashlib.sha256(text.encode()).hexdigest()[:32]
