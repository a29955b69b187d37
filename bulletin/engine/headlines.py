"""Headlines that take more than one line: broken between words, never inside one, balanced.

The layout marks a headline with `data-balance`. When its text is wider than its box, the
engine cuts it into words (jieba, whose dictionary is read only then), chooses the breaks
between words that make its lines most even, none wider than the box, and sets each line
as one run that does not break: the engine can then break between the runs only. The
text is not changed, so the PDF reads exactly as the editor typed it.
"""

from __future__ import annotations

import contextlib
import itertools
from contextvars import ContextVar
from functools import cache

from weasyprint.layout import block
from weasyprint.text.line_break import create_layout, line_size

from bulletin.text.hanzi import (
    CLOSING_MARKS,
    HAN_WESTERN_GAP_EM,
    OPENING_MARKS,
    is_cjk,
    needs_han_western_gap,
)

from .compat import ScopedPatches

BALANCE_ATTRIBUTE = "data-balance"
# Words that lean on the word before them: no line starts with one.
LEANING = frozenset("的地得了着过们")
# Marks that never split from their twin (——, ……), and the breaks that end a phrase,
# worth a little unevenness (in em², against the squared differences of line widths).
UNSPLIT = frozenset("—…")
PHRASE_ENDS = frozenset("，、：；！？")
PHRASE_BONUS = 1.0
# A term in quotes or title marks this short (“东数西算”, 《若干措施》) is one word.
PAIRS = {"“": "”", "‘": "’", "《": "》", "「": "」", "『": "』", "〈": "〉"}
SHORT_TERM = 8
MAX_LINES = 8
TOLERANCE_PX = 0.01


@cache
def _segmenter():
    """jieba's tokenizer with its dictionary read from the package itself: not from, nor
    into, the cache file it keeps in the system's temporary folder (about 0.5 s, once)."""
    import jieba

    tokenizer = jieba.Tokenizer()
    tokenizer.FREQ, tokenizer.total = tokenizer.gen_pfdict(tokenizer.get_dict_file())
    tokenizer.initialized = True
    return tokenizer


def word_ends(text: str) -> list[int]:
    """Offsets in `text` where one of its words ends (the text's end left out)."""
    ends, position = [], 0
    for word in _segmenter().cut(text):
        position += len(word)
        ends.append(position)
    return ends[:-1]


def _is_western(char: str) -> bool:
    return not char.isspace() and not is_cjk(char)


def _inside_terms(text: str) -> set[int]:
    """Offsets inside a short quoted term, where no line ends."""
    inside: set[int] = set()
    for start, char in enumerate(text):
        if char in PAIRS:
            end = text.find(PAIRS[char], start + 1)
            if 0 < end - start - 1 <= SHORT_TERM:
                inside.update(range(start + 1, end + 1))
    return inside


def break_points(text: str, lang) -> list[int]:
    """Where a line of the headline may end: between words, by clreq's rules for line
    starts and ends, never inside a Latin word, a number or a short quoted term, and
    where the engine breaks."""
    words = [0, *word_ends(text), len(text)]
    inside = _inside_terms(text)
    points = []
    for index, offset in enumerate(words[1:-1], 1):
        if offset in inside:
            continue
        before, after = text[offset - 1], text[offset]
        next_word = text[offset : words[index + 1]]
        if after in CLOSING_MARKS or before in OPENING_MARKS or next_word in LEANING:
            continue
        if (before in UNSPLIT and after == before) or (_is_western(before) and _is_western(after)):
            continue
        points.append(offset)
    return points


def _width(text: str, style, context) -> float:
    """The width of `text` set on one line, with the quarter-em Han–Western gaps."""
    text = text.strip()
    if not text:
        return 0.0
    layout = create_layout(text, style, context, None, 0)
    width = line_size(layout.get_first_line()[0], style)[0]
    gaps = sum(needs_han_western_gap(a, b) for a, b in itertools.pairwise(text))
    return width + gaps * HAN_WESTERN_GAP_EM * style["font_size"]


def choose_lines(text: str, points: list[int], width, available: float, em: float):
    """The breaks (offsets) that set `text` in the fewest lines none wider than
    `available`, their widths as even as can be; None when no such breaks exist."""
    cuts = [0, *points, len(text)]
    total = width(0, len(text))
    # Widths from the start, to pass over lines far too long without measuring them.
    reach = [width(0, cut) for cut in cuts]
    for count in range(2, MAX_LINES + 1):
        target = total / count
        # best[(j, n)]: the least cost of setting text[:cuts[j]] in n lines, and the cut before.
        best: dict[tuple[int, int], tuple[float, int]] = {(0, 0): (0.0, -1)}
        for n in range(1, count + 1):
            for j in range(1, len(cuts)):
                for i in range(j):
                    if (i, n - 1) not in best or reach[j] - reach[i] > available + 2 * em:
                        continue
                    line = width(cuts[i], cuts[j])
                    if line > available + TOLERANCE_PX:
                        continue
                    cost = best[(i, n - 1)][0] + ((line - target) / em) ** 2
                    if j < len(cuts) - 1 and text[cuts[j] - 1] in PHRASE_ENDS:
                        cost -= PHRASE_BONUS
                    if (j, n) not in best or cost < best[(j, n)][0]:
                        best[(j, n)] = (cost, i)
        end = (len(cuts) - 1, count)
        if end in best:
            breaks, j, n = [], end[0], count
            while n > 1:
                j = best[(j, n)][1]
                breaks.append(cuts[j])
                n -= 1
            return sorted(breaks)
    return None


def _text_boxes(box):
    """The headline's one line box and its text boxes, or None when it holds more."""
    if len(box.children) != 1 or type(box.children[0]).__name__ != "LineBox":
        return None
    line = box.children[0]
    if not line.children or any(type(c).__name__ != "TextBox" for c in line.children):
        return None
    return line, list(line.children)


def balance(context, box) -> None:
    """Set a headline wider than its box in balanced lines broken between words."""
    found = _text_boxes(box)
    if found is None:
        return
    line, pieces = found
    original = getattr(box, "bulletin_headline", None)
    if original is not None:  # laid out before (another page, another pass)
        if original[0] == box.width:
            return
        pieces = original[1]
    box.bulletin_headline = (box.width, pieces)
    text = "".join(piece.text for piece in pieces)
    style = pieces[0].style
    measured: dict[tuple[int, int], float] = {}

    def width(start: int, end: int) -> float:
        if (start, end) not in measured:
            measured[(start, end)] = _width(text[start:end], style, context)
        return measured[(start, end)]

    if width(0, len(text)) <= box.width + TOLERANCE_PX:
        line.children = pieces
        return
    breaks = choose_lines(
        text, break_points(text, style["lang"]), width, box.width, style["font_size"]
    )
    if breaks is None:
        line.children = pieces
        return
    unbroken = style.copy()
    unbroken["white_space"] = "nowrap"
    # Between the runs, a forced break (as <br> makes): the engine's own rule finds no break
    # opportunity after a closing quote, where Chinese may break.
    forced = style.copy()
    forced["white_space"] = "pre-line"
    runs = []
    for start, end in zip([0, *breaks], [*breaks, len(text)], strict=True):
        if runs:
            runs.append(pieces[0].copy_with_text("\n"))
            runs[-1].style = forced
        run = pieces[0].copy_with_text(text[start:end])
        run.style = unbroken
        runs.append(run)
    line.children = runs


_ACTIVE: ContextVar[bool] = ContextVar("bulletin_balanced_headlines", default=False)
_original_block_container_layout = block.block_container_layout


def _block_container_layout(context, box, bottom_space, skip_stack, *args, **kwargs):
    element = getattr(box, "element", None)
    marked = element is not None and element.get(BALANCE_ATTRIBUTE) is not None
    if marked and skip_stack is None and _ACTIVE.get():
        balance(context, box)
    return _original_block_container_layout(context, box, bottom_space, skip_stack, *args, **kwargs)


_PATCHES = ScopedPatches(lambda: [(block, "block_container_layout", _block_container_layout)])


@contextlib.contextmanager
def balanced_headlines():
    """Balance the marked headlines of what is laid out in this scope."""
    token = _ACTIVE.set(True)
    try:
        with _PATCHES.applied():
            yield
    finally:
        _ACTIVE.reset(token)
