"""The booklet: the issue imposed for saddle stitching, two A4 pages a side on A3 sheets."""

from __future__ import annotations

import hashlib
import io

from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    ByteStringObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
    StreamObject,
)

from bulletin import counts
from bulletin.i18n import N_, n_
from bulletin.outputs.base import PdfKind
from bulletin.outputs.office import office_pdf

# What the booklet keeps from the office PDF's catalogue besides the document information.
# Links, page labels and the structure tree belong to the A4 pages, not to the A3 sides.
CARRIED_OVER = ("/Lang", "/ViewerPreferences")


def padded_order(page_count: int) -> list[int | None]:
    """Page indices padded to a multiple of 4; blanks (None) go just before the back cover."""
    pages: list[int | None] = list(range(page_count))
    blanks = -page_count % 4
    if page_count > 1:
        pages[-1:-1] = [None] * blanks
    else:
        pages += [None] * blanks
    return pages


def sheet_sides(pages: list[int | None]) -> list[tuple[int | None, int | None]]:
    """(left, right) page of each printed side, in printing order: front, back, front, …

    Folded and nested, sheet 1 carries the outermost pages: its front shows the last page
    (left) and the first (right); its back the second (left) and the one before last.
    """
    count = len(pages)
    sides = []
    for sheet in range(count // 4):
        outer = 2 * sheet
        sides.append((pages[count - 1 - outer], pages[outer]))
        sides.append((pages[outer + 1], pages[count - 2 - outer]))
    return sides


def impose_booklet(pdf: bytes) -> bytes:
    """Impose A4 pages two-up on A3 landscape sides, duplex-ready (flip on the short edge).

    Each A4 page becomes a form XObject drawn on its half of the side: its drawing is
    copied, not parsed, and the form's bounding box clips it to the page, so nothing
    spills onto its neighbour. Links are left behind (they point into the A4 pages).
    """
    reader = PdfReader(io.BytesIO(pdf))
    width = max(float(p.mediabox.width) for p in reader.pages)
    height = max(float(p.mediabox.height) for p in reader.pages)
    writer = PdfWriter()
    writer.pdf_header = reader.pdf_header  # the office PDF's version, not pypdf's 1.3
    _carry_over_metadata(reader, writer, pdf)  # first: the XMP packet heads the file
    forms: dict[int, IndirectObject] = {}
    for left, right in sheet_sides(padded_order(len(reader.pages))):
        side = writer.add_blank_page(width=2 * width, height=height)
        placed = DictionaryObject()
        drawing = []
        for index, offset in ((left, 0.0), (right, width)):
            if index is None:
                continue
            if index not in forms:  # pypdf 7 registers an indirect object only this way
                forms[index] = writer._add_object(_page_form(reader.pages[index], writer))
            box = reader.pages[index].mediabox
            name = f"/Page{index}"
            placed[NameObject(name)] = forms[index]
            x, y = offset - float(box.left), -float(box.bottom)
            drawing.append(f"q 1 0 0 1 {x:g} {y:g} cm {name} Do Q")
        side[NameObject("/Resources")] = DictionaryObject({NameObject("/XObject"): placed})
        contents = DecodedStreamObject()
        contents.set_data("\n".join(drawing).encode())
        side.replace_contents(contents)
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def _page_form(page: PageObject, writer: PdfWriter) -> StreamObject:
    """The page's drawing as a form XObject in `writer`, clipped to the page's box."""
    contents = page.get_contents()
    form = DecodedStreamObject()
    form.set_data(contents.get_data() if contents is not None else b"")
    form.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Form"),
            NameObject("/BBox"): ArrayObject(FloatObject(v) for v in page.mediabox),
            NameObject("/Resources"): page["/Resources"].get_object().clone(writer),
        }
    )
    if "/Group" in page:  # the page's transparency group is the form's
        form[NameObject("/Group")] = page["/Group"].get_object().clone(writer)
    return form.flate_encode()


def _carry_over_metadata(reader: PdfReader, writer: PdfWriter, pdf: bytes) -> None:
    """Document information, XMP, language and viewer preferences, as in the office PDF.

    The trailer /ID keeps the office PDF's first part (the same document) and has its
    own second part, a digest of the office PDF it was imposed from (another file).
    """
    root = reader.root_object
    if "/Metadata" in root:
        xmp = root["/Metadata"].get_object()
        writer.xmp_metadata = xmp.get_data()
        stream = writer.root_object["/Metadata"].get_object()
        for key in ("/Type", "/Subtype"):
            stream[NameObject(key)] = xmp[key]
    if reader.metadata:
        writer.add_metadata(dict(reader.metadata))
    for key in CARRIED_OVER:
        if key in root:
            writer.root_object[NameObject(key)] = root[key].get_object().clone(writer)
    imposed = hashlib.sha256(b"booklet\0" + pdf).hexdigest()[:32].encode()
    identifiers = reader.trailer.get("/ID")
    first = identifiers[0].original_bytes if identifiers else imposed
    # pypdf has no public way to set the file identifier
    writer._ID = ArrayObject([ByteStringObject(first), ByteStringObject(imposed)])


class Booklet(PdfKind):
    """The office PDF imposed on A3 sheets for saddle stitching."""

    name = "booklet"
    label = N_("booklet")
    help = N_(
        "For the office printer: A3 sheets, two pages a side, in saddle-stitch order, "
        "duplex (NAME-booklet.pdf)."
    )
    suffix = "-booklet"

    def made(self, result) -> str:
        """`8 pages on 2 A3 sheets`."""
        sheets = -(-result.pages // 4)
        return n_("{pages} on {n} A3 sheet", "{pages} on {n} A3 sheets", sheets).format(
            pages=counts.pages(result.pages), n=sheets
        )

    def pdf_data(self, document, request, identity: str) -> bytes:
        # Imposed from the office PDF itself (so `publish` writes it once for both); two
        # pages on one side leave no structure tree to keep, and imposing drops it.
        return impose_booklet(office_pdf(document, identity))


KIND = Booklet()
