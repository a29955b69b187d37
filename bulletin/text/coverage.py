"""Code points as sorted ranges: a coverage list read, and asked whether it holds a character."""

from __future__ import annotations

from bisect import bisect_right

Ranges = tuple[tuple[int, ...], tuple[int, ...]]


def parse_ranges(text: str) -> Ranges:
    """Sorted (firsts, lasts) from lines of `XXXX-YYYY` or `XXXX` (hex; `#` starts a comment).

    Ranges, not a set: a build checks a few thousand distinct characters, and expanding a
    font's list into a set of every code point cost more than the check itself.
    """
    firsts: list[int] = []
    lasts: list[int] = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        first, _dash, last = line.partition("-")
        firsts.append(int(first, 16))
        lasts.append(int(last or first, 16))
    order = sorted(range(len(firsts)), key=firsts.__getitem__)
    return tuple(firsts[i] for i in order), tuple(lasts[i] for i in order)


def in_ranges(ranges: Ranges, codepoint: int) -> bool:
    firsts, lasts = ranges
    index = bisect_right(firsts, codepoint) - 1
    return index >= 0 and codepoint <= lasts[index]


def expand(ranges: Ranges) -> frozenset[int]:
    """Every code point of the ranges (for tests and tools, not the build)."""
    return frozenset(
        point for first, last in zip(*ranges, strict=True) for point in range(first, last + 1)
    )
