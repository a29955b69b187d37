"""Chinese line layout after W3C clreq, as a small extension at WeasyPrint's inline-layout seam.

Stock WeasyPrint only stretches U+0020 when it justifies, so pure Chinese lines end ragged
and lines with a space get holes; it neither compresses adjacent punctuation nor spaces Han
characters from Latin letters and digits. This module adds, without changing any character
of the text (the PDF extracts exactly what the editor wrote):

- while text is shaped (`Layout.set_text`, with the spans of `shaping.py`): half-width
  alternates (OpenType `halt`) for the first of two adjacent full-width marks and for the
  interpunct, full-width em dashes in ——, and no line break between a number and the Han
  unit after it, on either side of an interpunct, or before a dash between two numbers
  (连接号);
- when a line is placed (`text_align`): ¼ em between Han characters and Western letters or
  digits (a space already there is set to that same ¼ em), a half-width mark at the end of a
  justified line, and the remaining width shared between ideographs and at Han–Western
  boundaries, never inside a Western word or number;
- when a line is drawn (`Layout.get_first_line` after `reactivate`): those gaps are added to
  the advance of the glyph before each gap;
- when a line's leader is filled (`handle_leader`): its dots run on to its end where it
  reaches past the block's edge (`leaders.py`).

`chinese_line_layout()` puts these in place only while bulletin lays out or draws its own
documents, and only for the thread that asked: any other WeasyPrint use in the process gets
stock behaviour. `compat` checks the internals first; `bulletin doctor` reports a mismatch.
"""

from __future__ import annotations

import copy
import math
from collections import defaultdict
from contextlib import contextmanager
from contextvars import ContextVar

from weasyprint.formatting_structure import boxes
from weasyprint.layout import inline
from weasyprint.text import ffi as pango_ffi
from weasyprint.text.line_break import Layout, create_layout, line_size

from bulletin.text.hanzi import (
    CLOSING_MARKS,
    FULL_WIDTH_MARKS,
    HAN_WESTERN_GAP_EM,
    halved_of_pair,
    is_cjk,
    needs_han_western_gap,
)

from .compat import ScopedPatches
from .leaders import fill_leader
from .shaping import shaping_spans
from .widths import halt_saving, space_width

_FFI = pango_ffi.ffi
_PANGO = pango_ffi.pango
_FFI.cdef("PangoAttribute * pango_attr_allow_breaks_new (gboolean allow_breaks);")


# ---------------------------------------------------------------- shaping (set_text)


def _byte_offset(text: str, index: int) -> int:
    """Where character `index` starts in the UTF-8 text Pango holds."""
    return len(text[:index].encode("utf-8"))


def _new_attribute(kind: str):
    """No break ("keep"), or OpenType features: "halt", or "fwid+halt" for both."""
    if kind == "keep":
        return _PANGO.pango_attr_allow_breaks_new(False)
    features = ",".join(f"{feature} 1" for feature in kind.split("+"))
    return _PANGO.pango_attr_font_features_new(features.encode())


_original_set_text = Layout.set_text
_original_get_first_line = Layout.get_first_line
_original_text_align = inline.text_align
_original_justify_line = inline.justify_line
_original_handle_leader = inline.handle_leader


# "clreq" inside bulletin's own layout and drawing, "stock" to compare with WeasyPrint's own
# rules; any other code in the process, this thread's or another's, sees the default.
_MODE: ContextVar[str] = ContextVar("bulletin_line_layout", default="off")


def _active() -> bool:
    return _MODE.get() == "clreq"


def _set_text(self, text, justify=False):
    _original_set_text(self, text, justify)
    if not _active():
        return
    # Pending gaps are applied to the glyphs once per shaping, when the line is drawn.
    self.clreq_pending = justify
    spans = shaping_spans(self.text, justify and getattr(self, "clreq_halve_last", False))
    if not spans:
        return
    attributes = _PANGO.pango_layout_get_attributes(self.layout)
    if attributes == _FFI.NULL:
        attributes = _FFI.gc(_PANGO.pango_attr_list_new(), _PANGO.pango_attr_list_unref)
    for kind, start, end in spans:
        attribute = _new_attribute(kind)
        attribute.start_index = _byte_offset(self.text, start)
        attribute.end_index = _byte_offset(self.text, end)
        _PANGO.pango_attr_list_insert(attributes, attribute)
    _PANGO.pango_layout_set_attributes(self.layout, attributes)


def _get_first_line(self):
    first_line, index = _original_get_first_line(self)
    if not _active():
        return first_line, index
    gaps = getattr(self, "clreq_gaps", None)
    if gaps and getattr(self, "clreq_pending", False):
        self.clreq_pending = False
        _widen_glyphs(first_line, self.text, gaps, self.style["font_size"])
    return first_line, index


def _pango_units(thousandths: int, font_size: float) -> int:
    """A gap in thousandths of an em as Pango units, rounded away from zero.

    WeasyPrint writes each advance change into the PDF as a whole number of thousandths,
    truncating toward zero; rounding away here makes it write exactly `thousandths`.
    """
    units = abs(thousandths) * font_size * pango_ffi.TO_UNITS / 1000
    return int(math.copysign(math.ceil(units), thousandths))


def _widen_glyphs(line, text: str, gaps: dict[int, int], font_size: float) -> None:
    """Add each gap (thousandths of an em) to the last glyph of the character before it."""
    char_at = {_byte_offset(text, index): index for index in gaps}
    run = line.runs
    while run != _FFI.NULL:
        glyph_item = run.data
        glyphs = glyph_item.glyphs
        clusters = glyphs.log_clusters
        count = glyphs.num_glyphs
        for i in range(count):
            if i + 1 < count and clusters[i + 1] == clusters[i]:
                continue  # not the last glyph of its cluster
            char = char_at.get(glyph_item.item.offset + clusters[i])
            if char in gaps:
                glyphs.glyphs[i].geometry.width += _pango_units(gaps[char], font_size)
        run = run.next


# ---------------------------------------------------------------- line placement


def _text_boxes(box):
    if isinstance(box, boxes.TextBox):
        yield box
    elif isinstance(box, (boxes.LineBox, boxes.InlineBox)):
        for child in box.children:
            if child.is_in_normal_flow():
                yield from _text_boxes(child)


def _alignment(line, last: bool) -> str:
    align = line.style["text_align_all"]
    if last and line.style["text_align_last"] != "auto":
        align = line.style["text_align_last"]
    return align


def _justification_points(chars: list[str]) -> list[int]:
    """Indices of characters after which justification may add space."""
    points = []
    for index in range(len(chars) - 1):
        left, right = chars[index], chars[index + 1]
        if right == " ":
            continue  # the space itself is the opportunity
        if left == " " or is_cjk(left) or is_cjk(right):
            points.append(index)
    return points


def _run_points(chars: list[tuple]) -> set[int]:
    """Boundaries between two letters of a text box that may break anywhere."""
    return {
        index
        for index in range(len(chars) - 1)
        if chars[index][0] is chars[index + 1][0]
        and chars[index][0].style["word_break"] == "break-all"
    }


def place_line(context, line, available_width: float, last: bool) -> bool:
    """Space, compress and justify one line in place; True when it now fills the width."""
    text_boxes = [b for b in _text_boxes(line) if b.text]
    chars = [(box, index, char) for box in text_boxes for index, char in enumerate(box.text)]
    if not chars:
        return False
    letters = [char for _, _, char in chars]
    justified = _alignment(line, last) == "justify"
    gaps: dict[int, float] = defaultdict(float)
    han_western: set[int] = set()  # gaps that keep their quarter em when the line shrinks

    for index in range(len(letters) - 1):
        box, _, left = chars[index]
        right = letters[index + 1]
        em = box.style["font_size"]
        if needs_han_western_gap(left, right):
            gaps[index] += HAN_WESTERN_GAP_EM * em
            han_western.add(index)
        elif left == " " and index > 0 and needs_han_western_gap(letters[index - 1], right):
            gaps[index] += HAN_WESTERN_GAP_EM * em - space_width(box, context)
            han_western.add(index)
        elif box is not chars[index + 1][0] and (which := halved_of_pair(left, right)) is not None:
            # Two marks that meet where bold or emphasis begins or ends (**“双碳”**、):
            # shaping halves such a pair only inside one run of text, so halve it here,
            # by as much as a closing mark of the halved mark's own font gives up.
            halved, mark = (box, left) if which == 0 else (chars[index + 1][0], "，")
            gaps[index] -= halt_saving(halved, context, mark)

    # A mark ending the line may have been shaped half-width as the first of a pair whose
    # second mark went to the next line: measure the line's last text box alone.
    last_box, _, last_char = chars[-1]
    width_change: dict[int, float] = defaultdict(float)
    if last_char in FULL_WIDTH_MARKS:
        alone = create_layout(last_box.text, last_box.style, context, None, 0)
        width_change[id(last_box)] = (
            line_size(alone.get_first_line()[0], last_box.style)[0] - last_box.width
        )
    halved_box = None
    if justified and last_char in CLOSING_MARKS:
        width_change[id(last_box)] -= halt_saving(last_box, context, last_char)
        halved_box = last_box

    extra = available_width - line.width - sum(gaps.values()) - sum(width_change.values())
    points = _justification_points(letters)
    if justified:
        # A long run broken anywhere (an address, a number) shares the space between its
        # letters too, so a line that holds one has no holes at its other points.
        points = sorted(set(points) | _run_points(chars))
    if extra < 0:
        # An overfull line gives back its excess between ideographs, not from the Han-Western
        # gaps, which preflight measures against the same quarter em (hanzi.py).
        points = [point for point in points if point not in han_western] or points
    if points and (justified or extra < 0):
        share = extra / len(points)
        for index in points:
            gaps[index] += share

    # Gaps in whole thousandths of an em, the unit the PDF stores; the rounding error is
    # carried to the next gap so that the line still ends flush.
    per_box: dict[int, dict[int, int]] = defaultdict(dict)
    added: dict[int, float] = dict(width_change)
    carry = 0.0
    for index in sorted(gaps):
        box, box_index, _ = chars[index]
        size = box.style["font_size"]
        exact = gaps[index] * 1000 / size + carry
        thousandths = round(exact)
        carry = exact - thousandths
        if thousandths:
            per_box[id(box)][box_index] = thousandths
            added[id(box)] = added.get(id(box), 0.0) + thousandths * size / 1000
    for box in text_boxes:
        if id(box) in per_box or id(box) in width_change:
            layout = _layout_to_draw(box, context)
            layout.clreq_gaps = per_box.get(id(box), {})
            layout.clreq_halve_last = box is halved_box
            layout.justification_spacing = 0
            box.pango_layout = layout
            box.justification_spacing = 0
    _shift(line, added, 0.0)
    return justified


def _layout_to_draw(box, context) -> Layout:
    """A layout of the box's text of its own, inactive: it is shaped when drawn, with its gaps.

    A copy of the box's layout when that holds exactly the box's text (it may be shared
    with another box, so it is not changed), else a new one; shaping it now would be
    wasted, as drawing shapes every layout again.
    """
    layout = getattr(box, "pango_layout", None)
    if layout is not None and getattr(layout, "text", None) == box.text:
        layout = copy.copy(layout)
    else:
        layout = create_layout(box.text, box.style, context, None, 0)
    if hasattr(layout, "layout"):
        layout.deactivate()  # the copy's own attributes only; the box's layout keeps its own
    return layout


def _shift(box, added: dict[int, float], x_advance: float) -> float:
    """Move boxes right by the space added before them, widen them by their own."""
    if isinstance(box, boxes.TextBox):
        box.position_x += x_advance
        extra = added.get(id(box), 0.0)
        box.width += extra
        return x_advance + extra
    if isinstance(box, (boxes.LineBox, boxes.InlineBox)):
        box.position_x += x_advance
        before = x_advance
        for child in box.children:
            if child.is_in_normal_flow():
                x_advance = _shift(child, added, x_advance)
        box.width += x_advance - before
        return x_advance
    box.translate(x_advance, 0)
    return x_advance


def _text_align(context, line, available_width, last):
    if not _active():
        return _original_text_align(context, line, available_width, last)
    collapsing = line.style["white_space"] in ("normal", "nowrap", "pre-line")
    if (
        collapsing
        and line.style["direction"] == "ltr"
        and place_line(context, line, available_width, last)
    ):
        return 0
    return _original_text_align(context, line, available_width, last)


def _justify_line(context, line, extra_width):
    """Justification is done by place_line, before WeasyPrint's own would run."""
    if not _active():
        _original_justify_line(context, line, extra_width)


def _handle_leader(context, line, containing_block):
    _original_handle_leader(context, line, containing_block)
    if _active():
        fill_leader(line)


_PATCHES = ScopedPatches(
    lambda: [
        (Layout, "set_text", _set_text),
        (Layout, "get_first_line", _get_first_line),
        (inline, "text_align", _text_align),
        (inline, "justify_line", _justify_line),
        (inline, "handle_leader", _handle_leader),
    ]
)


@contextmanager
def chinese_line_layout(enabled: bool = True):
    """Bulletin's own layout and drawing: clreq's rules, or with `enabled=False` the stock ones.

    Patches are in place while any such block runs, and act only in the thread (context)
    that opened it; when the last block closes, WeasyPrint is exactly as it was.
    """
    token = _MODE.set("clreq" if enabled else "stock")
    try:
        with _PATCHES.applied():
            yield
    finally:
        _MODE.reset(token)
