"""Emphasis beside Chinese text: CommonMark's delimiter rules, with CJK characters allowed.

CommonMark decides whether `*` or `**` opens or closes emphasis from the characters on
either side: punctuation inside and a letter outside (`**“双碳”**目标`, `**这一句。**下一句`)
blocks it, which suits languages that put spaces around words and leaves Chinese emphasis
as literal asterisks. The CJK-friendly rule that other Markdown engines adopted counts a
CJK character (Han, kana, full-width punctuation) on either side as allowing the run, and
CJK punctuation as never blocking it. Where no CJK character touches the run, the result
is CommonMark's own. Only parsers given `cjk_friendly_emphasis` are affected.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.common.utils import isMdAsciiPunct, isPunctChar, isWhiteSpace
from markdown_it.rules_inline.state_inline import Scanned, StateInline

from bulletin.text.hanzi import is_cjk

_FLAG = "bulletin_cjk_friendly_emphasis"
_commonmark_scan_delims = StateInline.scanDelims


def cjk_friendly_emphasis(parser: MarkdownIt) -> None:
    """A markdown-it plugin: `parser.use(cjk_friendly_emphasis)`."""
    setattr(parser, _FLAG, True)


def _punctuation(char: str) -> bool:
    return isMdAsciiPunct(ord(char)) or isPunctChar(char)


def _scan_delims(self: StateInline, start: int, canSplitWord: bool) -> Scanned:
    scanned = _commonmark_scan_delims(self, start, canSplitWord)
    if not getattr(self.md, _FLAG, False) or (scanned.can_open and scanned.can_close):
        return scanned
    end = start
    while end < self.posMax and self.src[end] == self.src[start]:
        end += 1
    before = self.src[start - 1] if start > 0 else " "
    after = self.src[end] if end < self.posMax else " "
    if not (is_cjk(before) or is_cjk(after)):
        return scanned
    # Blocking: punctuation that is not CJK. Allowing: any CJK character, or punctuation.
    before_blocks = _punctuation(before) and not is_cjk(before)
    after_blocks = _punctuation(after) and not is_cjk(after)
    before_allows = is_cjk(before) or _punctuation(before)
    after_allows = is_cjk(after) or _punctuation(after)
    before_space, after_space = isWhiteSpace(ord(before)), isWhiteSpace(ord(after))
    left = not after_space and (not after_blocks or before_space or before_allows)
    right = not before_space and (not before_blocks or after_space or after_allows)
    if canSplitWord:
        can_open, can_close = left, right
    else:  # `_` may not open or close inside a word
        can_open = left and (not right or before_allows)
        can_close = right and (not left or after_allows)
    return type(scanned)(can_open, can_close, scanned.length)


StateInline.scanDelims = _scan_delims  # type: ignore[method-assign]  # only with the plugin
