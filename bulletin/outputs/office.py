"""The office PDF: A4 pages in RGB, the default output."""

from __future__ import annotations

from .base import PdfKind


class OfficePdf(PdfKind):
    name = "office"


KIND = OfficePdf()
