"""Which text of a Word paragraph is imported: its runs, and what is hidden, changed or boxed."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..i18n import _
from .docx_symbols import symbol_text

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MATH = "http://schemas.openxmlformats.org/officeDocument/2006/math"
DRAWING = "http://schemas.openxmlformats.org/drawingml/2006/main"
TXBX = f"{{{W}}}txbxContent"
# Elements whose runs are the paragraph's own text, read as if they were not there.
TRANSPARENT = {"hyperlink", "smartTag", "customXml", "fldSimple", "dir", "bdo", "sdtContent"}
KEPT_CHANGES = {"ins", "moveTo"}  # tracked changes: inserted and moved-here text is kept,
DROPPED_CHANGES = {"del", "moveFrom"}  # deleted and moved-away text is not
TEXT_TAGS = (f"{{{W}}}t", f"{{{MATH}}}t", f"{{{DRAWING}}}t")
FALSE = ("0", "false", "off")
QUOTED_CHARS = 12  # how much of a paragraph a notice quotes: enough to find it in Word


@dataclass
class Walk:
    """One paragraph: the runs to import in order (with their plain `text`), and what is not
    imported as it stands, for notices."""

    runs: list = field(default_factory=list)
    text: str = ""
    hidden: list[str] = field(default_factory=list)  # hidden text, left out or kept
    ruby: list[tuple[str, str]] = field(default_factory=list)  # (base text, its annotation)
    symbols: list[tuple[str, str]] = field(default_factory=list)  # (font, code) not known
    changed: bool = False  # tracked changes not yet accepted
    boxes: list = field(default_factory=list)  # w:txbxContent, one per text box
    equations: list[str] = field(default_factory=list)
    other: list[tuple[str, str]] = field(default_factory=list)  # (element, its text)


def quote_start(text: str) -> str:
    """“近日，上海市委金融办…”: the first words of a paragraph, as notices name it."""
    text = " ".join(text.split())
    return f"“{text[:QUOTED_CHARS]}…”" if len(text) > QUOTED_CHARS else f"“{text}”"


def local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def namespace(tag) -> str:
    return tag[1:].split("}", 1)[0] if isinstance(tag, str) and tag.startswith("{") else ""


def text_of(element) -> str:
    """Every visible-looking text inside an element (w:t, m:t, a:t), for quoting it."""
    return "".join(t.text or "" for t in element.iter(*TEXT_TAGS))


def switched_on(toggle) -> bool:
    return toggle is not None and toggle.get(f"{{{W}}}val", "true").lower() not in FALSE


def hidden_styles(styles_element) -> set[str]:
    """The ids of styles whose text is hidden (w:vanish), directly or by the style they are
    based on."""
    if styles_element is None:
        return set()
    own: dict[str, bool | None] = {}
    based: dict[str, str] = {}
    for style in styles_element.iterfind(f"{{{W}}}style"):
        style_id = style.get(f"{{{W}}}styleId") or ""
        vanish = style.find(f"{{{W}}}rPr/{{{W}}}vanish")
        own[style_id] = None if vanish is None else switched_on(vanish)
        parent = style.find(f"{{{W}}}basedOn")
        if parent is not None:
            based[style_id] = parent.get(f"{{{W}}}val") or ""
    hidden = set()
    for style_id in own:
        seen, current = set(), style_id
        while current in own and current not in seen and own[current] is None:
            seen.add(current)
            current = based.get(current, "")
        if own.get(current):
            hidden.add(style_id)
    return hidden


def boxes_in(element) -> list:
    """The text boxes in a drawing, not those inside another text box of it (those are read
    with the box that holds them)."""
    found = []
    for box in element.iter(TXBX):
        outer = box.getparent()
        while outer is not None and outer is not element and outer.tag != TXBX:
            outer = outer.getparent()
        if outer is None or outer is element:
            found.append(box)
    return found


class Walker:
    """Walks paragraphs of one draft, with what its styles hide and whether hidden text is
    imported."""

    def __init__(self, hidden_style_ids: set[str] | None = None, include_hidden: bool = False):
        self.hidden_style_ids = hidden_style_ids or set()
        self.include_hidden = include_hidden

    def walk(self, p) -> Walk:
        walk = Walk()
        style = p.find(f"{{{W}}}pPr/{{{W}}}pStyle")
        hidden = style is not None and style.get(f"{{{W}}}val") in self.hidden_style_ids
        mark = p.find(f"{{{W}}}pPr/{{{W}}}rPr")
        if mark is not None and any(local(c.tag) in KEPT_CHANGES | DROPPED_CHANGES for c in mark):
            walk.changed = True
        pieces: list[str] = []
        self.children(p, walk, hidden, pieces)
        walk.text = "".join(pieces)
        return walk

    def children(self, element, walk: Walk, hidden: bool, pieces: list[str]) -> None:
        for child in element:
            tag, ns = local(child.tag), namespace(child.tag)
            if ns == W and tag == "r":
                self.run(child, walk, hidden, pieces)
            elif ns == W and tag in KEPT_CHANGES:
                walk.changed = True
                self.children(child, walk, hidden, pieces)
            elif ns == W and tag in DROPPED_CHANGES:
                walk.changed = True
            elif ns == W and tag == "sdt":
                content = child.find(f"{{{W}}}sdtContent")
                if content is not None:
                    self.children(content, walk, hidden, pieces)
            elif ns == W and tag in TRANSPARENT:
                self.children(child, walk, hidden, pieces)
            elif tag == "AlternateContent":
                branch = next((b for b in child if local(b.tag) in ("Choice", "Fallback")), None)
                if branch is not None:
                    self.children(branch, walk, hidden, pieces)
            elif tag in ("pPr", "rPr"):
                continue
            elif text := text_of(child):
                if ns == MATH:
                    walk.equations.append(text)
                else:
                    walk.other.append((tag, text))

    def run(self, r, walk: Walk, paragraph_hidden: bool, pieces: list[str]) -> None:
        vanish = r.find(f"{{{W}}}rPr/{{{W}}}vanish")
        if vanish is not None:
            hidden = switched_on(vanish)
        else:
            style = r.find(f"{{{W}}}rPr/{{{W}}}rStyle")
            by_style = style is not None and style.get(f"{{{W}}}val") in self.hidden_style_ids
            hidden = by_style or paragraph_hidden
        if hidden and not self.include_hidden:
            if text_of(r).strip():
                walk.hidden.append(text_of(r))
            return
        plain = run_plain(r, walk)
        if hidden and plain.strip():
            walk.hidden.append(plain)
        walk.runs.append(r)
        pieces.append(plain)
        for child in r:
            tag = local(child.tag)
            if tag == "ruby":
                self.ruby(child, walk, paragraph_hidden, pieces)
            elif tag in ("drawing", "pict"):
                walk.boxes += boxes_in(child)
            elif tag == "AlternateContent":
                for branch in child:
                    if boxes := boxes_in(branch):
                        walk.boxes += boxes
                        break

    def ruby(self, ruby, walk: Walk, hidden: bool, pieces: list[str]) -> None:
        """Ruby (注音): the base text is imported, the annotation above it noticed."""
        annotation = "".join(run_plain(r, walk) for r in ruby.iterfind(f"{{{W}}}rt/{{{W}}}r"))
        before = len(pieces)
        base = ruby.find(f"{{{W}}}rubyBase")
        if base is not None:
            self.children(base, walk, hidden, pieces)
        if annotation.strip():
            walk.ruby.append(("".join(pieces[before:]), annotation))


def char_of(child) -> str | None:
    """The text a run's child stands for (w:t, a tab, a break, a symbol), None for others."""
    tag = local(child.tag)
    if tag == "t":
        return child.text or ""
    if tag in ("tab", "ptab"):
        return " "
    if tag in ("br", "cr"):
        return "\n"
    if tag == "noBreakHyphen":
        return "-"
    if tag == "sym":
        font, code = child.get(f"{{{W}}}font") or "", child.get(f"{{{W}}}char") or ""
        return symbol_text(font, code) or ""
    return None


def run_plain(r, walk: Walk | None = None) -> str:
    """A run's own characters as plain text (a ruby's base is read as runs of its own);
    symbols that cannot be told are kept in `walk` for their notice."""
    pieces = []
    for child in r:
        chars = char_of(child)
        if chars == "" and walk is not None and local(child.tag) == "sym":
            walk.symbols.append(
                (child.get(f"{{{W}}}font") or "", (child.get(f"{{{W}}}char") or "").upper())
            )
        pieces.append(chars or "")
    return "".join(pieces)


def walk_notices(walk: Walk, include_hidden: bool) -> list[str]:
    """What a notice says of a paragraph's text that is not imported as it stands."""
    messages = []
    if walk.hidden:
        hidden = quote_start("".join(walk.hidden))
        if include_hidden:
            messages.append(
                _("hidden text {text} is imported (--include-hidden)").format(text=hidden)
            )
        else:
            messages.append(
                _(
                    "hidden text {text} is not imported (Word does not print it); "
                    "--include-hidden imports it"
                ).format(text=hidden)
            )
    if walk.ruby:
        pairs = "、".join(f"{base}（{annotation}）" for base, annotation in walk.ruby)
        messages.append(
            _("ruby text is not imported ({pairs}); the base text is kept").format(
                pairs=quote_start(pairs)
            )
        )
    for font, code in walk.symbols:
        messages.append(
            _(
                "a symbol ({font}, character code {code}) is not imported; insert it in Word "
                "as a character of an ordinary font"
            ).format(font=font or "?", code=code or "?")
        )
    for text in walk.equations:
        messages.append(
            _(
                "an equation {text} is not imported; type it as text or paste it as a picture"
            ).format(text=quote_start(text))
        )
    for element, text in walk.other:
        messages.append(
            _(
                "text {text} in a Word {element} element is not imported; type it in the body"
            ).format(text=quote_start(text), element=element)
        )
    return messages


def tracked_changes() -> str:
    return _(
        "the draft has tracked changes not yet accepted (the first is here): inserted text is "
        "imported, deleted text is not; accept or reject them in Word to be sure"
    )
