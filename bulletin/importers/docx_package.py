"""Opening a Word .docx within budgets: sizes, XML without DTDs or entities, element count."""

from __future__ import annotations

import io
import struct
import zipfile
from pathlib import Path

from ..content.loader import display_path
from ..errors import ImportFormatError, Problem
from ..i18n import _

# A draft with a few dozen photos is a few MB; a scanned-in report may reach tens.
MAX_DOCX_BYTES = 50 * 1024 * 1024
# What the parts unpack to, all together (pictures included) and one part alone, whatever its
# name: parsing holds an XML part in memory several times over, and a picture over 50 MB is
# refused by the picture budget anyway.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_PART_BYTES = 50 * 1024 * 1024
# Word's XML packs 5 to 30 times smaller; only a part made to explode packs 200 times. A part
# under a megabyte is not held to it (a page of empty table cells packs very small).
MAX_RATIO = 200
RATIO_FLOOR = 1024 * 1024
# Parts in the package: a draft with a hundred photos has about 150.
MAX_PARTS = 5_000
# Elements in all XML parts together; a 300-page report has about 400,000.
MAX_XML_ELEMENTS = 2_000_000
XML_SUFFIXES = (".xml", ".rels")
# Word stores parts packed with deflate, or not packed at all; zipfile unpacks the others
# (bzip2, lzma) without a limit on what one read gives.
KNOWN_METHODS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
CHUNK = 1024 * 1024
# How a part in an encoding other than UTF-8 starts, and in which encoding it is read.
BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
    (b"\xef\xbb\xbf", "utf-8"),
)
EBCDIC_XML = b"\x4c\x6f\xa7\x94"  # <?xm, which libxml2 reads as well


def refuse(name: str, message: str, where: str = "file") -> ImportFormatError:
    return ImportFormatError([Problem(name, None, where, message)])


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.0f} MB"


def open_docx(path: Path):
    """The python-docx Document of a draft, after its package passed every budget."""
    import docx

    name = display_path(path)
    try:
        size = path.stat().st_size
        if size > MAX_DOCX_BYTES:
            raise refuse(
                name,
                _(
                    "{size}; a Word draft may be at most {limit} (make the pictures smaller in "
                    "Word: Compress Pictures)"
                ).format(size=_megabytes(size), limit=_megabytes(MAX_DOCX_BYTES)),
            )
        data = path.read_bytes()
    except OSError as error:
        raise refuse(
            name, _("cannot read: {reason}").format(reason=error.strerror or error)
        ) from None
    check_package(data, name)
    try:
        return docx.Document(io.BytesIO(data))
    except ImportFormatError:
        raise
    except Exception as error:  # python-docx raises many kinds for a package it cannot map
        raise refuse(
            name,
            _("not a Word .docx document ({reason}); save it again from Word").format(
                reason=type(error).__name__
            ),
        ) from None


def declared_parts(data: bytes) -> int | None:
    """How many parts the zip's end record says it holds, read before zipfile lists them
    all; None when there is no plain end record (zipfile decides then)."""
    end = data.rfind(b"PK\x05\x06", max(0, len(data) - 22 - 65535))
    if end < 0 or end + 22 > len(data):
        return None
    (count,) = struct.unpack("<H", data[end + 10 : end + 12])
    return None if count == 0xFFFF else count  # 0xFFFF: a zip64 record holds the count


def check_package(data: bytes, name: str) -> None:
    """Refuse a package over budget, or with XML that is malformed or declares a DTD: every
    part is held to the budgets and every part an XML parser would read is checked, whatever
    its name or content type."""
    declared = declared_parts(data)
    if declared is not None and declared > MAX_PARTS:
        raise refuse(name, too_many_parts(declared))
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        raise refuse(name, _("not a Word .docx document (not a zip package)")) from None
    with archive:
        members = archive.infolist()
        if len(members) > MAX_PARTS:
            raise refuse(name, too_many_parts(len(members)))
        for member in members:
            check_declared(member, name)
        total = sum(member.file_size for member in members)
        if total > MAX_UNPACKED_BYTES:
            raise refuse(
                name,
                _("unpacks to {size}; a Word draft may unpack to at most {limit}").format(
                    size=_megabytes(total), limit=_megabytes(MAX_UNPACKED_BYTES)
                ),
            )
        elements = 0
        for member in members:
            elements += check_part(archive, member, name, MAX_XML_ELEMENTS - elements)


def too_many_parts(count: int) -> str:
    return _("{n} parts in the package; a Word draft may have at most {limit}").format(
        n=f"{count:,}", limit=f"{MAX_PARTS:,}"
    )


def check_declared(member: zipfile.ZipInfo, name: str) -> None:
    """A part's zip entry, before anything is unpacked: its method, size and ratio."""
    part = member.filename
    if member.flag_bits & 0x1:
        raise refuse(
            name,
            _("{part} is encrypted; save the draft again from Word without a password").format(
                part=part
            ),
        )
    if member.compress_type not in KNOWN_METHODS:
        raise refuse(
            name,
            _(
                "{part} is packed with zip method {method}, which Word never uses; save the "
                "draft again from Word"
            ).format(part=part, method=member.compress_type),
        )
    if member.file_size > MAX_PART_BYTES:
        raise refuse(
            name,
            _("{part} unpacks to {size}; a part of a Word draft may be at most {limit}").format(
                part=part,
                size=_megabytes(member.file_size),
                limit=_megabytes(MAX_PART_BYTES),
            ),
        )
    packed = max(member.compress_size, 1)
    if member.file_size > RATIO_FLOOR and member.file_size > packed * MAX_RATIO:
        raise refuse(
            name,
            _(
                "{part} unpacks {ratio} times larger than it is packed; a part of a Word draft "
                "may unpack at most {limit} times larger"
            ).format(part=part, ratio=f"{member.file_size // packed:,}", limit=MAX_RATIO),
        )


class PartReader:
    """A part as it unpacks, for a parser: never more than its entry declares, and exactly
    that much by its end (zipfile stops at the declared size and checks the CRC)."""

    def __init__(self, stream, member: zipfile.ZipInfo, head: bytes):
        self.stream, self.member, self.pending = stream, member, head
        self.size = len(head)

    def read(self, n: int = CHUNK) -> bytes:
        if self.pending:
            data, self.pending = self.pending[:n], self.pending[n:]
            return data
        data = self.stream.read(min(max(n, 1), CHUNK))
        self.size += len(data)
        if self.size > self.member.file_size or (not data and self.size != self.member.file_size):
            raise zipfile.BadZipFile("size")
        return data

    def drain(self) -> None:
        self.pending = b""
        while self.read(CHUNK):
            pass


def xml_like(head: bytes) -> bool:
    """Whether a part is text an XML parser would read as XML: after an encoding mark and
    white space, it starts with <."""
    if head.startswith(EBCDIC_XML):
        return True
    for mark, encoding in BOMS:
        if head.startswith(mark):
            text = head[len(mark) :].decode(encoding, errors="ignore")
            return text.lstrip(" \t\r\n").startswith("<")
    return head.replace(b"\x00", b"").lstrip(b" \t\r\n").startswith(b"<")


def check_part(archive: zipfile.ZipFile, member: zipfile.ZipInfo, name: str, left: int) -> int:
    """Unpack one part within its declared size; parse it if an XML parser would read it.
    Returns its element count (0 for a picture or other binary part)."""
    try:
        with archive.open(member) as stream:
            reader = PartReader(stream, member, b"")
            head = reader.read(4096)
            reader.pending = head
            if member.filename.lower().endswith(XML_SUFFIXES) or xml_like(head):
                return count_elements(reader, member, name, left)
            reader.drain()
            return 0
    except (zipfile.BadZipFile, EOFError, OSError, ValueError, RuntimeError) as error:
        raise refuse(
            name,
            _("{part} cannot be unpacked ({reason}); save the draft again from Word").format(
                part=member.filename, reason=type(error).__name__
            ),
        ) from None


def count_elements(stream, member: zipfile.ZipInfo, name: str, left: int) -> int:
    """Stream one XML part through a parser that loads no DTD, expands no entity and reaches
    no network, keeping only the current path in memory; return its element count."""
    from lxml import etree

    count = 0
    try:
        events = etree.iterparse(
            stream,
            events=("start", "end"),
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            huge_tree=False,
        )
        for event, element in events:
            if event == "end":
                element.clear()
                continue
            if count == 0 and declares_dtd(element.getroottree().docinfo):
                raise refuse(
                    name,
                    _(
                        "{part} declares a document type (<!DOCTYPE>); Word never writes "
                        "one, and its entities could expand without limit"
                    ).format(part=member.filename),
                )
            count += 1
            if count > left:
                raise refuse(
                    name,
                    _("more than {n} XML elements; a Word draft may have at most that many").format(
                        n=f"{MAX_XML_ELEMENTS:,}"
                    ),
                )
        stream.drain()  # what follows the root element, if anything
    except etree.XMLSyntaxError as error:
        if error.lineno:
            message = _(
                "{part} is not well-formed XML (line {line}): the draft is damaged; save it "
                "again from Word"
            )
        else:
            message = _(
                "{part} is not well-formed XML: the draft is damaged; save it again from Word"
            )
        raise refuse(name, message.format(part=member.filename, line=error.lineno)) from None
    return count


def declares_dtd(docinfo) -> bool:
    return bool(
        docinfo.doctype
        or docinfo.internalDTD is not None
        or docinfo.externalDTD is not None
        or docinfo.system_url
        or docinfo.public_id
    )


def parse_part(blob: bytes, name: str, partname: str):
    """A part that python-docx leaves as bytes (footnotes), parsed like its own parts."""
    from docx.oxml.parser import parse_xml
    from lxml import etree

    try:
        return parse_xml(blob)
    except (etree.XMLSyntaxError, ValueError):
        raise refuse(
            name,
            _(
                "{part} is not well-formed XML: the draft is damaged; save it again from Word"
            ).format(part=partname),
        ) from None
