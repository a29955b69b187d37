"""Whole-file checks of any PDF: what an archive's ingest reads (XMP, file ID, images)."""

from __future__ import annotations

DOCUMENT = 0  # the page number of a violation of the whole file


def check_file(reader, violation) -> list:
    """The XMP packet uncompressed (format identifiers read its bytes), a trailer /ID, and
    no image asking to be interpolated (PDF/A forbids it). `violation(page, rule, context)`
    makes one violation."""
    found = []
    metadata = reader.trailer["/Root"].get("/Metadata")
    metadata = metadata.get_object() if metadata is not None else None
    if metadata is not None and metadata.get("/Filter") is not None:
        found.append(violation(DOCUMENT, "compressed XMP", f"/Filter {metadata['/Filter']}"))
    if not reader.trailer.get("/ID"):
        found.append(violation(DOCUMENT, "no file identifier", "no /ID in the trailer"))
    seen: set[int] = set()
    for number, page in enumerate(reader.pages, 1):
        for image in _images(page.get("/Resources"), seen):
            if image.get("/Interpolate") in (True,):  # pypdf's BooleanObject(False) is truthy
                size = f"{image.get('/Width')}×{image.get('/Height')}"
                found.append(violation(number, "image interpolation", f"{size} image"))
    return found


def _images(resources, seen: set[int]):
    """The images a page's resources draw, their soft masks and those of its forms and
    tiling patterns, each once per file."""
    resources = resources.get_object() if resources is not None else {}
    for group in ("/XObject", "/Pattern"):
        for item in (resources.get(group) or {}).values():
            reference = getattr(item, "idnum", None)
            item = item.get_object()
            if reference in seen or not hasattr(item, "get"):
                continue
            if reference is not None:
                seen.add(reference)
            if item.get("/Subtype") == "/Image":
                yield item
                mask = item.get("/SMask")
                if mask is not None:
                    yield mask.get_object()
            elif "/Resources" in item:
                yield from _images(item["/Resources"], seen)
