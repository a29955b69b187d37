"""The print shop's preflight of a press PDF: PDF/X keys, metadata, inks, bleed, images, text."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from bulletin.content.resolution import PRESS_PPI, REFUSED_PPI
from bulletin.outputs.press import BLEED_MM, MM
from bulletin.outputs.press_pictures import MAX_INK  # total area coverage, the sum of the inks
from bulletin.preflight.report import Violation

MIN_IMAGE_DPI = PRESS_PPI
SMALL_TEXT_PT = 12.0
MIN_VERSION = (1, 6)  # PDF/X-4
INTENT_KEYS = ("/OutputConditionIdentifier", "/OutputCondition", "/RegistryName")
PDFXID = "http://www.npes.org/pdfx/ns/id/"
DOCUMENT = 0  # the page number of a violation of the whole file
IDENTITY = (1, 0, 0, 1, 0, 0)
# Filters whose data is a picture format of its own (JPEG, JPEG 2000, fax, JBIG2).
IMAGE_CODECS = {"/DCTDecode", "/JPXDecode", "/CCITTFaxDecode", "/JBIG2Decode"}


def check_press(reader) -> list[Violation]:
    """What a print shop checks of the file (a pypdf reader) and of each page's drawing."""
    found = check_header(reader) + check_output_intent(reader) + check_metadata(reader)
    for number, page in enumerate(reader.pages, 1):
        found += check_bleed(page, number)
        for annotation in page.get("/Annots") or []:
            subtype = annotation.get_object().get("/Subtype", "?")
            found.append(Violation(number, "annotation", f"{subtype} annotation"))
        contents = page.get_contents()
        if contents is not None:
            _walk_colours(contents, page.get("/Resources"), number, IDENTITY, found, set())
    return found


def check_header(reader) -> list[Violation]:
    header = str(reader.pdf_header)
    match = re.fullmatch(r"%PDF-(\d+)\.(\d+)", header.strip())
    if match and tuple(int(n) for n in match.groups()) >= MIN_VERSION:
        return []
    return [Violation(DOCUMENT, "PDF version below 1.6", f"header {header}; PDF/X-4 needs 1.6")]


def check_output_intent(reader) -> list[Violation]:
    """A PDF/X output intent naming its condition, with the CMYK profile of that condition."""
    intents = [i.get_object() for i in reader.trailer["/Root"].get("/OutputIntents") or []]
    intent = next((i for i in intents if i.get("/S") == "/GTS_PDFX"), None)
    if intent is None:
        return [Violation(DOCUMENT, "output intent", "no /GTS_PDFX output intent")]
    found = [
        Violation(DOCUMENT, "output intent", f"no {key[1:]}")
        for key in INTENT_KEYS
        if not str(intent.get(key, "")).strip()
    ]
    profile = intent.get("/DestOutputProfile")
    profile = profile.get_object() if profile is not None else None
    if profile is None or not hasattr(profile, "get_data"):
        found.append(Violation(DOCUMENT, "output intent", "no embedded DestOutputProfile"))
    elif profile.get("/N") != 4 or profile.get_data()[16:20] != b"CMYK":
        found.append(Violation(DOCUMENT, "output intent", "DestOutputProfile is not CMYK"))
    return found


def check_metadata(reader) -> list[Violation]:
    """XMP and the Info dictionary say the same, and the XMP names the PDF/X version."""
    try:
        xmp = reader.xmp_metadata
        if xmp is None:
            return [Violation(DOCUMENT, "metadata mismatch", "no XMP metadata")]
        in_xmp = {
            "Title": (xmp.dc_title or {}).get("x-default"),
            "Producer": xmp.pdf_producer,
            "CreationDate": _utc(xmp.xmp_create_date),
            "ModDate": _utc(xmp.xmp_modify_date),
        }
        version = list(xmp.get_element("", PDFXID, "GTS_PDFXVersion"))
    except Exception as error:  # pypdf and the XML parser raise many types for a bad packet
        return [Violation(DOCUMENT, "metadata mismatch", f"unreadable XMP: {error}")]
    info = reader.metadata
    in_info = {
        "Title": (info or {}).get("/Title"),
        "Producer": (info or {}).get("/Producer"),
        "CreationDate": _info_date(info, "creation_date"),
        "ModDate": _info_date(info, "modification_date"),
    }
    found = []
    for key, value in in_info.items():
        if value is None or in_xmp[key] is None:
            where = "XMP" if value is not None else "Info" if in_xmp[key] is not None else "both"
            found.append(Violation(DOCUMENT, "metadata mismatch", f"{key} missing from {where}"))
        elif str(value) != str(in_xmp[key]):
            found.append(
                Violation(DOCUMENT, "metadata mismatch", f"{key}: Info {value}, XMP {in_xmp[key]}")
            )
    if not version:
        found.append(Violation(DOCUMENT, "metadata mismatch", "no pdfxid:GTS_PDFXVersion"))
    return found


def _info_date(info, name: str) -> datetime | None:
    try:
        return _utc(getattr(info, name)) if info else None
    except ValueError:  # not a PDF date
        return None


def _utc(moment: datetime | None) -> datetime | None:
    """Comparable: aware times in UTC without their zone, naive ones as they are."""
    if moment is None or moment.tzinfo is None:
        return moment
    return moment.astimezone(UTC).replace(tzinfo=None)


def check_bleed(page, number: int) -> list[Violation]:
    trim, bleed = page.get("/TrimBox"), page.get("/BleedBox")
    if trim is None or bleed is None:
        return [Violation(number, "no bleed", "no TrimBox or BleedBox")]
    trim, bleed = [float(v) for v in trim], [float(v) for v in bleed]
    margins = (trim[0] - bleed[0], trim[1] - bleed[1], bleed[2] - trim[2], bleed[3] - trim[3])
    if min(margins) < BLEED_MM * MM - 0.01:
        found = f"{min(margins) / 72 * 25.4:.1f} mm; expected 3 mm"
        return [Violation(number, "no bleed", found)]
    return []


def check_press_text(chars: list[dict], page: int) -> list[Violation]:
    """Text colour: under 12 pt from one ink only, and black text solid, never a tint.

    One violation for each colour and size on the page, quoting the text set in it.
    """
    groups: dict[tuple, str] = {}
    for char in chars:
        colour = char.get("non_stroking_color")
        if not char["text"].strip() or not colour:
            continue
        if not all(isinstance(c, int | float) for c in colour):
            continue  # a pattern
        colour = tuple(round(float(c), 4) for c in colour)
        size = round(char["size"], 1)
        rule = _text_rule(colour, size)
        if rule:
            key = (rule, colour, size)
            groups[key] = groups.get(key, "") + char["text"]
    found = []
    for (rule, colour, size), text in groups.items():
        inks = " ".join(f"{c:g}" for c in colour)
        quoted = f"“{text[:12]}…”" if len(text) > 12 else f"“{text}”"
        found.append(Violation(page, rule, f"{size:g} pt in {inks}: {quoted}"))
    return found


def _text_rule(colour: tuple, size: float) -> str | None:
    if len(colour) == 4 and size < SMALL_TEXT_PT and sum(c > 0 for c in colour) > 1:
        return "multi-ink small text"
    black = colour[:3] == (0, 0, 0) if len(colour) == 4 else len(colour) == 1
    # Black: K only (CMYK), or grey (0 is black); a tint is neither solid nor paper white.
    tint = colour[-1] if len(colour) == 4 else 1 - colour[0] if colour else 0
    return "tinted text" if black and 0 < tint < 1 else None


def _space(space):
    """A PDF colour space (name or array) as a family name and its number of components."""
    space = space.get_object() if hasattr(space, "get_object") else space
    if isinstance(space, str):
        names = {"/DeviceRGB": 3, "/RGB": 3, "/CalRGB": 3, "/DeviceCMYK": 4, "/CMYK": 4}
        return ("/DeviceCMYK" if names.get(space) == 4 else space), names.get(space, 1)
    if isinstance(space, list) and space:
        family = space[0]
        if family == "/ICCBased":
            return family, int(space[1].get_object().get("/N", 0))
        if family in ("/Indexed", "/Separation", "/DeviceN"):
            base_n = _space(space[1] if family == "/Indexed" else space[2])[1]
            return family, base_n if base_n == 3 else 0  # only an RGB base matters
        return family, 3 if family == "/CalRGB" else 0
    return "", 0


def _multiply(m, n):
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (
        a * a2 + b * c2,
        a * b2 + b * d2,
        c * a2 + d * c2,
        c * b2 + d * d2,
        e * a2 + f * c2 + e2,
        e * b2 + f * d2 + f2,
    )


def _check_ink(values, where: str, page: int, found: list) -> None:
    """A CMYK colour: never all four inks solid, and within the total area coverage."""
    total = sum(values)
    if all(v >= 1 for v in values):
        found.append(Violation(page, "400 % CMYK", f"{where}: use the registration colour"))
    elif total > MAX_INK + 1e-6:
        found.append(Violation(page, "ink over 300 %", f"{total * 100:.0f} % in {where}"))


def _walk_colours(content, resources, page: int, ctm, found: list, seen: set) -> None:
    """Operators of a content stream (and the forms it draws): colours, inks and images."""
    from pypdf.generic import ContentStream, NameObject

    stack = []
    spaces = (resources or {}).get("/ColorSpace") or {}
    xobjects = (resources or {}).get("/XObject") or {}
    current = {b"cs": ("/DeviceGray", 1), b"CS": ("/DeviceGray", 1)}
    for operands, operator in ContentStream(content, None).operations:
        if operator == b"q":
            stack.append(ctm)
        elif operator == b"Q" and stack:
            ctm = stack.pop()
        elif operator == b"cm":
            ctm = _multiply(tuple(float(v) for v in operands), ctm)
        elif operator in (b"rg", b"RG"):
            found.append(Violation(page, "RGB colour", f"{operator.decode()} {operands}"))
        elif operator in (b"k", b"K"):
            values = [float(v) for v in operands]
            where = " ".join(f"{v:g}" for v in values) + f" {operator.decode()}"
            _check_ink(values, where, page, found)
        elif operator in (b"cs", b"CS"):
            name = operands[0]
            current[operator] = _space(spaces.get(name, name))
            if current[operator][1] == 3:
                found.append(Violation(page, "RGB colour", f"colour space {name}"))
        elif operator in (b"sc", b"scn", b"SC", b"SCN"):
            family, components = current[b"CS" if operator.isupper() else b"cs"]
            if components == 4 and not isinstance(operands[-1], NameObject):
                values = [float(v) for v in operands]
                where = " ".join(f"{v:g}" for v in values) + f" {operator.decode()} in {family}"
                _check_ink(values, where, page, found)
        elif operator == b"Do":
            xobject = xobjects.get(operands[0])
            if xobject is None:
                continue
            xobject = xobject.get_object()
            subtype = xobject.get("/Subtype")
            if subtype == "/Image":
                _check_image(xobject, ctm, page, found)
            elif subtype == "/Form" and id(xobject) not in seen:
                seen.add(id(xobject))
                matrix = tuple(float(v) for v in xobject.get("/Matrix", IDENTITY))
                _walk_colours(
                    xobject, xobject.get("/Resources"), page, _multiply(matrix, ctm), found, seen
                )


def _check_image(image, ctm, page: int, found: list) -> None:
    name = f"{image.get('/Width')}×{image.get('/Height')} image"
    components = _space(image.get("/ColorSpace", "/DeviceGray"))[1]
    if components == 3:
        found.append(Violation(page, "RGB image", name))
    elif components == 4 and image.get("/ImageMask") not in (True,):  # BooleanObject is truthy
        coverage = _image_coverage(image)
        if coverage is not None and coverage > MAX_INK * 255 + 0.5:
            found.append(Violation(page, "ink over 300 %", f"{coverage / 2.55:.0f} % in a {name}"))
    width_pt = (ctm[0] ** 2 + ctm[1] ** 2) ** 0.5
    height_pt = (ctm[2] ** 2 + ctm[3] ** 2) ** 0.5
    if width_pt and height_pt:
        dpi = min(int(image["/Width"]) / (width_pt / 72), int(image["/Height"]) / (height_pt / 72))
        # As the editor is told (content/resolution.py) and as print shops' preflight
        # profiles have it: under 150 ppi refused, under 300 a warning.
        if dpi < REFUSED_PPI:
            found.append(Violation(page, "image below 150 ppi", f"{name} at {dpi:.0f} ppi"))
        elif dpi < MIN_IMAGE_DPI:
            detail = f"{name} at {dpi:.0f} ppi"
            found.append(Violation(page, "image below 300 ppi", detail, warning=True))


def _image_coverage(image) -> int | None:
    """The largest sum of the four inks over a CMYK image's pixels, 0 to 4 × 255."""
    from PIL import ImageMath

    picture = _cmyk_pixels(image)
    if picture is None or picture.mode != "CMYK":
        return None
    c, m, y, k = picture.split()
    total = ImageMath.lambda_eval(lambda a: a["c"] + a["m"] + a["y"] + a["k"], c=c, m=m, y=y, k=k)
    return total.getextrema()[1]


def _cmyk_pixels(image):
    """The image's own inks: 8-bit samples as they are (a soft mask would make pypdf's
    decoder return RGBA instead), anything else through the decoder; None if undecodable."""
    from PIL import Image

    filters = image.get("/Filter")
    filters = [filters] if isinstance(filters, str) else list(filters or [])
    try:
        if int(image.get("/BitsPerComponent", 0)) == 8 and not set(filters) & IMAGE_CODECS:
            size = (int(image["/Width"]), int(image["/Height"]))
            return Image.frombytes("CMYK", size, image.get_data())
        return image.decode_as_image()
    except Exception:  # pypdf and Pillow raise many types for an image they cannot decode
        return None
