"""The press PDF: A4 trim with 3 mm bleed, crop marks outside the bleed, PDF/X-4 in CMYK."""

from __future__ import annotations

import io
from pathlib import Path

from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DecodedStreamObject, FloatObject, NameObject

from ..data import press_profile
from ..errors import BuildError
from .base import PdfKind

MM = 72 / 25.4
BLEED_MM = 3.0
# Crop marks start this far outside the bleed, are this long, and the sheet extends this
# far beyond the bleed to hold them (the slug).
MARK_OFFSET_MM = 1.0
MARK_LENGTH_MM = 6.0
SLUG_MM = MARK_OFFSET_MM + MARK_LENGTH_MM + 2.0
MARK_WIDTH_PT = 0.25
# Registration colour: the marks print on every plate, so each plate can be trimmed.
REGISTRATION = b"1 1 1 1 K"


def _box(values) -> ArrayObject:
    return ArrayObject(FloatObject(round(v, 4)) for v in values)


def crop_marks(trim: tuple[float, float, float, float]) -> bytes:
    """Content stream drawing the eight crop marks of a page trimmed to `trim`."""
    left, bottom, right, top = trim
    start = (BLEED_MM + MARK_OFFSET_MM) * MM
    end = start + MARK_LENGTH_MM * MM
    segments = []
    for x in (left, right):
        for y, direction in ((top, 1), (bottom, -1)):
            segments.append((x, y + direction * start, x, y + direction * end))
    for y in (top, bottom):
        for x, direction in ((left, -1), (right, 1)):
            segments.append((x + direction * start, y, x + direction * end, y))
    lines = [f"{x0:.3f} {y0:.3f} m {x1:.3f} {y1:.3f} l S" for x0, y0, x1, y1 in segments]
    body = "\n".join(lines).encode()
    return b"q\n" + REGISTRATION + f"\n{MARK_WIDTH_PT} w\n".encode() + body + b"\nQ\n"


def add_crop_marks(pdf: bytes) -> bytes:
    """Widen each page by a slug outside its bleed and draw crop marks there.

    The engine writes MediaBox = trim + bleed and TrimBox = the A4 page; this sets
    BleedBox = trim + 3 mm and MediaBox = bleed + slug, and keeps everything else.
    """
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    for page in writer.pages:
        trim = tuple(float(v) for v in page.trimbox)
        bleed = BLEED_MM * MM
        outer = (BLEED_MM + SLUG_MM) * MM
        left, bottom, right, top = trim
        page[NameObject("/BleedBox")] = _box(
            (left - bleed, bottom - bleed, right + bleed, top + bleed)
        )
        page[NameObject("/MediaBox")] = _box(
            (left - outer, bottom - outer, right + outer, top + outer)
        )
        # merge_page wraps the page's own drawing in q/Q, so the marks land in page space.
        page.merge_page(_marks_page(page, trim), over=True)
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def _marks_page(page: PageObject, trim: tuple[float, float, float, float]) -> PageObject:
    """A transparent page of the same size holding only the crop marks."""
    overlay = PageObject.create_blank_page(
        width=float(page.mediabox.width), height=float(page.mediabox.height)
    )
    # Same box as the page: pypdf clips the merged drawing to it.
    overlay.mediabox = page.mediabox
    stream = DecodedStreamObject()
    stream.set_data(crop_marks(trim))
    overlay.replace_contents(stream)
    return overlay


class PressPdf(PdfKind):
    """PDF/X-4 for the print shop: CMYK through the press profile, bleed and crop marks."""

    name = "press"
    render_mode = "press"
    suffix = "-press"

    def pdf_data(self, document, request, identity: str) -> bytes:
        from ..engine import typeset

        profile = request.profile or default_profile()
        data = typeset.pdf_bytes(
            document, variant="pdf/x-4", cmyk_profile=profile, identity=identity
        )
        return add_crop_marks(data)


def default_profile() -> Path:
    profile = press_profile()
    if not profile.is_file():
        raise BuildError(
            f"{profile}: profile: the bundled press profile is missing; reinstall bulletin "
            "or pass --profile FILE.icc"
        )
    return profile


KIND = PressPdf()
