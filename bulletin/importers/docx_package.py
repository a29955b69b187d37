"""Opening a Word .docx within budgets: sizes, XML without DTDs or entities, element count."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from ..content.loader import display_path
from ..errors import ImportFormatError, Problem
from ..i18n import _

# A draft with a few dozen photos is a few MB; a scanned-in report may reach tens.
MAX_DOCX_BYTES = 50 * 1024 * 1024
# What the parts unpack to, all together (pictures included) and for one XML part: parsing
# holds a part in memory several times over, so XML is held to less than the whole.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_XML_PART_BYTES = 50 * 1024 * 1024
# Elements in all XML parts together; a 300-page report has about 400,000.
MAX_XML_ELEMENTS = 2_000_000
XML_SUFFIXES = (".xml", ".rels")


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


def check_package(data: bytes, name: str) -> None:
    """Refuse a package over budget, or with XML that is malformed or declares a DTD."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError):
        raise refuse(name, _("not a Word .docx document (not a zip package)")) from None
    with archive:
        members = archive.infolist()
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
            if not member.filename.lower().endswith(XML_SUFFIXES):
                continue
            if member.file_size > MAX_XML_PART_BYTES:
                raise refuse(
                    name,
                    _("{part} unpacks to {size}; an XML part may be at most {limit}").format(
                        part=member.filename,
                        size=_megabytes(member.file_size),
                        limit=_megabytes(MAX_XML_PART_BYTES),
                    ),
                )
            elements += count_elements(archive, member, name, MAX_XML_ELEMENTS - elements)


def count_elements(archive: zipfile.ZipFile, member: zipfile.ZipInfo, name: str, left: int) -> int:
    """Stream one XML part through a parser that loads no DTD, expands no entity and reaches
    no network, keeping only the current path in memory; return its element count."""
    from lxml import etree

    count = 0
    try:
        with archive.open(member) as stream:
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
                if count == 0 and element.getroottree().docinfo.doctype:
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
                        _(
                            "more than {n} XML elements; a Word draft may have at most that many"
                        ).format(n=f"{MAX_XML_ELEMENTS:,}"),
                    )
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
    except (zipfile.BadZipFile, EOFError, OSError, ValueError) as error:
        raise refuse(
            name,
            _("{part} cannot be unpacked ({reason}); save the draft again from Word").format(
                part=member.filename, reason=type(error).__name__
            ),
        ) from None
    return count


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
