"""The office PDF read back for accessibility: structure tree, alt text, language, XMP, labels."""

from __future__ import annotations

import io
import re
from collections import Counter

import pdfplumber
import pytest
from pypdf import PdfReader

from bulletin.build import build
from bulletin.content.loader import load_issue
from tests.conftest import SAMPLE_ISSUE

MM = 72 / 25.4
TITLE = "双周决策观察 2024 年第 8 期（总第 282 期）"


@pytest.fixture(scope="module")
def office(sample_office):
    return sample_office.output


@pytest.fixture(scope="module")
def reader(office) -> PdfReader:
    return PdfReader(office)


@pytest.fixture(scope="module")
def content():
    return load_issue(SAMPLE_ISSUE).content


class Tree:
    """The structure tree as plain data: elements in reading order, and their text."""

    def __init__(self, reader: PdfReader, office):
        self.pages = {page.indirect_reference.idnum: i for i, page in enumerate(reader.pages)}
        with pdfplumber.open(office) as pdf:
            # (page, marked-content id) → text; running heads are artifacts, without an id.
            self.marked: dict[tuple[int, int], str] = {}
            self.artifacts = []
            for index, page in enumerate(pdf.pages):
                for char in page.chars:
                    if char.get("mcid") is None:
                        self.artifacts.append((index, char))
                    else:
                        key = (index, char["mcid"])
                        self.marked[key] = self.marked.get(key, "") + char["text"]
        root = reader.trailer["/Root"]["/StructTreeRoot"]
        self.parent_tree = root["/ParentTree"]["/Nums"]
        self.elements: list[dict] = []  # {"S", "object", "number", "depth", "mcids"}
        self.owner: dict[tuple[int, int], int] = {}  # (page, mcid) → element object number
        kids = root["/K"]
        self.document = self._walk(kids[0] if isinstance(kids, list) else kids, None, 0)

    def _walk(self, reference, page, depth) -> dict:
        element = reference.get_object()
        if "/Pg" in element:
            page = self.pages[element.raw_get("/Pg").idnum]
        node = {"S": element["/S"], "object": element, "depth": depth, "kids": []}
        node["number"] = reference.idnum
        node["mcids"] = []
        self.elements.append(node)
        kids = element.get("/K", [])
        for kid in kids if isinstance(kids, list) else [kids]:
            target = kid.get_object() if hasattr(kid, "get_object") else kid
            if isinstance(target, int):
                node["mcids"].append((page, target))
            elif target.get("/Type") == "/MCR":
                node["mcids"].append((self.pages[target.raw_get("/Pg").idnum], target["/MCID"]))
            elif target.get("/Type") != "/OBJR":
                node["kids"].append(self._walk(kid, page, depth + 1))
        for key in node["mcids"]:
            self.owner[key] = node["number"]
        return node

    def text(self, node) -> str:
        own = "".join(self.marked.get(key, "") for key in node["mcids"])
        return re.sub(r"\s+", "", own + "".join(self.text(kid) for kid in node["kids"]))

    def pages_of(self, node) -> set[int]:
        found = {page for page, _ in node["mcids"]}
        for kid in node["kids"]:
            found |= self.pages_of(kid)
        return found

    def all(self, kind: str) -> list[dict]:
        return [node for node in self.elements if node["S"] == kind]


@pytest.fixture(scope="module")
def tree(reader, office) -> Tree:
    return Tree(reader, office)


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_office_is_marked_in_chinese_and_shows_its_title(reader):
    root = reader.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"].value is True
    assert root["/Lang"] == "zh-CN"
    assert root["/ViewerPreferences"]["/DisplayDocTitle"].value is True
    assert reader.metadata["/Title"] == TITLE


def test_xmp_metadata_carries_title_creators_and_dates(reader):
    stream = reader.trailer["/Root"]["/Metadata"].get_object()
    assert (stream["/Type"], stream["/Subtype"]) == ("/Metadata", "/XML")
    xmp = reader.xmp_metadata
    assert xmp.dc_title == {"x-default": TITLE}
    assert xmp.dc_creator == ["天津滨海综合发展研究院、泰达图书馆档案馆"]
    assert xmp.xmp_create_date.date().isoformat() == "2024-04-25"
    assert "<dc:title>" in stream.get_data().decode()


def test_page_labels_are_the_printed_page_numbers(reader, tree):
    labels = reader.page_labels
    assert labels == ["封面", "2", "3", "4", "5", "6", "7", "封底"]
    feet = ["" for _ in labels]
    for page, char in tree.artifacts:
        if char["y0"] < 18 * MM:
            feet[page] += char["text"]
    assert [squeeze(foot) for foot in feet] == ["", *(f"—{n}—" for n in labels[1:-1]), ""]


def test_structure_tree_has_headings_paragraphs_lists_and_figures(tree, content):
    counts = Counter(node["S"] for node in tree.elements)
    articles = sum(len(articles) for _, articles in content.sections)
    assert counts["/H1"] == 1
    assert counts["/H2"] == len(content.sections)
    assert counts["/H3"] == counts["/Art"] == articles
    assert counts["/P"] > 50
    assert counts["/L"] >= len(content.sections) and counts["/LI"] == counts["/LBody"]
    # The contents: one list item per article, linking to it.
    links = [item for item in tree.all("/LBody") if item["kids"][0]["S"] == "/Link"]
    assert len(links) == articles
    assert counts["/Figure"] == 2 and counts["/Caption"] == 2
    for node in tree.all("/L"):  # lists hold list items only
        assert {kid["S"] for kid in node["kids"]} == {"/LI"}


def test_qr_codes_are_figures_with_alternate_text(tree, content):
    alts = [node["object"]["/Alt"] for node in tree.all("/Figure")]
    assert alts[0].startswith("微信二维码")
    assert alts[1] == f"电子版二维码：{content.e_edition_url}"


def test_reading_order_is_cover_regions_articles_back_cover(tree, content):
    document = tree.document
    assert [kid["S"] for kid in document["kids"]] == ["/Sect", "/Part", "/Sect"]
    cover, articles, back = document["kids"]
    assert tree.text(cover).startswith("研究院微信2024年第8期")
    assert tree.text(back).startswith("双周决策观察")
    # One element per region and per article, however many pages they run over.
    regions = articles["kids"]
    assert [tree.text(region["kids"][0]) for region in regions] == [
        f"【{name}】" for name, _ in content.sections
    ]
    for region, (_, entries) in zip(regions, content.sections, strict=True):
        assert region["kids"][0]["S"] == "/H2"
        arts = region["kids"][1:]
        assert [art["S"] for art in arts] == ["/Art"] * len(entries)
        assert [tree.text(art["kids"][0]) for art in arts] == [squeeze(a.title) for a in entries]
    assert len(tree.pages_of(articles)) == 6
    assert any(len(tree.pages_of(p)) == 2 for p in tree.all("/P")), "no paragraph joined"


def test_running_heads_and_page_numbers_are_artifacts(tree):
    heads = {char["text"] for page, char in tree.artifacts if 0 < page < 7}
    assert set("双周决策观察·地方工作亮点追踪2024年第8期（总第282期）—") <= heads
    # Everything else is marked content owned by one element of the tree, and the parent
    # tree points each marked-content id back at that element.
    assert set(tree.marked) <= set(tree.owner)
    for (page, mcid), number in tree.owner.items():
        assert tree.parent_tree[2 * page + 1][mcid].idnum == number


def test_a_blank_page_before_the_back_cover_keeps_its_number(issue_factory):
    # One body page: the back cover goes on a left page, after a blank page 3.
    result = build(issue_factory.dir, issue_factory.root / "small.pdf", strict=True)
    assert PdfReader(result.output).page_labels == ["封面", "2", "3", "封底"]


def test_pdf_a3a_is_tagged_and_labelled_the_same_way(issue_factory):
    from bulletin.engine.fonts import fonts_dir
    from bulletin.engine.typeset import pdf_bytes, typeset
    from bulletin.outputs.office import page_labels
    from bulletin.render.html import render_issue

    rendered = render_issue(load_issue(issue_factory.dir).content, output="archive")
    roots = [issue_factory.dir, rendered.layout_dir, fonts_dir()]
    document = typeset(rendered.html, rendered.base_url, roots)
    data = pdf_bytes(document, variant="pdf/a-3a", page_labels=page_labels(document.page_names))
    assert document.warnings == []
    reader = PdfReader(io.BytesIO(data))
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    assert 'pdfaid:part="3"' in xmp and 'pdfaid:conformance="A"' in xmp
    assert xmp.count("<x:xmpmeta") == 1
    assert reader.page_labels == ["封面", "2", "3", "封底"]
    tree = Tree(reader, io.BytesIO(data))
    assert [kid["S"] for kid in tree.document["kids"]] == ["/Sect", "/Part", "/Sect"]
    assert len(tree.all("/Figure")) == 2 and all("/Alt" in f["object"] for f in tree.all("/Figure"))
    assert set(tree.marked) <= set(tree.owner)
