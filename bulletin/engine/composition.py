"""Full pages on the line grid: whole grid lines go between articles on pages that end short.

The layout sets every block of its articles in whole lines of one grid (the line height of
the element marked `data-line-grid`) and marks with `data-grid-gap` the blocks before which
space may be added (an article after another, a region after another). A page that ends
short because the next heading and its first lines did not fit keeps its text on the grid
and gains the missing lines, spread over its gaps; nothing is laid out again.

Blocks whose height the text does not decide (a picture, a table) end anywhere: the block
after one is moved down to the next grid line, when the page has the room.
"""

from __future__ import annotations

GRID_ATTRIBUTE = "data-line-grid"
GAP_ATTRIBUTE = "data-grid-gap"
# Rounding of the engine's float positions, in CSS px.
TOLERANCE_PX = 0.05
# A picture may lose this much of its height to end on a grid line; a smaller one (a wide,
# low chart) keeps its size, and the space under it grows to the next line instead.
MAX_PICTURE_SHRINK = 0.1


def _attribute(box, name: str) -> bool:
    element = getattr(box, "element", None)
    return element is not None and element.get(name) is not None


def _grid_box(page_box):
    for box in page_box.descendants():
        if _attribute(box, GRID_ATTRIBUTE):
            return box
    return None


def _pitch(box) -> float | None:
    """The grid's line pitch in px, or None when the layout gives no number (`normal`)."""
    line_height = box.style["line_height"]
    value = getattr(line_height, "value", line_height)
    if not isinstance(value, (int, float)) or value <= 0:
        return None
    unit = getattr(line_height, "unit", None)
    return value if unit == "px" else value * box.style["font_size"]


def _is_line(box) -> bool:
    return type(box).__name__ == "LineBox"


def _is_picture(box) -> bool:
    return type(box).__name__ in ("BlockReplacedBox", "InlineReplacedBox")


def _text_bottom(box) -> float:
    """The bottom of the last line or picture in `box`'s flow, or its top when it has none."""
    bottoms = [
        inner.position_y + inner.margin_height()
        for inner in box.descendants()
        if _is_line(inner) or _is_picture(inner)
    ]
    return max(bottoms, default=box.position_y)


def _leaves(box):
    """Blocks in document order whose top must be on the grid: those holding lines or a
    picture directly, and tables as a whole."""
    for child in getattr(box, "children", []):
        if _is_line(child):
            continue
        whole = type(child).__name__.startswith("Table") or _is_picture(child)
        if whole or any(_is_line(inner) for inner in getattr(child, "children", [])):
            yield child
        else:
            yield from _leaves(child)


def _snaps(
    grid_box, top: float, pitch: float, room: float, flush: object = None
) -> dict[int, float]:
    """The shift that brings each block back on the grid after one that left it.

    After a picture narrower than the column, the picture gives up the fraction of a line
    (scaled down a little, keeping its proportions and its centre) and what follows moves
    up, when that costs it at most a tenth of its height; otherwise, after a picture as wide
    as the column and after a table, what follows moves down to the next line, while the
    page has the room (a picture that cannot have it is scaled down whatever it costs).
    `flush`, a picture opening the page, stays where it is.
    """
    snaps: dict[int, float] = {}
    moved = 0.0
    previous = None
    for leaf in _leaves(grid_box):
        if leaf is flush:  # a picture opening the page: flush with the type area, off grid
            previous = leaf
            continue
        offset = (leaf.border_box_y() + moved - top) % pitch
        if TOLERANCE_PX < offset < pitch - TOLERANCE_PX:
            picture = previous is not None and _is_picture(previous) and previous.height > offset
            fits = moved + pitch - offset <= room + TOLERANCE_PX
            # A picture as wide as the column keeps its width: the space under it grows.
            small = picture and previous.width < grid_box.width - TOLERANCE_PX
            if picture and ((small and offset <= MAX_PICTURE_SHRINK * previous.height) or not fits):
                _shrink(previous, offset)
                snaps[id(leaf)] = -offset
                moved -= offset
            elif fits:
                snaps[id(leaf)] = pitch - offset
                moved += pitch - offset
        previous = leaf
    return snaps


def _shrink(picture, by: float) -> None:
    """Make a picture `by` less high, in proportion, about the same centre line."""
    scale = (picture.height - by) / picture.height
    narrower = picture.width * (1 - scale)
    picture.height -= by
    picture.width -= narrower
    picture.position_x += narrower / 2


def _gap_boxes(grid_box) -> list:
    """Boxes marked as gaps, in document order, outermost first where they nest."""
    return [box for box in grid_box.descendants() if _attribute(box, GAP_ATTRIBUTE)]


def fill_page(page_box, grid_box, last_page: bool) -> None:
    """Put the page's lines back on the grid and add its empty lines at its gaps."""
    pitch = _pitch(grid_box)
    if pitch is None:
        return
    top = page_box.content_box_y()
    # A margin kept above the page's first block (the space before an article) would start
    # the page with empty lines: the page starts at its first line, and the space goes to
    # the foot, where it is filled like any other.
    first = min((leaf.border_box_y() for leaf in _leaves(grid_box)), default=top)
    lead = (first - top + TOLERANCE_PX) // pitch * pitch
    if lead > 0:
        grid_box.translate(0, -lead)
        first -= lead
    # A picture that opens the page stands flush with the type area (the top of the first
    # line's characters, half a leading below the line's top), not below its figure's
    # padding; what follows it comes back to the grid as after any picture (_snaps).
    opening = next(_leaves(grid_box), None)
    flush = top + (pitch - grid_box.style["font_size"]) / 2
    if opening is not None and _is_picture(opening) and opening.border_box_y() > flush:
        grid_box.translate(0, flush - opening.border_box_y())
        first = top
    else:
        opening = None
    room = top + page_box.height - _text_bottom(grid_box)
    snaps = _snaps(grid_box, top, pitch, room, flush=opening)
    if snaps:
        _shift(grid_box, snaps)
        room -= sum(snaps.values())  # everything after a snap moved with it
    empty = int((room + TOLERANCE_PX) // pitch)
    # A gap with nothing before it on the page would only push the page's first line down.
    gaps = [box for box in _gap_boxes(grid_box) if box.position_y > first + TOLERANCE_PX]
    if last_page or empty <= 0 or not gaps:
        return
    share, extra = divmod(empty, len(gaps))
    added = {id(box): (share + (index < extra)) * pitch for index, box in enumerate(gaps)}
    _shift(grid_box, added)


def _shift(grid_box, added: dict[int, float]) -> None:
    """Move every box down by the lines added at the gaps before it, in document order.

    A box holding no gap moves as a whole; one holding gaps moves by what was added before
    it, then its children are walked for the rest.
    """
    holders = _gap_holders(grid_box, added)
    total = 0.0

    def walk(container, moved: float) -> None:
        nonlocal total
        for child in getattr(container, "children", []):
            total += added.get(id(child), 0.0)
            if total != moved:
                child.translate(0, total - moved)
            if id(child) in holders:
                walk(child, total)

    walk(grid_box, 0.0)


def _gap_holders(grid_box, added: dict[int, float]) -> set[int]:
    """Boxes with a gap somewhere below them (one pass over the block tree)."""
    holders: set[int] = set()

    def visit(box, ancestors: tuple) -> None:
        if id(box) in added:
            holders.update(ancestors)
        if type(box).__name__ == "LineBox":
            return  # gaps are blocks; nothing inside a line can be one
        for child in getattr(box, "children", []):
            visit(child, (*ancestors, id(box)))

    visit(grid_box, ())
    holders.discard(id(grid_box))
    return holders


def fill_pages(document) -> None:
    """Fill every page of a laid-out document that carries a line grid, but the last such."""
    grids = [_grid_box(page._page_box) for page in document.pages]
    for index, (page, grid_box) in enumerate(zip(document.pages, grids, strict=True)):
        if grid_box is not None:
            last_body = index + 1 == len(grids) or grids[index + 1] is None
            fill_page(page._page_box, grid_box, last_body)
