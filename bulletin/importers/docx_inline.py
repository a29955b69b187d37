"""A Word paragraph's runs → Markdown: formatting, links, pictures, notes and tables."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import quote, urlsplit

from bulletin.text.hanzi import is_cjk

from ..errors import Problem
from ..i18n import N_, _
from .docx_pictures import as_png, picture_too_large
from .docx_walk import (
    TXBX,
    Walker,
    char_of,
    hidden_styles,
    local,
    quote_start,
    text_of,
    tracked_changes,
    walk_notices,
)
from .writer import escape_inline

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {
    "w": W,
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "v": "urn:schemas-microsoft-com:vml",
    "o": "urn:schemas-microsoft-com:office:office",
}
R_EMBED = f"{{{NS['r']}}}embed"
R_LINK = f"{{{NS['r']}}}link"
R_ID = f"{{{NS['r']}}}id"
KEPT_SCHEMES = ("http", "https", "mailto")
# Where a notice about a note's text points: 'footnote “…”'.
NOTE_KINDS = {"footnotes": N_("footnote {text}"), "endnotes": N_("endnote {text}")}
# Pictures are kept in their own format when the engine prints it, else converted to PNG.
PICTURE_FORMATS = {"image/png": "png", "image/jpeg": "jpg", "image/gif": "gif"}
CONVERTED_FORMATS = {"image/bmp", "image/tiff", "image/x-ms-bmp"}
# Characters that end a link destination or start Markdown inside one: percent-encoded.
_URL_SAFE = "/:@!$&'*+,;=?#~%-._[]"


@dataclass
class Figure:
    """A picture taken out of the draft, placed as a figure, with its alt text and caption."""

    data: bytes
    suffix: str
    alt: str
    where: str = ""  # the paragraph it is in, for notices
    caption: str = ""  # typed under (or over) it in Word, 图：taken off


@dataclass
class Inline:
    """A paragraph as Markdown, the pictures it holds, and where notices should point."""

    markdown: str
    figures: list[Figure] = field(default_factory=list)
    boxes: list = field(default_factory=list)  # w:txbxContent of its text boxes, to place


def link_address(address: str) -> str | None:
    """An address as a Markdown link destination, or None for a scheme that is not kept.

    Every character that could end the destination or mean something to Markdown
    (spaces, newlines, <, >, parentheses, backslashes, quotes) is percent-encoded."""
    address = address.strip()
    scheme = urlsplit(address).scheme.lower() if ":" in address else ""
    if scheme not in KEPT_SCHEMES:
        return None
    return quote(address, safe=_URL_SAFE.replace("[", "").replace("]", ""))


class InlineReader:
    """Turns the paragraphs of one draft into Markdown, collecting what it reports."""

    def __init__(self, document, name: str, notices: list[Problem], include_hidden: bool = False):
        self.document = document
        self.name = name
        self.notices = notices
        self.notes: dict[str, dict[str, object]] = {}  # "footnotes" | "endnotes" → id → w:footnote
        self.walker = Walker(hidden_styles(document.styles.element), include_hidden)
        self.changes_noticed = False

    def text(self, p) -> str:
        """The plain text of a paragraph as it is imported (text boxes, hidden text, deleted
        text and ruby annotations left out)."""
        return self.walker.walk(p).text

    def notice(self, where: str, message: str) -> None:
        self.notices.append(Problem(self.name, None, where, message))

    # --- paragraphs ---------------------------------------------------------------------------

    def paragraph(
        self, p, where: str, note: Callable[[str], str] | None = None, part=None
    ) -> Inline:
        """Markdown of a w:p: bold, italic and strikethrough kept, links checked, pictures
        taken out, note references replaced by their markers."""
        from docx.text.run import Run

        result = Inline("")
        parts: list[str] = []
        link: tuple[object, list[str]] | None = None  # (w:hyperlink element, its texts)
        dropped: dict[str, list[str]] = {}
        walked = self.walker.walk(p)
        for r in walked.runs:
            run = Run(r, self.document.part)
            hyperlink = next(iter(r.iterancestors(f"{{{W}}}hyperlink")), None)
            if link is not None and hyperlink is not link[0]:
                parts.append(self.link_markdown(link, where))
                link = None
            text = self.run_text(r, result, where, note, part or self.document.part)
            if run.underline and text.strip():
                dropped.setdefault("underline", []).append(text.strip())
            if hyperlink is not None:
                link = link or (hyperlink, [])
                link[1].append(escape_inline(text))
                continue
            parts.append(styled(text, run))
        if link is not None:
            parts.append(self.link_markdown(link, where))
        for message in walk_notices(walked, self.walker.include_hidden):
            self.notice(where, message)
        if walked.changed and not self.changes_noticed:
            self.changes_noticed = True
            self.notice(where, tracked_changes())
        result.boxes = walked.boxes
        for texts in dropped.values():
            self.notice(
                where,
                _("underline is not imported ({text}); the text is kept").format(
                    text=quote_start("".join(texts))
                ),
            )
        result.markdown = join_lines("".join(parts)).strip()
        return result

    def run_text(self, r, result: Inline, where: str, note, part) -> str:
        """A run's text in order; pictures and note references found in it are handled."""
        pieces = []
        for child in r:
            tag = child.tag.rsplit("}", 1)[-1]
            if (chars := char_of(child)) is not None:
                pieces.append(chars)
            elif tag in ("drawing", "pict"):
                result.figures += self.pictures(child, where, part)
            elif tag == "AlternateContent":  # Word's newer drawing, with an older fallback
                for branch in child:
                    is_branch = branch.tag.rsplit("}", 1)[-1] in ("Choice", "Fallback")
                    if is_branch and (figures := self.pictures(branch, where, part)):
                        result.figures += figures
                        break
            elif tag == "object":
                self.notice(
                    where, _("an embedded object (chart, equation or file) is not imported")
                )
            elif tag in ("footnoteReference", "endnoteReference"):
                pieces.append(note(self.note_text(child, tag)) if note else "")
        return "".join(pieces)

    def link_markdown(self, link: tuple[object, list[str]], where: str) -> str:
        element, texts = link
        text = "".join(texts)
        rid = element.get(R_ID)
        if not rid:  # a link to a bookmark inside the draft: nothing to follow in print
            return text
        rel = self.document.part.rels.get(rid)
        address = getattr(rel, "target_ref", "") if rel is not None else ""
        destination = link_address(address)
        if destination is None:
            shown = " ".join(address.split())[:40]
            self.notice(
                where,
                _(
                    "link to {address} is not imported (only http, https and mailto links "
                    "are); the text is kept"
                ).format(address=repr(shown)),
            )
            return text
        return f"[{text}]({destination})" if text.strip() else text

    # --- pictures -----------------------------------------------------------------------------

    def pictures(self, element, where: str, part) -> list[Figure]:
        """The pictures in a drawing; those in a text box are read with the box's text."""
        found = []
        for blip in element.iterfind(".//a:blip", NS):
            if in_box(blip, element):
                continue
            alt = picture_alt(blip)
            found += self.picture(blip.get(R_EMBED), blip.get(R_LINK), alt, where, part)
        for image in element.iterfind(".//v:imagedata", NS):
            if in_box(image, element):
                continue
            shape = image.getparent()
            alt = shape.get("alt") or image.get(f"{{{NS['o']}}}title") or ""
            found += self.picture(image.get(R_ID), None, alt, where, part)
        return found

    def picture(self, rid, linked, alt: str, where: str, part) -> list[Figure]:
        target = part.related_parts.get(rid) if rid else None
        if target is None:
            # Linked by r:link, or by an r:embed whose relationship points outside the draft.
            if linked or rid:
                self.notice(
                    where,
                    _(
                        "a linked picture (not saved in the draft) is not imported; insert the "
                        "picture itself in Word"
                    ),
                )
            return []
        kind = getattr(target, "content_type", "")
        data = target.blob
        suffix = PICTURE_FORMATS.get(kind)
        too_large = picture_too_large(data)
        if too_large:
            self.notice(
                where,
                _("a picture of {size} is not imported: too large to print").format(size=too_large),
            )
            return []
        if suffix is None and kind in CONVERTED_FORMATS:
            data, suffix = as_png(data), "png"
        if suffix is None or not data:
            shown = kind.rsplit("/", 1)[-1] or "?"
            self.notice(
                where,
                _(
                    "a picture in {format} format is not imported; save it as PNG or JPEG in Word"
                ).format(format=shown),
            )
            return []
        return [Figure(data, suffix, alt, where)]

    # --- notes and tables ---------------------------------------------------------------------

    def note_text(self, reference, tag: str) -> str:
        """The Markdown text of the footnote or endnote a reference points to."""
        kind = "footnotes" if tag == "footnoteReference" else "endnotes"
        notes = self.notes.get(kind, {})
        body = notes.get(reference.get(f"{{{W}}}id"))
        if body is None:
            return ""
        texts = []
        for p in paragraphs_in(body):
            where = _(NOTE_KINDS[kind]).format(text=quote_start(self.text(p)))
            texts.append(self.boxed(self.paragraph(p, where), where).markdown)
        return " ".join(t for t in texts if t)

    def boxed(self, inline: Inline, where: str) -> Inline:
        """A paragraph where its text boxes cannot be placed (a table, a note): each noticed."""
        for box in inline.boxes:
            self.notice(
                where,
                _("a text box here is not imported ({text}); copy its text into the body").format(
                    text=quote_start(text_of(box))
                ),
            )
        return inline

    def table(self, tbl, where: str) -> str:
        """A Word table as a GFM table: the first row is the header; merged cells are empty."""
        rows = []
        for tr in unwrapped(tbl, "tr"):
            cells = []
            for tc in unwrapped(tr, "tc"):
                span = tc.find("w:tcPr/w:gridSpan", NS)
                merged = tc.find("w:tcPr/w:vMerge", NS)
                continued = merged is not None and merged.get(f"{{{W}}}val") in (None, "continue")
                inlines = [self.boxed(self.paragraph(p, where), where) for p in paragraphs_in(tc)]
                if any(inline.figures for inline in inlines):
                    self.notice(where, _("a picture inside a table is not imported"))
                texts = [inline.markdown for inline in inlines]
                cells.append("" if continued else " ".join(t for t in texts if t))
                width = int(span.get(f"{{{W}}}val", "1")) if span is not None else 1
                cells += [""] * max(0, min(width, 64) - 1)
            rows.append(cells)
        columns = max((len(row) for row in rows), default=0)
        if columns == 0:
            return ""
        lines = [
            "| "
            + " | ".join(cell.replace("\n", " ") for cell in row + [""] * (columns - len(row)))
            + " |"
            for row in rows
        ]
        lines.insert(1, "|" + "---|" * columns)
        return "\n".join(lines)


def in_box(element, within) -> bool:
    """Whether an element lies in a text box inside `within`."""
    for ancestor in element.iterancestors():
        if ancestor is within:
            return False
        if ancestor.tag == TXBX:
            return True
    return False


def paragraphs_in(element) -> list:
    """The w:p inside a table cell or a note, in content controls and nested tables too;
    those in text boxes are left to the paragraph that holds the box."""
    return [p for p in element.iter(f"{{{W}}}p") if not in_box(p, element)]


def unwrapped(element, tag: str):
    """The rows of a table or the cells of a row, also those inside content controls and
    custom XML."""
    for child in element:
        name = local(child.tag)
        if name == tag:
            yield child
        elif name == "sdt":
            content = child.find("w:sdtContent", NS)
            if content is not None:
                yield from unwrapped(content, tag)
        elif name == "customXml":
            yield from unwrapped(child, tag)


def p_text(p) -> str:
    """A paragraph's plain text as imported by default, for quoting it in a notice."""
    return Walker().walk(p).text


def styled(text: str, run) -> str:
    """Escaped text with its bold, italic and strikethrough as Markdown around its core."""
    if not text.strip():
        return escape_inline(text)
    core = escape_inline(text.strip())
    lead = text[: len(text) - len(text.lstrip())]
    trail = text[len(text.rstrip()) :]
    if run.font.strike or run.font.double_strike:
        core = f"~~{core}~~"
    bold, italic = flag(run, "bold"), flag(run, "italic")
    if bold and italic:
        core = f"***{core}***"
    elif bold:
        core = f"**{core}**"
    elif italic:
        core = f"*{core}*"
    return lead + core + trail


def flag(run, name: str) -> bool:
    value = getattr(run, name)
    if value is not None:
        return bool(value)
    return bool(run.style is not None and getattr(run.style.font, name))


def join_lines(text: str) -> str:
    """A line break inside a paragraph: nothing between Chinese text, a space otherwise.
    Markdown never sees a new line, so none can start a heading or a list."""

    def joined(match: re.Match[str]) -> str:
        before, after = match.string[match.start() - 1 : match.start()], match.group(1)
        return "" if (before and is_cjk(before)) or (after and is_cjk(after)) else " "

    return re.sub(r"\n+(.?)", lambda m: joined(m) + m.group(1), text)


def picture_alt(blip) -> str:
    """The alt text Word stores beside a picture (descr, else its title)."""
    for ancestor in blip.iterancestors():
        if ancestor.tag.rsplit("}", 1)[-1] in ("inline", "anchor"):
            doc_pr = ancestor.find("wp:docPr", NS)
            if doc_pr is not None:
                return " ".join((doc_pr.get("descr") or doc_pr.get("title") or "").split())
    return ""
