"""SVG drawings: read as XML within budgets, refused when they could run code or fetch a file."""

from __future__ import annotations

import re

from bulletin.i18n import N_, _

# A drawing is read as XML without DTDs or entities; these bound what the engine would draw.
MAX_SVG_BYTES = 2 * 1024 * 1024
MAX_SVG_ELEMENTS = 20_000
MAX_SVG_USES = 200

SVG_TOO_MUCH = N_(
    "an SVG drawing too large or too repetitive to print (over 2 MB, 20,000 elements or "
    "200 reused parts, or with a DTD); save it as a PNG"
)
SVG_PICTURE = N_("an SVG drawing holding a picture of its own; save it as a PNG")
# A picture is data: an SVG is also a document, which a browser opening it runs on the
# site's address. Anything that could run code or fetch a file is refused, never removed:
# the editor fixes the drawing, and what prints is what they saw.
SVG_ACTIVE = N_(
    "an SVG drawing that could run code or fetch another file ({what}); a picture may hold "
    "only its drawing: save it as a PNG, or remove that from the drawing"
)
DAMAGED = N_("the picture is incomplete or damaged; save it again from the original")

XHTML = "{http://www.w3.org/1999/xhtml}"
XINCLUDE = "{http://www.w3.org/2001/XInclude}"
# Elements that run code, embed a document or play media (names compared in lower case).
RUNNING = frozenset(("script", "foreignobject", "handler", "listener"))
EMBEDDING = frozenset(("iframe", "embed", "object", "audio", "video", "html", "body"))
ACTIVE_ELEMENTS = RUNNING | EMBEDDING
ANIMATIONS = frozenset(("set", "animate", "animatetransform", "animatemotion", "animatecolor"))
# Only references inside the drawing (url(#gradient), href="#marker") are allowed.
_URL_CALL = re.compile(r"url\(\s*(['\"]?)\s*(?P<first>.)", re.IGNORECASE | re.DOTALL)
_CSS_FETCHES = ("@import", "image-set(", "image(")
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")
_CSS_COMMENT = re.compile(r"/\*.*?(?:\*/|$)", re.DOTALL)
_CSS_ESCAPE = re.compile(r"\\(?:([0-9a-fA-F]{1,6})[ \t\r\n\f]?|(.))", re.DOTALL)
_SCRIPT_SCHEMES = ("javascript:", "vbscript:")


def svg_problem(data: bytes) -> str | None:
    """Why these bytes are not a drawing that may be printed and published, or None.

    Within budget (size, elements, reuses, no DTD), no picture of its own (it would escape
    the picture budget), and nothing active: no script, event handler, foreignObject,
    processing instruction, reference to another file (href, src, CSS url(), @import) or
    javascript: address.
    """
    from xml.etree.ElementTree import XMLPullParser

    if len(data) > MAX_SVG_BYTES or b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        return _(SVG_TOO_MUCH)
    parser = XMLPullParser(events=("start", "end", "pi"))
    elements = uses = 0
    try:
        parser.feed(data)
        parser.close()
        for event, element in parser.read_events():
            if event == "pi":
                target = (element.text or "").split(maxsplit=1)[:1] or [""]
                return _(SVG_ACTIVE).format(what=f"<?{shown(target[0])}?>")
            tag = str(element.tag)
            name = tag.rsplit("}", 1)[-1].lower()
            if event == "end":
                found = css_fetch(element.text or "") if name == "style" else None
                if found:
                    return _(SVG_ACTIVE).format(what=found)
                continue
            elements += 1
            uses += name == "use"
            if name == "image":
                return _(SVG_PICTURE)
            if elements > MAX_SVG_ELEMENTS or uses > MAX_SVG_USES:
                return _(SVG_TOO_MUCH)
            if name in ACTIVE_ELEMENTS or tag.startswith((XHTML, XINCLUDE)):
                return _(SVG_ACTIVE).format(what=f"<{shown(tag.rsplit('}', 1)[-1])}>")
            if found := active_attribute(name, element.attrib):
                return _(SVG_ACTIVE).format(what=found)
    except Exception:  # any parse error: not a drawing that can be trusted to print
        return _(DAMAGED)
    return None


def active_attribute(element: str, attributes: dict[str, str]) -> str | None:
    """The first attribute of an element that runs code or fetches a file, as shown."""
    for key, value in attributes.items():
        name = key.rsplit("}", 1)[-1].lower()
        if name.startswith("on"):
            return shown(key.rsplit("}", 1)[-1])
        if name in ("href", "src") and not value.strip(" \t\r\n").startswith("#"):
            return name
        if element in ANIMATIONS and name == "attributename":
            target = value.strip().rsplit(":", 1)[-1].lower()
            if target in ("href", "src") or target.startswith("on"):
                return f"{key.rsplit('}', 1)[-1]}={shown(value.strip())}"
        compact = _INVISIBLE.sub("", value).lower()
        if any(scheme in compact for scheme in _SCRIPT_SCHEMES):
            return "javascript:"
        styled = name == "style" or "url(" in value.lower()
        if styled and (found := css_fetch(value)):
            return found
    return None


def css_fetch(css: str) -> str | None:
    """What in a style sheet or style attribute would fetch a file (url() of anything but
    a part of the drawing, @import, image-set()), read with comments and escapes undone."""
    css = _CSS_ESCAPE.sub(_unescaped, _CSS_COMMENT.sub("", css))
    lowered = css.lower()
    for construct in _CSS_FETCHES:
        if construct in lowered:
            return construct
    for call in _URL_CALL.finditer(css):
        if call["first"] != "#":
            return "url()"
    return None


def _unescaped(match: re.Match) -> str:
    if match[1] is None:
        return match[2]
    code = int(match[1], 16)
    return chr(code) if 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else "\ufffd"


def shown(name: str) -> str:
    """A name from the drawing, cut short for a one-line message."""
    return name if len(name) <= 40 else name[:39] + "…"
