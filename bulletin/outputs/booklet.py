"""The booklet: the issue imposed for saddle stitching, two A4 pages a side on A3 sheets."""

from __future__ import annotations

import io

from pypdf import PageObject, PdfReader, PdfWriter, Transformation
from pypdf.generic import DecodedStreamObject, NameObject

from .base import PdfKind
from .office import office_pdf

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
    """Impose A4 pages two-up on A3 landscape sides, duplex-ready (flip on the short edge)."""
    reader = PdfReader(io.BytesIO(pdf))
    # Pages attached to a writer can have their drawing changed (clipped) in place.
    source = PdfWriter(clone_from=reader).pages
    width = max(float(p.mediabox.width) for p in source)
    height = max(float(p.mediabox.height) for p in source)
    writer = PdfWriter()
    writer.pdf_header = reader.pdf_header  # the office PDF's version, not pypdf's 1.3
    for left, right in sheet_sides(padded_order(len(source))):
        side = PageObject.create_blank_page(width=2 * width, height=height)
        for index, offset in ((left, 0.0), (right, width)):
            if index is None:
                continue
            page = _clipped(source[index])
            # Links would point into the A4 pages, which the booklet does not contain.
            if "/Annots" in page:
                del page[NameObject("/Annots")]
            box = page.mediabox
            move = Transformation().translate(offset - float(box.left), -float(box.bottom))
            side.merge_transformed_page(page, move)
        if "/Annots" in side:  # merging leaves an empty array
            del side[NameObject("/Annots")]
        writer.add_page(side)
    _carry_over_metadata(reader, writer)
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def _carry_over_metadata(reader: PdfReader, writer: PdfWriter) -> None:
    """Document information, XMP, language and viewer preferences, as in the office PDF."""
    if reader.metadata:
        writer.add_metadata(dict(reader.metadata))
    root = reader.root_object
    for key in CARRIED_OVER:
        if key in root:
            writer.root_object[NameObject(key)] = root[key].get_object().clone(writer)
    if "/Metadata" in root:
        xmp = root["/Metadata"].get_object()
        writer.xmp_metadata = xmp.get_data()
        stream = writer.root_object["/Metadata"].get_object()
        for key in ("/Type", "/Subtype"):
            stream[NameObject(key)] = xmp[key]


def _clipped(page: PageObject) -> PageObject:
    """The page with its drawing clipped to its box, so nothing spills onto its neighbour."""
    box = page.mediabox
    contents = page.get_contents()
    data = contents.get_data() if contents is not None else b""
    clip = (
        f"q {float(box.left)} {float(box.bottom)} {float(box.width)} {float(box.height)} re W n\n"
    )
    stream = DecodedStreamObject()
    stream.set_data(clip.encode() + data + b"\nQ\n")
    page.replace_contents(stream)
    return page


class Booklet(PdfKind):
    """The office PDF imposed on A3 sheets for saddle stitching."""

    name = "booklet"
    suffix = "-booklet"

    def pdf_data(self, document, request, identity: str) -> bytes:
        # Imposed from the office PDF itself (so `publish` writes it once for both); two
        # pages on one side leave no structure tree to keep, and imposing drops it.
        return impose_booklet(office_pdf(document, identity))


KIND = Booklet()
