"""Widths of short texts in a box's font (a space, a mark set half-width), measured once."""

from __future__ import annotations

from weasyprint.text.line_break import create_layout, line_size


def _font_key(style) -> tuple:
    return (
        tuple(style["font_family"]),
        style["font_size"],
        style["font_weight"],
        style["font_style"],
        style["font_stretch"],
        style["lang"],
    )


_widths: dict[tuple, float] = {}


def _measure(box, context, text: str, halve_last: bool = False) -> float:
    """Width of a short text in the box's font; cached, as fonts and sizes are few."""
    key = (_font_key(box.style), text, halve_last)
    if key not in _widths:
        layout = create_layout(text, box.style, context, None, 0)
        if halve_last:
            layout.clreq_halve_last = True
            layout.set_text(text, justify=True)
        _widths[key] = line_size(layout.get_first_line()[0], box.style)[0]
    return _widths[key]


def space_width(box, context) -> float:
    return _measure(box, context, "中 中") - _measure(box, context, "中中")


def halt_saving(box, context, char: str) -> float:
    """How much narrower a closing mark is when set half-width."""
    return _measure(box, context, "中" + char) - _measure(box, context, "中" + char, True)
