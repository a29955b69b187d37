"""The press PDF: A4 trim with 3 mm bleed, crop marks outside the bleed, PDF/X-4 in CMYK."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    BooleanObject,
    ContentStream,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

from bulletin.data import press_profile
from bulletin.errors import BuildError
from bulletin.i18n import N_, _
from bulletin.outputs.base import PdfKind
from bulletin.outputs.press_pictures import separate_pictures

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

ICC_REGISTRY = "http://www.color.org"
# The registered printing condition of the bundled profile (ICC characterization data
# registry), as a print shop's preflight reads it from the output intent.
FOGRA39_INTENT = {
    "/OutputConditionIdentifier": "FOGRA39",
    "/OutputCondition": (
        "Offset commercial and specialty printing according to ISO 12647-2:2004 / Amd 1, "
        "paper type 1 or 2 (gloss or matte coated offset paper, 115 g/m2), screen ruling 60/cm"
    ),
    "/RegistryName": ICC_REGISTRY,
    "/Info": "Coated FOGRA39 (ISO 12647-2:2004)",
}

# Overprint: solid black (DeviceCMYK 0 0 0 1) prints over the colour beneath instead of
# knocking it out, so misregistration shows no white halo around black text and rules.
SOLID_K = (0.0, 0.0, 0.0, 1.0)
FILL_PAINT = frozenset((b"f", b"F", b"f*"))
STROKE_PAINT = frozenset((b"S", b"s"))
BOTH_PAINT = frozenset((b"B", b"B*", b"b", b"b*"))
TEXT_SHOW = frozenset((b"Tj", b"TJ", b"'", b'"'))


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


def overprint_solid_black(writer: PdfWriter) -> None:
    """Paint solid black (DeviceCMYK 0 0 0 1) with overprint on, in pages and their forms.

    Before each painting operator the overprint flags are set (lazily, only when they
    change) from the colour it paints with: /op and /OP true with /OPM 1 for solid black,
    back to the default (knock out) for any other colour, images and shadings.
    """
    seen: set = set()
    for page in writer.pages:
        content = page.get_contents()  # parsed once: wrapping it again would parse it twice
        if content is None:
            continue
        content.operations = _overprinted(content.operations, _resources(page), seen, True)
        page.replace_contents(content)


def _resources(holder) -> DictionaryObject:
    if "/Resources" not in holder:
        holder[NameObject("/Resources")] = DictionaryObject()
    return holder["/Resources"].get_object()


def _overprint_stream(stream, seen: set) -> None:
    """The same for a form XObject or tiling pattern, drawn once however often it is used."""
    key = stream.indirect_reference.idnum if stream.indirect_reference else id(stream)
    if key in seen:
        return
    seen.add(key)
    content = ContentStream(stream, None)
    # The stream inherits whatever overprint its caller had: set it before the first paint.
    content.operations = _overprinted(content.operations, _resources(stream), seen, False)
    stream.set_data(content.get_data())


def _colour_space(name, resources) -> str:
    if name in ("/DeviceCMYK", "/CMYK"):
        return "/DeviceCMYK"
    value = ((resources.get("/ColorSpace") or {}).get(name) or name).get_object()
    return str(value) if isinstance(value, NameObject) else str(name)


def _overprinted(operations: list, resources, seen: set, known: bool) -> list:
    states = resources.get("/ExtGState")
    if states is None:
        states = resources[NameObject("/ExtGState")] = DictionaryObject()
    states = states.get_object()
    xobjects = (resources.get("/XObject") or DictionaryObject()).get_object()
    patterns = (resources.get("/Pattern") or DictionaryObject()).get_object()
    # [fill space, stroke space, fill is solid K, stroke is solid K, text render mode,
    #  (op, OP) in force or None when unknown]
    state: list = ["/DeviceGray", "/DeviceGray", False, False, 0, (False, False) if known else None]
    stack: list = []
    out = []
    for operands, op in operations:
        want = None
        if op == b"q":
            stack.append(list(state))
        elif op == b"Q" and stack:
            state = stack.pop()
        elif op in (b"cs", b"CS"):
            stroke = int(op == b"CS")
            state[stroke] = _colour_space(operands[0], resources)
            state[2 + stroke] = state[stroke] == "/DeviceCMYK"  # its initial colour: 0 0 0 1
        elif op in (b"sc", b"scn", b"SC", b"SCN", b"k", b"K", b"g", b"G", b"rg", b"RG"):
            stroke = int(op.isupper())
            if op in (b"k", b"K", b"g", b"G", b"rg", b"RG"):
                state[stroke] = {b"k": "/DeviceCMYK", b"g": "/DeviceGray"}.get(op.lower(), "")
            if operands and isinstance(operands[-1], NameObject):  # a pattern
                pattern = patterns.get(operands[-1])
                if pattern is not None and pattern.get_object().get("/PatternType") == 1:
                    _overprint_stream(pattern.get_object(), seen)
                state[2 + stroke] = False
            else:
                values = tuple(float(v) for v in operands)
                state[2 + stroke] = state[stroke] == "/DeviceCMYK" and values == SOLID_K
        elif op == b"Tr":
            state[4] = int(operands[0])
        elif op == b"gs":
            extra = (states.get(operands[0]) or DictionaryObject()).get_object()
            if "/OP" in extra or "/op" in extra:
                state[5] = None
        elif op in FILL_PAINT:
            want = (state[2], None)
        elif op in STROKE_PAINT:
            want = (None, state[3])
        elif op in BOTH_PAINT:
            want = (state[2], state[3])
        elif op in TEXT_SHOW:
            mode = state[4] % 4
            want = ((state[2], None), (None, state[3]), (state[2], state[3]), None)[mode]
        elif op in (b"sh", b"Do", b"INLINE IMAGE"):
            want = _image_want(op, operands, xobjects, state[2], seen)
        if want is not None:
            state[5] = _set_overprint(want, state[5], states, out)
        out.append((operands, op))
    return out


def _image_want(op: bytes, operands, xobjects, fill_solid: bool, seen: set):
    """Images and shadings knock out; a stencil mask paints in the fill colour."""
    if op == b"Do":
        xobject = (xobjects.get(operands[0]) or DictionaryObject()).get_object()
        if xobject.get("/Subtype") == "/Form":
            _overprint_stream(xobject, seen)
            return None
        mask = xobject.get("/ImageMask") in (True,)  # pypdf's BooleanObject(False) is truthy
    elif op == b"INLINE IMAGE":
        settings = operands["settings"]
        mask = settings.get("/IM", settings.get("/ImageMask")) in (True,)
    else:
        mask = False
    return (fill_solid and mask, None)


def _set_overprint(want, flags, states, out: list):
    """Append the `gs` that gives the wanted (op, OP), None meaning "either"; the new flags."""
    fill, stroke = want
    if flags is not None and fill in (None, flags[0]) and stroke in (None, flags[1]):
        return flags
    fill = stroke if fill is None else fill
    stroke = fill if stroke is None else stroke
    name = NameObject(f"/OPf{int(fill)}s{int(stroke)}")
    if name not in states:
        states[name] = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/ExtGState"),
                NameObject("/op"): BooleanObject(fill),
                NameObject("/OP"): BooleanObject(stroke),
                NameObject("/OPM"): NumberObject(1 if fill or stroke else 0),
            }
        )
    out.append(([name], b"gs"))
    return (fill, stroke)


def finish_press_pdf(
    pdf: bytes, output_intent: dict[str, str] | None, profile: Path | None = None
) -> bytes:
    """Make the engine's PDF/X-4 what a RIP accepts.

    Each page is widened by a slug outside its bleed with crop marks in the registration
    colour there (the engine writes MediaBox = trim + bleed; this sets BleedBox = trim +
    3 mm and MediaBox = bleed + slug). Solid black overprints. Links go (PDF/X allows no
    annotation in the printed area; the outline stays), the output intent names its
    registered condition, and the header keeps the engine's PDF version. With `profile`,
    the press's CMYK profile, RGB pictures are separated into its CMYK (press_pictures).
    """
    from bulletin.engine.pdf_metadata import metadata_entry_first

    reader = PdfReader(io.BytesIO(pdf))
    metadata_entry_first(reader.root_object)  # the XMP packet stays at the head of the file
    writer = PdfWriter(clone_from=reader, keep_initial_header=True)
    if profile is not None:
        separate_pictures(writer, profile)
    overprint_solid_black(writer)
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


@dataclass(frozen=True)
class PressOptions:
    """The press PDF's own options: the shop's CMYK profile and the condition it stands for."""

    profile: Path | None = None
    condition: str | None = None


class PressPdf(PdfKind):
    """PDF/X-4 for the print shop: CMYK through the press profile, bleed and crop marks."""

    name = "press"
    label = N_("press PDF")
    help = N_("For the print shop: PDF/X-4, CMYK, 3 mm bleed, crop marks (NAME-press.pdf).")
    render_mode = "press"
    suffix = "-press"
    options = PressOptions

    def pdf_data(self, document, request, identity: str) -> bytes:
        from bulletin.engine import typeset

        options = request.options or PressOptions()
        profile = options.profile or default_profile()
        data = typeset.pdf_bytes(
            document, variant="pdf/x-4", cmyk_profile=profile, identity=identity
        )
        intent = output_intent(options.profile, options.condition)
        return finish_press_pdf(data, intent, profile)


def output_intent(profile: Path | None, condition: str | None) -> dict[str, str]:
    """The output intent's keys: FOGRA39 for the bundled profile, else the shop's condition.

    A shop's profile is described by its own description (the engine already made that
    the identifier); `condition` names the registered condition it stands for instead.
    """
    if profile is None:
        return FOGRA39_INTENT
    intent = {"/OutputCondition": profile_description(profile), "/RegistryName": ICC_REGISTRY}
    if condition:
        intent["/OutputConditionIdentifier"] = condition
    return intent


def profile_description(profile: Path) -> str:
    """An ICC profile's description (its `desc` tag), or its model, or its file name."""
    from PIL.ImageCms import ImageCmsProfile

    try:
        read = ImageCmsProfile(io.BytesIO(profile.read_bytes())).profile
    except OSError as error:
        reason = _("cannot read: {reason}").format(reason=error.strerror or error)
        raise BuildError(profile, "profile", reason) from None
    return (read.profile_description or read.model or profile.stem).strip()


def default_profile() -> Path:
    profile = press_profile()
    if not profile.is_file():
        raise BuildError(
            profile,
            "profile",
            _(
                "the bundled press profile is missing; reinstall bulletin or pass "
                "--profile FILE.icc"
            ),
        )
    return profile


KIND = PressPdf()
