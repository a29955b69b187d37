"""Reads each embedded font as a standard-following reader does: which glyph each code draws."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

from bulletin.i18n import _
from bulletin.preflight.structure import Damaged, reason_of

# Readers disagree about a code of a CID font: poppler, PDFium and pdf.js take it as a glyph
# index; Ghostscript, MuPDF, Acrobat and Adobe's print engine take it as a CID and look the
# glyph up through the font program (ISO 32000 §9.7.4). A font is sound only when both agree.
IDENTITY_ENCODINGS = ("/Identity-H", "/Identity-V")
EXAMPLES = 3
HEX = re.compile(rb"<([0-9A-Fa-f]+)>")


@dataclass(frozen=True)
class GlyphMapping:
    """How a font program selects glyphs: CID → glyph index, and how many glyphs it has."""

    glyphs: int
    by_cid: dict[int, int] | None  # None: the CID is the glyph index

    def glyph_of(self, cid: int) -> int | None:
        glyph = cid if self.by_cid is None else self.by_cid.get(cid)
        return glyph if glyph is not None and glyph < self.glyphs else None


def cff_mapping(cff) -> GlyphMapping:
    """A CID-keyed CFF finds glyphs through its charset; any other CFF by index."""
    top = cff.topDictIndex[0]
    charset = top.charset
    if not hasattr(top, "ROS"):
        return GlyphMapping(len(charset), None)
    by_cid = {0: 0}
    for glyph, name in enumerate(charset[1:], 1):
        by_cid[int(name[3:])] = glyph  # fontTools names CID-keyed glyphs "cidNNNNN"
    return GlyphMapping(len(charset), by_cid)


def program_mapping(descendant) -> GlyphMapping | None:
    """The mapping of a descendant CIDFont, read from its embedded program; None if absent."""
    from fontTools.cffLib import CFFFontSet
    from fontTools.ttLib import TTFont

    descriptor = descendant.get("/FontDescriptor")
    descriptor = descriptor.get_object() if descriptor is not None else {}
    if descendant.get("/Subtype") == "/CIDFontType0":
        stream = descriptor.get("/FontFile3")
        if stream is None:
            return None
        data = stream.get_object().get_data()
        if data[:4] == b"OTTO":
            return cff_mapping(TTFont(io.BytesIO(data), lazy=True)["CFF "].cff)
        cff = CFFFontSet()
        cff.decompile(io.BytesIO(data), None)
        return cff_mapping(cff)
    stream = descriptor.get("/FontFile2")
    if stream is None:
        return None
    glyphs = TTFont(io.BytesIO(stream.get_object().get_data()), lazy=True)["maxp"].numGlyphs
    cid_map = descendant.get("/CIDToGIDMap", "/Identity")
    if cid_map == "/Identity":
        return GlyphMapping(glyphs, None)
    table = cid_map.get_object().get_data()
    return GlyphMapping(
        glyphs, {n: int.from_bytes(table[2 * n : 2 * n + 2]) for n in range(len(table) // 2)}
    )


def to_unicode_codes(font) -> dict[int, str]:
    """The codes a font's ToUnicode map names, with their text (bfchar and bfrange)."""
    stream = font.get("/ToUnicode")
    if stream is None:
        return {}
    data = stream.get_object().get_data()
    codes: dict[int, str] = {}

    def text(hex_digits: bytes) -> str:
        return bytes.fromhex(hex_digits.decode()).decode("utf-16-be", "replace")

    for block in re.findall(rb"beginbfchar(.*?)endbfchar", data, re.S):
        pairs = HEX.findall(block)
        for code, value in zip(pairs[::2], pairs[1::2], strict=False):
            codes[int(code, 16)] = text(value)
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", data, re.S):
        for first, last, value in re.findall(rb"<(\w+)>\s*<(\w+)>\s*<(\w+)>", block):
            start = int(value, 16)
            for offset, code in enumerate(range(int(first, 16), int(last, 16) + 1)):
                codes[code] = chr(start + offset) if start + offset < 0x110000 else "?"
    return codes


def mismatched_codes(font) -> tuple[list[str], int]:
    """The codes of a Type0 font that a standard-following reader draws with another glyph
    than a lenient one (or with none), described for a message, and how many codes it has."""
    if font.get("/Subtype") != "/Type0" or font.get("/Encoding") not in IDENTITY_ENCODINGS:
        return [], 0
    descendant = font["/DescendantFonts"][0].get_object()
    mapping = program_mapping(descendant)
    codes = to_unicode_codes(font)
    if mapping is None or not codes:
        return [], len(codes)
    wrong = []
    for code, text in sorted(codes.items()):
        glyph = mapping.glyph_of(code)
        if glyph == code:
            continue
        if glyph is None:
            wrong.append(_("{text} (code {code}: no such CID)").format(text=text, code=code))
        else:
            wrong.append(
                _("{text} (code {code}: CID {code} is glyph {glyph})").format(
                    text=text, code=code, glyph=glyph
                )
            )
    return wrong, len(codes)


def fonts_of(reader):
    """Every font the pages use, in their resources or their forms', each once."""
    seen: set[tuple[int, int]] = set()

    def walk(resources):
        resources = resources.get_object() if resources is not None else {}
        for font in (resources.get("/Font") or {}).values():
            key = (font.idnum, font.generation) if hasattr(font, "idnum") else (id(font), 0)
            if key not in seen:
                seen.add(key)
                yield font.get_object()
        for xobject in (resources.get("/XObject") or {}).values():
            key = (xobject.idnum, xobject.generation) if hasattr(xobject, "idnum") else None
            xobject = xobject.get_object()
            if xobject.get("/Subtype") == "/Form" and key not in seen:
                if key is not None:
                    seen.add(key)
                yield from walk(xobject.get("/Resources"))

    for page in reader.pages:
        yield from walk(page.get("/Resources"))


def check_glyph_mapping(reader, violation) -> list:
    """One violation per font whose codes select other glyphs than their ToUnicode says."""
    found = []
    for font in fonts_of(reader):
        try:
            wrong, total = mismatched_codes(font)
        except MemoryError:
            raise
        except Exception as error:  # fontTools and pypdf raise many types for a bad font
            raise Damaged(
                _("font {font}: its embedded program cannot be read ({reason})").format(
                    font=str(font.get("/BaseFont", "?")).lstrip("/"), reason=reason_of(error)
                )
            ) from None
        if wrong:
            detail = _(
                "{font}: {wrong} of {total} codes draw another glyph in readers that "
                "follow the standard, e.g. {examples}"
            ).format(
                font=str(font.get("/BaseFont", "?")).lstrip("/"),
                wrong=len(wrong),
                total=total,
                examples=_(", ").join(wrong[:EXAMPLES]),
            )
            found.append(violation(0, "font glyph mismatch", detail))
    return found
