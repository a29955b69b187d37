"""Tables split across pages: each continuation shows the layout's 续表 in its title's place.

The renderer sets a table's title in a row of its header marked `data-table-caption`, so
every part of a split table repeats it, on the same grid line. The layout gives that row a
hidden pseudo-element (the label, 续表); after layout, on each part but the first, the row's
own text is hidden and the label shown. Nothing moves, nothing is laid out again.
"""

from __future__ import annotations

CAPTION_ATTRIBUTE = "data-table-caption"


def _children(box):
    # An absolutely placed box (the label) sits in its parent's children as a placeholder.
    return [getattr(child, "_box", child) for child in getattr(box, "children", [])]


def _walk(box):
    yield box
    for child in _children(box):
        yield from _walk(child)


def _set_visibility(box, visibility: str) -> None:
    for inner in _walk(box):
        if inner.style["visibility"] != visibility:
            inner.style = inner.style.copy()
            inner.style["visibility"] = visibility


def _is_pseudo(box) -> bool:
    return "::" in (getattr(box, "element_tag", "") or "")


def _caption_rows(table):
    for box in _walk(table):
        element = getattr(box, "element", None)
        row = type(box).__name__ == "TableRowBox" and element is not None
        if row and element.get(CAPTION_ATTRIBUTE) is not None:
            yield box


def _label(row) -> None:
    """In a continuation's title row: the label shown, the title hidden."""
    for box in _walk(row):
        if _is_pseudo(box):
            _set_visibility(box, "visible")
        elif type(box).__name__ == "TextBox":
            _set_visibility(box, "hidden")


def label_continuations(document) -> None:
    """Label every part of a split table after its first with the layout's 续表."""
    seen: set[int] = set()
    for page in document.pages:
        for box in _walk(page._page_box):
            if type(box).__name__ != "TableBox" or box.element is None:
                continue
            if id(box.element) not in seen:
                seen.add(id(box.element))
                continue
            for row in _caption_rows(box):
                _label(row)
