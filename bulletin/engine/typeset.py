"""HTML → laid-out pages and PDF bytes with WeasyPrint, under bulletin's line layout and fetcher."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import logging
import uuid
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ..errors import BuildError
from .compat import ScopedPatches, require_supported_engine

require_supported_engine()  # before anything below touches WeasyPrint's internals

import weasyprint  # noqa: E402
from weasyprint.pdf import metadata  # noqa: E402
from weasyprint.text.fonts import FontConfiguration  # noqa: E402

from .clreq import chinese_line_layout  # noqa: E402
from .fetcher import ProjectFetcher  # noqa: E402

# WeasyPrint's warnings (unsupported CSS, missing fonts, failed loads) pass through here.
ENGINE_LOGGER = logging.getLogger("bulletin.engine")


@cache
def font_configuration() -> FontConfiguration:
    """One font configuration per process: loading fonts is the costly part of a rebuild."""
    return FontConfiguration()


class _WarningCollector(logging.Handler):
    """Keeps WeasyPrint's warnings for the build result and passes them to our logger."""

    def __init__(self):
        super().__init__(level=logging.WARNING)
        self.records: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        self.records.append(message)
        ENGINE_LOGGER.warning(message)


@contextlib.contextmanager
def collected_warnings():
    """WeasyPrint's warnings (bad CSS, failed loads) land in a list instead of stderr."""
    logger = logging.getLogger("weasyprint")
    collector = _WarningCollector()
    previous = logger.propagate
    logger.addHandler(collector)
    logger.propagate = False
    try:
        yield collector.records
    finally:
        logger.removeHandler(collector)
        logger.propagate = previous


@dataclass
class TypesetDocument:
    document: weasyprint.Document
    warnings: list[str]
    stock_engine: bool = False

    @property
    def page_count(self) -> int:
        return len(self.document.pages)


def typeset(
    html: str, base_url: Path, allowed_roots: list[Path], *, stock_engine: bool = False
) -> TypesetDocument:
    """Lay out the pages; refused loads and engine warnings are returned, not printed.

    `stock_engine` lays out with WeasyPrint's own line rules instead of clreq's, to compare.
    """
    fetcher = ProjectFetcher(allowed_roots)
    with collected_warnings() as warnings, chinese_line_layout(not stock_engine):
        try:
            document = weasyprint.HTML(
                string=html, base_url=str(base_url) + "/", url_fetcher=fetcher
            ).render(font_config=font_configuration())
        except Exception as error:  # WeasyPrint raises many types; report them as one
            raise BuildError(
                "weasyprint", "typeset", f"failed: {type(error).__name__}: {error}"
            ) from error
    warnings = [*fetcher.refused, *dict.fromkeys(warnings)]
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
) -> bytes:
    """Write the laid-out pages as PDF; fonts are embedded as subsets.

    `variant` is a WeasyPrint PDF variant (pdf/x-4, pdf/a-3b); `cmyk_profile` the ICC
    profile of the press's output intent; `identity` seeds the document IDs so that the
    same content always gives the same bytes.
    """
    options: dict = {}
    if variant:
        options["pdf_variant"] = variant
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
    ):
        try:
            data = typeset_document.document.write_pdf(**options)
        except Exception as error:  # WeasyPrint raises many types; report them as one
            raise BuildError(
                "weasyprint", "pdf", f"writing failed: {type(error).__name__}: {error}"
            ) from error
    typeset_document.warnings.extend(warnings)
    return data


def _color_profile(path: Path):
    from weasyprint.css import ColorProfile

    try:
        with open(path, "rb") as handle:
            inks = (["c"], ["m"], ["y"], ["k"])
            return ColorProfile(handle, path.as_uri(), "relative-colorimetric", inks)
    except OSError as error:
        raise BuildError(path, "profile", f"cannot read: {error.strerror}") from None
    except Exception as error:  # Pillow's ICC reader raises several types
        raise BuildError(path, "profile", f"not an ICC profile ({error})") from None


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
