"""The metadata an archive's ingest and a print shop read first: XMP, dates, file IDs, images."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import re
from contextvars import ContextVar
from xml.etree import ElementTree

import pydyf

from .compat import ScopedPatches

# Format identifiers (FIDO, DROID, Siegfried: PRONOM signatures) find PDF/A and PDF/X by
# byte patterns of the XMP packet searched in the file's first 64–128 KiB: the packet is
# written uncompressed, as the first object after the page tree and the catalogue.
XMP_TYPE = "/Metadata"
# Namespace of the PDF/X-1a and PDF/X-3 keys (pdfx:GTS_PDFXVersion, GTS_PDFXConformance):
# a PDF/X-4 file names its version with pdfxid:GTS_PDFXVersion only.
PDFX_1_3 = "http://ns.adobe.com/pdfx/1.3/"
RDF = re.compile(rb"<rdf:RDF\b.*?</rdf:RDF>", re.DOTALL)
# The dates WeasyPrint accepts in <meta name="dcterms.created">: W3C's profile of ISO 8601.
W3C_DATE = re.compile(
    r"\s*(\d{4})(?:-(\d\d)(?:-(\d\d)(?:T(\d\d):(\d\d)(?::(\d\d)(?:\.\d+)?)?"
    r"(Z|[+-]\d\d:\d\d))?)?)?\s*"
)

_WRITING: ContextVar[bool] = ContextVar("bulletin_writing_pdf", default=False)
_StockPdf = pydyf.PDF


# ---------------------------------------------------------------- dates


def parse_w3c_date(text: str | None) -> dt.datetime | None:
    """A W3C date as an aware moment: missing parts are the first day, midnight, UTC."""
    match = W3C_DATE.fullmatch(text or "")
    if match is None:
        return None
    year, month, day, hour, minute, second, zone = match.groups()
    offset = dt.timedelta()
    if zone and zone != "Z":
        sign = -1 if zone[0] == "-" else 1
        offset = sign * dt.timedelta(hours=int(zone[1:3]), minutes=int(zone[4:6]))
    parts = (month, day, hour, minute, second)
    numbers = (int(v or default) for v, default in zip(parts, "11000", strict=True))
    return dt.datetime(int(year), *numbers, tzinfo=dt.timezone(offset))


def xmp_date(moment: dt.datetime) -> str:
    """2024-04-25T00:00:00+00:00: seconds and zone always written."""
    return moment.isoformat(timespec="seconds")


def pdf_date(moment: dt.datetime) -> str:
    """D:20240425000000+00'00': the PDF date of the same moment, with its zone."""
    offset = moment.utcoffset() or dt.timedelta()
    sign = "-" if offset < dt.timedelta() else "+"
    hours, minutes = divmod(abs(int(offset.total_seconds())) // 60, 60)
    return f"D:{moment:%Y%m%d%H%M%S}{sign}{hours:02d}'{minutes:02d}'"


def settle_dates(metadata, fallback: dt.date | None = None) -> None:
    """The document's creation and modification dates with time and zone.

    The layout's dcterms dates are kept (a bare date is its midnight UTC); a missing one is
    `fallback` (the issue's print date) at midnight UTC, so that the same issue always
    gives the same dates, and never the time it was built.
    """
    default = None if fallback is None else dt.datetime.combine(fallback, dt.time(), dt.UTC)
    for name in ("created", "modified"):
        moment = parse_w3c_date(getattr(metadata, name)) or default
        if moment is not None:
            setattr(metadata, name, xmp_date(moment))


# ---------------------------------------------------------------- writing with WeasyPrint


def file_identifier(identity: str) -> str:
    """The first part of the trailer /ID: the XMP document ID's digest of the content."""
    return hashlib.sha256(identity.encode()).hexdigest()[:32]


class _MetadataFirstPdf(_StockPdf):
    """pydyf's PDF whose XMP stream takes the object number right after the catalogue."""

    def __init__(self):
        super().__init__()
        self._metadata_slot = None
        if _WRITING.get():
            self._metadata_slot = len(self.objects)
            super().add_object(pydyf.Stream())  # replaced by the XMP stream when it comes

    def add_object(self, object_):
        slot = getattr(self, "_metadata_slot", None)
        metadata = isinstance(object_, pydyf.Stream) and object_.extra.get("Type") == XMP_TYPE
        if slot is not None and metadata:
            object_.number = slot
            self.objects[slot] = object_
            self._metadata_slot = None
            return
        super().add_object(object_)

    def write(self, output, version=b"1.7", identifier=False, compress=False):
        # pydyf serialises every object twice when the file has a trailer /ID (once to write
        # it, once for the /ID's digest), compressing each stream again: 40 ms a build. The
        # objects are final by now, so each one's bytes are made once and kept.
        if _WRITING.get():
            for object_ in self.objects:
                object_.__class__ = _serialised_once(type(object_))
        return super().write(output, version, identifier, compress)


_SERIALISED_ONCE: dict[type, type] = {}


def _serialised_once(kind: type) -> type:
    """A subclass of a pydyf object type whose `data` is computed once per object."""
    if kind in _SERIALISED_ONCE.values():
        return kind
    if kind not in _SERIALISED_ONCE:
        compute = kind.data.fget

        def data(self):
            kept = self.__dict__.get("_bulletin_data")
            if kept is None:
                kept = self.__dict__["_bulletin_data"] = compute(self)
            return kept

        _SERIALISED_ONCE[kind] = type(kind.__name__, (kind,), {"data": property(data)})
    return _SERIALISED_ONCE[kind]


_PDF_PATCH = ScopedPatches(lambda: [(pydyf, "PDF", _MetadataFirstPdf)])


@contextlib.contextmanager
def metadata_first():
    """While WeasyPrint writes bulletin's PDF, its XMP packet comes first in the file."""
    token = _WRITING.set(True)
    try:
        with _PDF_PATCH.applied():
            yield
    finally:
        _WRITING.reset(token)


def finish_metadata(document, pdf) -> None:
    """XMP uncompressed and without PDF/X-3 keys, Info dates with their zone, one /AF entry
    per embedded file, and no image interpolation (PDF/A forbids it; a RIP ignores it)."""
    metadata = _object(pdf, pdf.catalog["Metadata"])
    metadata.compress = False
    metadata.stream = [_without_pdfx_1_3(b"".join(metadata.stream))]
    for key, name in (("CreationDate", "created"), ("ModDate", "modified")):
        moment = parse_w3c_date(getattr(document.metadata, name))
        if moment is not None and key in pdf.info:
            pdf.info[key] = pydyf.String(pdf_date(moment))
    if "AF" in pdf.catalog:
        pdf.catalog["AF"] = pydyf.Array(dict.fromkeys(pdf.catalog["AF"]))
    for item in pdf.objects:
        if isinstance(item, pydyf.Stream) and item.extra.get("Subtype") == "/Image":
            item.extra.pop("Interpolate", None)


def _object(pdf, reference: bytes):
    return pdf.objects[int(reference.split()[0])]


def _without_pdfx_1_3(packet: bytes) -> bytes:
    """The packet without the pdfx: elements of PDF/X-1a and PDF/X-3."""
    match = RDF.search(packet)
    if match is None or PDFX_1_3.encode() not in match.group():
        return packet
    rdf = ElementTree.fromstring(match.group())
    for description in rdf:
        for element in list(description):
            if element.tag.startswith(f"{{{PDFX_1_3}}}"):
                description.remove(element)
    rewritten = ElementTree.tostring(rdf, encoding="utf-8")
    return packet[: match.start()] + rewritten + packet[match.end() :]


# ---------------------------------------------------------------- rewriting with pypdf


def metadata_entry_first(catalogue) -> None:
    """pypdf numbers a cloned catalogue's objects in the order of its entries: with
    /Metadata first, the XMP packet stays at the head of the file it writes."""
    if "/Metadata" not in catalogue:
        return
    entries = [(key, catalogue.raw_get(key)) for key in catalogue]
    catalogue.clear()
    for key, value in sorted(entries, key=lambda entry: entry[0] != "/Metadata"):
        catalogue[key] = value
