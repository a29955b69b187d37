"""The office PDF: A4 pages in RGB, tagged for screen readers, the default output."""

from __future__ import annotations

from bulletin.i18n import N_
from bulletin.outputs.base import PdfKind

# What a viewer shows for pages that print no number; other pages show the number the
# footer prints, which is the page's place in the issue (the cover counts as page 1).
UNNUMBERED_PAGES = {"cover": "封面", "back": "封底"}


def page_labels(page_names: list[str]) -> list[str]:
    """The viewer's page labels from each page's named page (`page: cover` in the layout)."""
    return [UNNUMBERED_PAGES.get(name, str(number)) for number, name in enumerate(page_names, 1)]


def office_pdf(document, identity: str, *, tagged: bool = True) -> bytes:
    """The office PDF: XMP metadata, title bar, page labels and (if `tagged`) structure tags."""
    from bulletin.engine import typeset

    key = ("office", identity, tagged)
    if key not in document.written:  # publish makes the office PDF and the booklet from it
        document.written[key] = typeset.pdf_bytes(
            document,
            identity=identity,
            tagged=tagged,
            page_labels=page_labels(document.page_names),
        )
    return document.written[key]


class OfficePdf(PdfKind):
    """A4 in RGB for reading and the office printer, tagged for screen readers."""

    name = "office"
    label = N_("office PDF")
    help = N_("A4 for reading and the office printer, tagged for screen readers (NAME.pdf).")

    def pdf_data(self, document, request, identity: str) -> bytes:
        return office_pdf(document, identity)


KIND = OfficePdf()
