"""The fonts a PDF was drawn with, and any that is not one of the bundled faces."""

from __future__ import annotations

import hashlib
from functools import cache

from weasyprint.text.fonts import get_hb_object_data

from ..data import EMPHASIS_FONT, FONT_FILES, fonts_dir
from ..i18n import _


@cache
def bundled_faces() -> frozenset[tuple[int, str]]:
    """(size, SHA-256) of every bundled face: the four of FONT_FILES and the 楷体 one."""
    faces = set()
    for name in (*FONT_FILES, EMPHASIS_FONT):
        data = (fonts_dir() / name).read_bytes()
        faces.add((len(data), hashlib.sha256(data).hexdigest()))
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
        if len(data) in sizes and (len(data), hashlib.sha256(data).hexdigest()) in faces:
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
