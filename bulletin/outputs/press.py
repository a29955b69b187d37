"""The press PDF: A4 trim with 3 mm bleed, crop marks outside the bleed, PDF/X-4 in CMYK."""

from __future__ import annotations

import io
from pathlib import Path

from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

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
# Registration colour, the Separation /All: the marks print on every plate, extra plates
# included, so each plate can be trimmed and registered.
REGISTRATION_NAME = "/Registration"
REGISTRATION = f"{REGISTRATION_NAME} CS 1 SCN".encode()

# The registered printing condition of the bundled profile (ICC characterization data
# registry), as a print shop's preflight reads it from the output intent.
FOGRA39_INTENT = {
    "/OutputConditionIdentifier": "FOGRA39",
    "/OutputCondition": (
        "Offset commercial and specialty printing according to ISO 12647-2:2004 / Amd 1, "
        "paper type 1 or 2 (gloss or matte coated offset paper, 115 g/m2), screen ruling 60/cm"
    ),
    "/RegistryName": "http://www.color.org",
    "/Info": "Coated FOGRA39 (ISO 12647-2:2004)",
}


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


def registration_colour_space() -> ArrayObject:
    """Separation /All over DeviceCMYK: tint t prints t on every plate."""
    tint_transform = DictionaryObject(
        {
            NameObject("/FunctionType"): NumberObject(2),
            NameObject("/Domain"): ArrayObject([NumberObject(0), NumberObject(1)]),
            NameObject("/C0"): ArrayObject([NumberObject(0)] * 4),
            NameObject("/C1"): ArrayObject([NumberObject(1)] * 4),
            NameObject("/N"): NumberObject(1),
        }
    )
    return ArrayObject(
        [NameObject("/Separation"), NameObject("/All"), NameObject("/DeviceCMYK"), tint_transform]
    )


def finish_press_pdf(pdf: bytes, output_intent: dict[str, str] | None) -> bytes:
    """Make the engine's PDF/X-4 what a RIP accepts.

    Each page is widened by a slug outside its bleed with crop marks in the registration
    colour there (the engine writes MediaBox = trim + bleed; this sets BleedBox = trim +
    3 mm and MediaBox = bleed + slug). Links go (PDF/X allows no annotation in the printed
    area; the outline stays), the output intent names its registered condition, and the
    header keeps the engine's PDF version.
    """
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)), keep_initial_header=True)
    if output_intent:
        for intent in writer.root_object.get("/OutputIntents", ArrayObject()):
            intent = intent.get_object()
            if intent.get("/S") == "/GTS_PDFX":
                for key, value in output_intent.items():
                    intent[NameObject(key)] = TextStringObject(value)
    for page in writer.pages:
        if "/Annots" in page:
            del page[NameObject("/Annots")]
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
    # merge_page copies this colour space into the page's resources under the same name.
    overlay[NameObject("/Resources")] = DictionaryObject(
        {
            NameObject("/ColorSpace"): DictionaryObject(
                {NameObject(REGISTRATION_NAME): registration_colour_space()}
            )
        }
    )
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
        # A profile of the shop's own names its condition itself (the engine takes its
        # description as the identifier); the bundled one is registered as FOGRA39.
        return finish_press_pdf(data, None if request.profile else FOGRA39_INTENT)


def default_profile() -> Path:
    profile = press_profile()
    if not profile.is_file():
        raise BuildError(
            profile,
            "profile",
            "the bundled press profile is missing; reinstall bulletin or pass --profile FILE.icc",
        )
    return profile


KIND = PressPdf()
