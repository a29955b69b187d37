"""A PDF's skeleton checked before its pages are read: encryption, cycles, tree, boxes, fonts.

Each fault is said in one line, instead of a reader's crash or endless loop.
"""

from __future__ import annotations

import math

from bulletin.i18n import _

# Real page trees are a few levels deep (pdfminer recurses once per level).
MAX_TREE_DEPTH = 64
# Forms drawing forms: as deep as any real file nests them.
MAX_FORM_DEPTH = 32
# ISO 32000-1 Annex C.2: a page is 3 to 14,400 units (of 1 pt) in either direction.
MIN_SIDE_PT, MAX_SIDE_PT = 3, 14_400
BOXES = ("/MediaBox", "/CropBox", "/BleedBox", "/TrimBox", "/ArtBox")
INHERITED = ("/MediaBox", "/CropBox", "/Resources")
FONT_FILES = ("/FontFile", "/FontFile2", "/FontFile3")


class Damaged(Exception):
    """The file cannot be checked; the message says why, for the reader of the report."""


def reason_of(error: BaseException) -> str:
    """An exception as a short reason for a message: its type and the start of its text."""
    text = " ".join(str(error).split())
    text = text if len(text) <= 80 else text[:79] + "…"
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def check_encryption(reader) -> None:
    if reader.is_encrypted:
        raise Damaged(
            _("encrypted: preflight needs the unencrypted PDF (save a copy without a password)")
        )


def check_references(document) -> None:
    """No object of pdfminer's document is a reference that never ends (a reference cycle:
    pdfminer would follow it for ever, and not even stop for SIGTERM)."""
    from pdfminer.pdftypes import PDFObjRef

    for xref in document.xrefs:
        for number in xref.get_objids():
            target, seen = _raw(document, number), {number}
            while isinstance(target, PDFObjRef):
                if target.objid in seen:
                    raise Damaged(
                        _(
                            "a reference cycle: object {n} refers to itself, directly or "
                            "through other objects"
                        ).format(n=number)
                    )
                seen.add(target.objid)
                target = _raw(document, target.objid)


def _raw(document, number: int):
    try:
        return document.getobj(number)
    except Exception:  # a broken or missing object: whoever uses it finds that out
        return None


def check_structure(reader) -> None:
    """The page tree: no cycles, not too deep, each page's boxes and font entries sound."""
    root = _resolve(reader.trailer.get("/Root"))
    if not hasattr(root, "get"):
        raise Damaged(_("no document catalogue (/Root)"))
    top = root.get("/Pages")
    number = 0
    seen: set[int] = set()
    on_path: set[int] = set()
    # Depth first, kids in order: (node, depth, inherited attributes), or None to leave one.
    stack: list = [(top, 1, {}, None)]
    while stack:
        item = stack.pop()
        if item[0] is None:
            on_path.discard(item[3])
            continue
        reference, depth, inherited, parent = item
        key = getattr(reference, "idnum", None)
        if key is not None and key == parent:
            raise Damaged(
                _("the page tree contains itself: object {n} is among its own kids").format(n=key)
            )
        if key is not None and key in seen:
            if key in on_path:
                raise Damaged(
                    _("the page tree has a cycle: object {n} is among its own descendants").format(
                        n=key
                    )
                )
            raise Damaged(_("the page tree lists object {n} twice").format(n=key))
        node = _resolve(reference)
        if not hasattr(node, "get"):
            raise Damaged(_("the page tree has an entry that is not a dictionary"))
        if key is not None:
            seen.add(key)
        if "/Kids" not in node and node.get("/Type") != "/Pages":
            number += 1
            _check_page(node, number, inherited)
            continue
        if depth > MAX_TREE_DEPTH:
            raise Damaged(
                _("the page tree is more than {depth} levels deep").format(depth=MAX_TREE_DEPTH)
            )
        kids = _resolve(node.get("/Kids"))
        if not isinstance(kids, list):
            raise Damaged(_("the page tree has a node whose /Kids is not an array"))
        inherited = {**inherited, **{k: node[k] for k in INHERITED if k in node}}
        if key is not None:
            on_path.add(key)
            stack.append((None, depth, inherited, key))
        stack += [(kid, depth + 1, inherited, key) for kid in reversed(kids)]
    _check_parents(reader, root)


def _check_parents(reader, root) -> None:
    """Each page's /Parent chain leads up to the top of the tree without a cycle."""
    top = getattr(root.get("/Pages"), "idnum", None)
    sound: set[int] = set()
    for reference in _page_references(root):
        chain: list[int] = []
        node = _resolve(reference)
        while hasattr(node, "get") and "/Parent" in node:
            parent = node.raw_get("/Parent") if hasattr(node, "raw_get") else node["/Parent"]
            key = getattr(parent, "idnum", None)
            if key is None or key in sound or key == top:
                break
            if key in chain or len(chain) > MAX_TREE_DEPTH:
                raise Damaged(
                    _("the page tree's /Parent entries form a cycle (through object {n})").format(
                        n=key
                    )
                )
            chain.append(key)
            node = _resolve(parent)
        sound.update(chain)


def _page_references(root):
    """The pages' references (the tree is known sound, downward, by now)."""
    stack = [root.get("/Pages")]
    while stack:
        node = _resolve(stack.pop())
        kids = _resolve(node.get("/Kids")) if hasattr(node, "get") else None
        if isinstance(kids, list):
            stack += reversed(kids)
        else:
            yield node


def _resolve(value):
    """An object through its reference; None if it cannot be read."""
    try:
        return value.get_object() if hasattr(value, "get_object") else value
    except Exception:  # pypdf raises many types for an object it cannot read
        return None


def _check_page(page, number: int, inherited: dict) -> None:
    where = _("page {n}").format(n=number)
    attributes = {**inherited, **{k: page[k] for k in INHERITED if k in page}}
    if "/MediaBox" not in attributes:
        raise Damaged(_("{where}: no MediaBox").format(where=where))
    for name in BOXES:
        value = attributes.get(name, page.get(name))
        if value is not None:
            _check_box(_resolve(value), name, where)
    resources = _resolve(attributes.get("/Resources"))
    _check_resources(resources, where, set(), 0)


def _check_box(box, name: str, where: str) -> None:
    values = [_resolve(v) for v in box] if isinstance(box, list) else []
    numbers = [float(v) for v in values if isinstance(v, int | float) and not isinstance(v, bool)]
    shown = "[" + " ".join(str(v) for v in values) + "]" if values else str(box)
    shown = shown if len(shown) <= 60 else shown[:57] + "…"
    if len(numbers) != 4 or len(values) != 4 or not all(math.isfinite(v) for v in numbers):
        raise Damaged(
            _("{where}: {box} {value} is not four numbers").format(
                where=where, box=name[1:], value=shown
            )
        )
    width, height = numbers[2] - numbers[0], numbers[3] - numbers[1]
    if not (MIN_SIDE_PT <= width <= MAX_SIDE_PT and MIN_SIDE_PT <= height <= MAX_SIDE_PT):
        raise Damaged(
            _(
                "{where}: {box} {value} is {width:g} × {height:g} pt; a page is {low} to "
                "{high} pt each way"
            ).format(
                where=where,
                box=name[1:],
                value=shown,
                width=width,
                height=height,
                low=MIN_SIDE_PT,
                high=f"{MAX_SIDE_PT:,}",
            )
        )


def _check_resources(resources, where: str, seen: set[int], depth: int) -> None:
    """The fonts of a page's resources and of the forms it draws, each form once."""
    if resources is None:
        return
    if not hasattr(resources, "get"):
        raise Damaged(_("{where}: its /Resources is not a dictionary").format(where=where))
    fonts = _resolve(resources.get("/Font"))
    if fonts is not None and not hasattr(fonts, "items"):
        raise Damaged(_("{where}: its /Font resources are not a dictionary").format(where=where))
    for name, font in (fonts or {}).items():
        _check_font(_resolve(font), f"{where}: " + _("font {name}").format(name=name[1:]))
    xobjects = _resolve(resources.get("/XObject"))
    for item in (xobjects or {}).values() if hasattr(xobjects, "values") else ():
        key = getattr(item, "idnum", None)
        form = _resolve(item)
        if key in seen or not hasattr(form, "get") or form.get("/Subtype") != "/Form":
            continue
        if depth >= MAX_FORM_DEPTH:
            raise Damaged(
                _("{where}: forms nested more than {depth} deep").format(
                    where=where, depth=MAX_FORM_DEPTH
                )
            )
        if key is not None:
            seen.add(key)
        _check_resources(_resolve(form.get("/Resources")), where, seen, depth + 1)


def _check_font(font, where: str) -> None:
    if not hasattr(font, "get"):
        raise Damaged(_("{where} is not a font dictionary").format(where=where))
    fonts = [font]
    if font.get("/Subtype") == "/Type0":
        descendants = _resolve(font.get("/DescendantFonts"))
        first = _resolve(descendants[0]) if isinstance(descendants, list) and descendants else None
        if not hasattr(first, "get"):
            raise Damaged(
                _("{where} (Type0) has no descendant font (/DescendantFonts)").format(where=where)
            )
        fonts.append(first)
    for each in fonts:
        descriptor = _resolve(each.get("/FontDescriptor"))
        if descriptor is None:
            continue
        if not hasattr(descriptor, "get"):
            raise Damaged(_("{where}: its /FontDescriptor is not a dictionary").format(where=where))
        for key in FONT_FILES:
            if key in descriptor and not hasattr(_resolve(descriptor[key]), "get_data"):
                raise Damaged(
                    _("{where}: its {entry} is not a stream").format(where=where, entry=key[1:])
                )
