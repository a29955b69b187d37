"""Page composition read back from a PDF: body lines on one grid, body pages full to the foot.

A typesetter's sign-off, measured from the glyphs' baselines: the body text's line pitch is
the commonest distance between its lines, its grid phase the commonest position of its
baselines, and the deepest body baseline of any page the last line of the type area. The
first and last pages (the covers) are not body pages.
"""

from __future__ import annotations

import itertools
import statistics
from collections import Counter

from bulletin.i18n import n_

# A baseline this close to a grid line is on it.
GRID_TOLERANCE_PT = 0.5
# Body pages have at least this many lines of body text.
MIN_BODY_LINES = 5


def _baseline(chars: list[dict], page_height: float) -> float:
    """Distance of a line's baseline from the top of the page, from the glyphs' matrices."""
    return statistics.median(page_height - c["matrix"][5] for c in chars)


def _commonest(values: list[float]) -> float:
    """The median of the values in the commonest 0.1 pt bucket: exact, and robust to strays."""
    bucket = Counter(round(v, 1) for v in values).most_common(1)[0][0]
    return statistics.median(v for v in values if round(v, 1) == bucket)


def body_size(lines: list) -> float | None:
    """The size of the body text: the one that sets the most characters (not the most
    lines: a table's short rows and the folios may outnumber a page's few paragraphs)."""
    sizes: Counter = Counter()
    for line in lines:
        sizes[line.size] += len(line.chars)
    return sizes.most_common(1)[0][0] if sizes else None


def check_composition(pages: list[list], sizes: list[tuple], violation) -> tuple[list, dict]:
    """Violations "line off grid" and "hole at page foot", and each body page's empty lines.

    `pages` holds each page's lines (preflight's Line objects), `sizes` each page's width
    and height, `violation(page, rule, context)` makes one violation.
    """
    heights = [height for _, height in sizes]
    size = body_size([line for lines in pages[1:-1] for line in lines])
    if size is None or len(pages) < 3:
        return _outside_text_area(pages, sizes, {}, violation), {}
    body_pages = {}
    for number, lines in enumerate(pages[1:-1], 2):
        body = [line for line in lines if line.size == size]
        if len(body) >= MIN_BODY_LINES:
            body_pages[number] = [
                (_baseline(line.chars, heights[number - 1]), line) for line in body
            ]
    steps = [
        b - a
        for lines in body_pages.values()
        for (a, _), (b, _) in itertools.pairwise(lines)
        if 1.2 * size <= b - a <= 2.5 * size
    ]
    if not steps:
        return _outside_text_area(pages, sizes, body_pages, violation), {}
    pitch = _commonest(steps)
    # Each baseline's place on the grid, measured from the first (wrapping at one pitch).
    origin = next(iter(body_pages.values()))[0][0]
    places = [
        (b - origin + pitch / 2) % pitch - pitch / 2
        for lines in body_pages.values()
        for b, _ in lines
    ]
    phase = origin + _commonest(places)
    deepest = max(b for lines in body_pages.values() for b, _ in lines)
    found, fills = _outside_text_area(pages, sizes, body_pages, violation), {}
    last_body = max(body_pages, default=0)
    for number, lines in body_pages.items():
        for baseline, line in lines:
            offset = (baseline - phase) % pitch
            if min(offset, pitch - offset) > GRID_TOLERANCE_PT:
                found.append(
                    violation(number, "line off grid", f"{offset:+.1f} pt {line.text[:12]}")
                )
        # Any text above the foot counts: a source line or a subhead ends a page too.
        texts = [
            _baseline(line.chars, heights[number - 1])
            for line in pages[number - 1]
            if _baseline(line.chars, heights[number - 1]) <= deepest + GRID_TOLERANCE_PT
        ]
        empty = int((deepest - max(texts) + GRID_TOLERANCE_PT) // pitch)
        fills[number] = empty
        if number != last_body and empty > 1:
            found.append(
                violation(
                    number,
                    "hole at page foot",
                    n_(
                        "{n} empty grid line at the foot", "{n} empty grid lines at the foot", empty
                    ).format(n=empty),
                )
            )
    return found, fills


def _outside_text_area(pages: list[list], sizes: list[tuple], body_pages: dict, violation):
    """Lines that reach off the page anywhere, or on body pages past the column's edges.

    The column runs from the leftmost body line to the commonest right edge of the body
    lines (the flush edge of justified text); a line reaching past it by more than half a
    character has been pushed out (a word too long for the line) or cut off. A page with
    fewer than three full lines has no flush edge to go by: only leaving the page counts.
    """
    found = []
    for number, lines in enumerate(pages, 1):
        width = sizes[number - 1][0]
        edges = None
        if number in body_pages:
            body = [line for _, line in body_pages[number]]
            right = _commonest([line.right for line in body])
            if sum(abs(line.right - right) < 0.5 for line in body) >= 3:
                edges = (min(line.left for line in body), right)
        for line in lines:
            slack = line.size / 2
            off_page = line.left < 0 or line.right > width
            past = edges is not None and (
                line.left < edges[0] - slack or line.right > edges[1] + slack
            )
            if off_page or past:
                found.append(violation(number, "glyph outside text area", line.text[:24]))
    return found
