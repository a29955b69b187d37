"""The fonts a PDF was drawn with, and any that is not one of the bundled faces."""

from __future__ import annotations

import hashlib
from functools import cache

from weasyprint.text.fonts import get_hb_object_data

from ..data import EMPHASIS_FONT, FONT_FILES, fonts_dir
from ..i18n import _

# A face is known by its size and the digest of its first and last 64 KiB: the tables a
# font file starts and ends with differ between any two faces, and hashing the whole 4-6 MB
# of each face on every build cost 30 ms. (This tells the bundled faces from the machine's
# fonts a layout names by mistake; it is not meant to stop a font made to look like one.)
EDGE = 65536


def fingerprint(data: bytes) -> tuple[int, str]:
    return len(data), hashlib.sha256(data[:EDGE] + data[-EDGE:]).hexdigest()


@cache
def bundled_faces() -> frozenset[tuple[int, str]]:
    """The fingerprint of every bundled face: the four of FONT_FILES and the 楷体 one."""
    faces = set()
    for name in (*FONT_FILES, EMPHASIS_FONT):
        with open(fonts_dir() / name, "rb") as face:
            head = face.read(EDGE)
            size = face.seek(0, 2)
            face.seek(max(0, size - EDGE))
            tail = face.read()
        faces.add((size, hashlib.sha256(head + tail).hexdigest()))
    return frozenset(faces)


def unbundled_font_warnings(fonts) -> list[str]:
    """One warning per font the engine drew text with (`Document.fonts`, filled as it
    writes the PDF) that is not a bundled face: it was embedded from this computer's fonts,
    which another computer, the archive's reader or the press may not have."""
    faces = bundled_faces()
    sizes = {size for size, _digest in faces}
    strangers = set()
    for font in fonts:
        data = get_hb_object_data(font.hb_face) or b""  # the whole file, not the subset
        if len(data) in sizes and fingerprint(data) in faces:
            continue
        strangers.add(font.family)
    warnings = []
    for family in sorted(strangers):
        warnings.append(
            _(
                "the pages are set in {font}, which is not a bundled font: it would be "
                "embedded from this computer's fonts; name only the bundled faces in the layout"
            ).format(font=repr(family))
        )
    return warnings
