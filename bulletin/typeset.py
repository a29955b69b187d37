"""HTML → laid-out pages with WeasyPrint: the one module that imports it."""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import hashlib
import logging
import mimetypes
import uuid
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

import weasyprint
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from . import clreq
from .errors import BuildError
from .resources import MAX_DATA_URL_BYTES

TESTED_WEASYPRINT = clreq.TESTED_WEASYPRINT
# WeasyPrint's warnings (unsupported CSS, missing fonts, failed loads) pass through here.
ENGINE_LOGGER = logging.getLogger("bulletin.engine")

clreq.install()


class ProjectFetcher(URLFetcher):
    """Serves only files inside the allowed folders, and small data: URLs; refuses the rest."""

    def __init__(self, roots: list[Path]):
        super().__init__(fail_on_errors=False)
        self.roots = [root.resolve() for root in roots]
        self.refused: list[str] = []

    def _refuse(self, url: str, why: str):
        message = f"refused to load {url[:120]}: {why}"
        self.refused.append(message)
        raise PermissionError(message)

    def fetch(self, url, headers=None):
        scheme = urlsplit(url).scheme.lower()
        if scheme == "data":
            if len(url) > MAX_DATA_URL_BYTES * 4 // 3 + 100:
                self._refuse(url, f"data: URL larger than {MAX_DATA_URL_BYTES} bytes")
            header, _, payload = url.partition(",")
            mime = header[5:].split(";")[0] or "text/plain"
            body = base64.b64decode(payload) if ";base64" in header else unquote(payload).encode()
            return URLFetcherResponse(url, body, {"Content-Type": mime})
        if scheme != "file":
            self._refuse(url, "only files inside the project are used; no network access")
        path = Path(unquote(urlsplit(url).path)).resolve()
        if not any(path.is_relative_to(root) for root in self.roots):
            self._refuse(url, "outside the issue, layout and fonts folders")
        if not path.is_file():
            self._refuse(url, "no such file")
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(path.as_uri(), path.read_bytes(), {"Content-Type": mime})


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
    engine = clreq.stock_engine() if stock_engine else contextlib.nullcontext()
    with collected_warnings() as warnings, engine:
        try:
            document = weasyprint.HTML(
                string=html, base_url=str(base_url) + "/", url_fetcher=fetcher
            ).render(font_config=font_configuration())
        except Exception as error:  # WeasyPrint raises many types; report them as one
            raise BuildError(f"typesetting failed: {type(error).__name__}: {error}") from error
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
    engine = clreq.stock_engine() if typeset_document.stock_engine else contextlib.nullcontext()
    with collected_warnings() as warnings, engine, _fixed_document_id(identity):
        try:
            data = typeset_document.document.write_pdf(**options)
        except Exception as error:  # WeasyPrint raises many types; report them as one
            raise BuildError(f"writing the PDF failed: {type(error).__name__}: {error}") from error
    typeset_document.warnings.extend(warnings)
    return data


def _color_profile(path: Path):
    from weasyprint.css import ColorProfile

    try:
        with open(path, "rb") as handle:
            inks = (["c"], ["m"], ["y"], ["k"])
            return ColorProfile(handle, path.as_uri(), "relative-colorimetric", inks)
    except OSError as error:
        raise BuildError(f"{path}: profile: cannot read: {error.strerror}") from None
    except Exception as error:  # Pillow's ICC reader raises several types
        raise BuildError(f"{path}: profile: not an ICC profile ({error})") from None


@contextlib.contextmanager
def _fixed_document_id(identity: str):
    """WeasyPrint gives PDF/X files a random XMP document ID; derive it from the content."""
    from weasyprint.pdf import metadata

    original = metadata.uuid4
    metadata.uuid4 = lambda: uuid.UUID(hashlib.sha256(identity.encode()).hexdigest()[:32])
    try:
        yield
    finally:
        metadata.uuid4 = original


def engine_report() -> dict[str, str]:
    """Versions of the engine and the system libraries it found (for `bulletin doctor`)."""
    from weasyprint.text import ffi

    number = ffi.pango.pango_version()
    pango = f"{number // 10000}.{number // 100 % 100}.{number % 100}"
    return {
        "weasyprint": weasyprint.__version__,
        "pango": pango,
        "harfbuzz": _harfbuzz_version(),
        "harfbuzz_subset": "yes" if ffi.harfbuzz_subset is not None else "no",
    }


def _harfbuzz_version() -> str:
    # WeasyPrint's bindings do not declare hb_version_string; ask the library directly.
    import ctypes
    import ctypes.util

    for name in ("libharfbuzz.so.0", ctypes.util.find_library("harfbuzz")):
        if not name:
            continue
        try:
            library = ctypes.CDLL(name)
        except OSError:
            continue
        library.hb_version_string.restype = ctypes.c_char_p
        return library.hb_version_string().decode()
    return "unknown"


def content_hash(text: str) -> str:
    """A short stable digest of what was typeset, used to seed document IDs."""
    return hashlib.sha256(text.encode()).hexdigest()[:32]
