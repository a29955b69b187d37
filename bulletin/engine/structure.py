"""The tagged PDF's structure tree and its links, tidied in place before the file is written."""

from __future__ import annotations

from dataclasses import dataclass, field

import pydyf
from weasyprint.formatting_structure import boxes
from weasyprint.layout.absolute import AbsolutePlaceholder


def tidy(document, pdf) -> None:
    """One described annotation per link and page; in a tagged PDF, a tree a reader follows."""
    links = [link for page in range(len(document.pages)) for link in _links(document, pdf, page)]
    tree = _StructureTree(pdf) if "StructTreeRoot" in pdf.catalog else None
    if tree is not None:
        tree.mark_running_heads_as_artifacts()
        tree.join_continued_elements(document.pages)
    for link in links:
        link.merge(pdf, tree)
    if tree is not None:
        tree.mark_leaders_as_artifacts()
        tree.put_captions_in_figures()
        tree.scope_table_headers()
        tree.drop_empty_elements(tree.document)


@dataclass
class _Link:
    """One link on one page: WeasyPrint gives every box inside an <a> an annotation of its
    own (the title, its ::after, the leader in that), each tagged as a Link in the one before."""

    page: int
    element: object  # the <a> element
    target: str
    description: str
    annotations: list[tuple[pydyf.Dictionary, bool]] = field(default_factory=list)

    def merge(self, pdf, tree: _StructureTree | None) -> None:
        """Keep the first annotation, over all the link's boxes, described by its text."""
        (kept, _), *others = self.annotations
        rectangles = [annotation["Rect"] for annotation, _ in self.annotations]
        xs = [x for rectangle in rectangles for x in rectangle[0::2]]
        ys = [y for rectangle in rectangles for y in rectangle[1::2]]
        kept["Rect"] = pydyf.Array([min(xs), min(ys), max(xs), max(ys)])
        kept["Contents"] = pydyf.String(self.description)
        page = pdf.objects[_number(pdf.page_references[self.page])]
        for annotation, _ in others:
            page["Annots"].remove(annotation.reference)
        if tree is not None:
            tree.merge_link(self.page, kept, others, self.description)
        for annotation, _ in others:
            annotation.clear()


def _links(document, pdf, page: int) -> list[_Link]:
    """The page's links in reading order, each with the annotations of its boxes."""
    if "Annots" not in pdf.objects[_number(pdf.page_references[page])]:
        return []
    links: list[_Link] = []
    for _, target, _, box in document.pages[page].links:
        annotation = box.link_annotation
        if annotation is None or not _written_in(pdf, annotation):
            continue  # an attachment, or a link of another file made from these pages
        last = links[-1] if links else None
        inside = last is not None and any(e is box.element for e in last.element.iter())
        if not (inside and last.target == target):
            last = _Link(page, box.element, target, _accessible_name(box.element, target))
            links.append(last)
        last.annotations.append((annotation, box.is_leader))
    return links


def _written_in(pdf, item) -> bool:
    number = getattr(item, "number", None)
    return number is not None and number < len(pdf.objects) and pdf.objects[number] is item


def _accessible_name(element, target: str) -> str:
    """What a link says, as HTML names it: its aria-label, else its text, else its title."""
    text = " ".join("".join(element.itertext()).split())
    return element.get("aria-label") or text or element.get("title") or target


def _number(reference) -> int:
    return int(reference.split()[0])


# HTML elements whose parts on consecutive pages are one structure element, by its type.
_CONTINUABLE = {
    "main": "/Part",
    "section": "/Sect",
    "article": "/Art",
    "div": "/Div",
    "p": "/P",
    "blockquote": "/BlockQuote",
    "ul": "/L",
    "ol": "/L",
}


class _StructureTree:
    """WeasyPrint's structure tree, tidied in place before the PDF is written.

    WeasyPrint tags page by page: an article running over three pages becomes three
    articles, and the running heads and page numbers are tagged as text outside the tree.
    """

    def __init__(self, pdf):
        self.pdf = pdf
        root = self.get(pdf.catalog["StructTreeRoot"])
        self.document = self.get(root["K"][0])
        # Per page, an array of each marked-content id's element; then, per annotation,
        # its StructParent and its element.
        self.parent_tree = self.get(root["ParentTree"])["Nums"]
        self.leaders: dict[int, set[int]] = {}  # page → marked-content ids of leaders

    def get(self, reference):
        return self.pdf.objects[int(reference.split()[0])]

    def kids(self, element) -> list:
        """The structure elements directly below `element`, in reading order."""
        found = []
        for kid in element["K"]:
            if isinstance(kid, bytes) and self.get(kid).get("Type") == "/StructElem":
                found.append(self.get(kid))
        return found

    def elements(self) -> list:
        """Every element of the tree, in reading order."""
        found, todo = [], [self.document]
        while todo:
            element = todo.pop()
            found.append(element)
            todo.extend(reversed(self.kids(element)))
        return found

    def _mark_artifacts(self, page: int, mcids: set[int], kind: str) -> None:
        """The page's marked content `mcids` becomes artifacts of `kind`, owned by no element."""
        operators = self.get(self.get(self.pdf.page_references[page])["Contents"]).stream
        for position, item in enumerate(operators[1:-1], 1):
            marked = isinstance(item, dict) and operators[position + 1] == b"BDC"
            if marked and item.get("MCID") in mcids:
                operators[position - 1] = "/Artifact"
                operators[position] = pydyf.Dictionary({"Type": kind})
        owners = self.parent_tree[2 * page + 1]
        for mcid in mcids:
            owners[mcid] = "null"

    def mark_running_heads_as_artifacts(self) -> None:
        """Margin-box text (running heads, page numbers) becomes pagination artifacts."""
        reachable = {element.number for element in self.elements()}
        for page in range(len(self.pdf.page_references)):
            owners = self.parent_tree[2 * page + 1]
            loose = {
                mcid for mcid, owner in enumerate(owners) if self.get(owner).number not in reachable
            }
            for mcid in sorted(loose):
                self._drop(self.get(owners[mcid]), reachable)
            self._mark_artifacts(page, loose, "/Pagination")

    def mark_leaders_as_artifacts(self) -> None:
        """The dots of a leader (in the contents, between a title and its page number) are
        layout, not text: a reader does not spell them out."""
        for page, mcids in self.leaders.items():
            self._mark_artifacts(page, mcids, "/Layout")

    def _annotation_owner(self, annotation):
        nums = self.parent_tree
        key = annotation["StructParent"]
        at = next(i for i in range(0, len(nums), 2) if nums[i] == key)
        return self.get(nums[at + 1])

    def _forget_annotation(self, element, annotation) -> None:
        """The annotation leaves the tree: its object reference and its parent-tree entry."""
        for kid in list(element["K"]):
            if isinstance(kid, bytes) and self.get(kid).get("Obj") == annotation.reference:
                element["K"].remove(kid)
                self.get(kid).clear()
        nums = self.parent_tree
        at = next(i for i in range(0, len(nums), 2) if nums[i] == annotation["StructParent"])
        del nums[at : at + 2]

    def merge_link(self, page: int, kept, others, description: str) -> None:
        """One Link element for one link annotation, described by `description`.

        WeasyPrint tags each annotated box of a link as a Link, in the Link of the box
        around it; their content goes into the kept link in its place (a leader's becomes
        an artifact), and a part of the link on another line joins the kept link at its end.
        """
        link = self._annotation_owner(kept)
        link["Alt"] = pydyf.String(description)
        owners = self.parent_tree[2 * page + 1]
        for annotation, leader in others:
            element = self._annotation_owner(annotation)
            self._forget_annotation(element, annotation)
            if element["S"] != "/Link":
                continue  # a span inside the link keeps its element and its content
            if leader:
                self.leaders.setdefault(page, set()).update(
                    kid for kid in element["K"] if isinstance(kid, int)
                )
            kids = [kid for kid in element["K"] if not (leader and isinstance(kid, int))]
            parent = self.get(element["P"])
            if parent["S"] == "/Link":
                at = parent["K"].index(element.reference)
                parent["K"][at : at + 1] = kids
            else:
                parent["K"].remove(element.reference)
                parent = link
                parent["K"].extend(kids)
            for kid in kids:
                if isinstance(kid, int):
                    owners[kid] = parent.reference
                elif isinstance(kid, bytes):
                    self.get(kid)["P"] = parent.reference
            element.clear()

    def put_captions_in_figures(self) -> None:
        """A caption goes into the figure it captions. WeasyPrint tags an HTML <figure> as
        NonStruct, its picture as the Figure, and its <figcaption> beside that picture."""
        for parent in self.elements():
            if parent["S"] == "/Table":
                continue  # a table's caption is in its table already
            kids = self.kids(parent)
            captions = [kid for kid in kids if kid["S"] == "/Caption"]
            holders = [(kid, self._figures(kid)) for kid in kids if kid["S"] != "/Caption"]
            holders = [(kid, figures) for kid, figures in holders if figures]
            if len(captions) != 1 or len(holders) != 1 or len(holders[0][1]) != 1:
                continue
            (caption,), ((holder, (figure,)),) = captions, holders
            first = parent["K"].index(caption.reference) < parent["K"].index(holder.reference)
            parent["K"].remove(caption.reference)
            figure["K"].insert(0 if first else len(figure["K"]), caption.reference)
            caption["P"] = figure.reference

    def _figures(self, element) -> list:
        found = [element] if element["S"] == "/Figure" else []
        return found + [figure for kid in self.kids(element) for figure in self._figures(kid)]

    def scope_table_headers(self) -> None:
        """Each header cell says whether it heads its row or its column (PDF/UA). WeasyPrint
        names a row header (scope="row") in the Headers of the cells of its own row, and a
        column header in those of the cells below it."""
        for row in self.elements():
            if row["S"] != "/TR":
                continue
            cells = self.kids(row)
            named = {
                getattr(header, "string", header)
                for cell in cells
                if cell["S"] == "/TD"
                for header in cell.get("A", {}).get("Headers", ())
            }
            for cell in cells:
                if cell["S"] == "/TH":
                    identifier = getattr(cell.get("ID"), "string", None)
                    attributes = cell.setdefault("A", pydyf.Dictionary({"O": "/Table"}))
                    attributes["Scope"] = "/Row" if identifier in named else "/Column"

    def _drop(self, element, reachable: set[int]) -> None:
        """Empty an element outside the tree, and its ancestors outside the tree."""
        while element and element.number not in reachable:
            parent = element.get("P")
            element.clear()
            element = self.get(parent) if parent else None

    def join_continued_elements(self, pages) -> None:
        """Parts of one element on consecutive pages become one element again."""
        references = self.pdf.page_references
        replaced: dict[bytes, bytes] = {}
        for number in range(1, len(pages)):
            top = self.kids(self.document)
            starts = [i for i, kid in enumerate(top) if kid.get("Pg") == references[number]]
            if not starts or starts[0] == 0:
                continue
            parent, upper, lower = self.document, top[starts[0] - 1], top[starts[0]]
            edges = zip(
                _edge_boxes(pages[number - 1], -1), _edge_boxes(pages[number], 0), strict=False
            )
            for before, after in edges:
                kind = _CONTINUABLE.get(before.element_tag)
                if before.element is not after.element or not kind:
                    break
                if upper is None or lower is None or not upper["S"] == lower["S"] == kind:
                    break
                next_upper = (self.kids(upper) or [None])[-1]
                next_lower = (self.kids(lower) or [None])[0]
                self._join(parent, upper, lower)
                replaced[lower.reference] = upper.reference
                parent, upper, lower = upper, next_upper, next_lower
        for index in range(1, len(self.parent_tree), 2):
            owners = self.parent_tree[index]
            if isinstance(owners, list):
                owners[:] = [replaced.get(owner, owner) for owner in owners]
            else:
                self.parent_tree[index] = replaced.get(owners, owners)

    def drop_empty_elements(self, element) -> None:
        """Elements with no content (such as the covers' colour bands) leave the tree."""
        for kid in self.kids(element):
            self.drop_empty_elements(kid)
            if not kid["K"]:
                element["K"].remove(kid.reference)
                kid.clear()

    def _join(self, parent, upper, lower) -> None:
        for kid in lower["K"]:
            if isinstance(kid, int):  # content on the lower element's own page
                kid = pydyf.Dictionary({"Type": "/MCR", "Pg": lower["Pg"], "MCID": kid})
            elif isinstance(kid, bytes) and self.get(kid).get("Type") == "/StructElem":
                self.get(kid)["P"] = upper.reference
            upper["K"].append(kid)
        parent["K"].remove(lower.reference)
        lower.clear()


def _edge_boxes(page, end: int) -> list:
    """The block boxes down a page's first (`end` 0) or last (-1) edge, below <body>."""
    chain = []
    box = page._page_box.children[0]  # the root box; margin boxes come after it
    while True:
        if box.element_tag not in ("html", "body"):
            chain.append(box)
        children = [
            child._box if isinstance(child, AbsolutePlaceholder) else child
            for child in box.children
        ]
        if not children or not isinstance(children[end], boxes.BlockBox):
            return chain
        box = children[end]
