"""The office PDF read back for accessibility: tags, links, tables, language, XMP, labels."""

from __future__ import annotations

import io
import re
from collections import Counter

import pdfplumber
import pytest
from pypdf import PdfReader

from bulletin.content.loader import load_issue
from bulletin.operations.build import build
from tests.conftest import SAMPLE_ISSUE, IssueFactory
from tests.corpus.build import png

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
        return re.sub(r"\s+", "", self.spaced_text(node))

    def spaced_text(self, node) -> str:
        """The element's text as the tags give it, spaces and all."""
        own = "".join(self.marked.get(key, "") for key in node["mcids"])
        return own + "".join(self.spaced_text(kid) for kid in node["kids"])

    def pages_of(self, node) -> set[int]:
        found = {page for page, _ in node["mcids"]}
        for kid in node["kids"]:
            found |= self.pages_of(kid)
        return found

    def all(self, kind: str) -> list[dict]:
        return [node for node in self.elements if node["S"] == kind]


def below(node) -> list[dict]:
    """The elements under `node`, at any depth."""
    return [found for kid in node["kids"] for found in [kid, *below(kid)]]


def annotations_of(element) -> list:
    """The annotations a structure element holds through object references."""
    kids = element.get("/K", [])
    kids = [kid.get_object() for kid in (kids if isinstance(kids, list) else [kids])]
    return [kid["/Obj"].get_object() for kid in kids if getattr(kid, "get", None) and "/Obj" in kid]


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
    from bulletin.data import fonts_dir
    from bulletin.engine.typeset import pdf_bytes, typeset
    from bulletin.outputs.office import page_labels
    from bulletin.render.html import render_issue

    rendered = render_issue(load_issue(issue_factory.dir).content, mode="archive")
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


def test_each_contents_entry_is_one_link_over_its_row_named_by_its_title(reader, tree, content):
    titles = [article.title for _, articles in content.sections for article in articles]
    cover = reader.pages[0]
    annotations = [annotation.get_object() for annotation in cover["/Annots"]]
    assert [annotation["/Contents"] for annotation in annotations] == titles
    links = tree.all("/Link")
    assert [link["object"]["/Alt"] for link in links] == titles
    with pdfplumber.open(io.BytesIO(reader.stream.getvalue())) as pdf:
        chars = pdf.pages[0].chars
        height = pdf.pages[0].height
    for title, link, annotation in zip(titles, links, annotations, strict=True):
        assert not any(node["S"] == "/Link" for node in below(link)), "a Link inside a Link"
        assert annotations_of(link["object"]) == [annotation]
        assert tree.parent_tree[tree.parent_tree.index(annotation["/StructParent"]) + 1] == (
            link["object"].indirect_reference
        )
        # The area covers the row: the title, the leader and the page number, and no more.
        x0, y0, x1, y1 = (float(v) for v in annotation["/Rect"])
        inside = [
            c["text"]
            for c in chars
            if x0 - 0.5 <= c["x0"]
            and c["x1"] <= x1 + 0.5
            and y0 - 0.5 <= height - c["bottom"]
            and height - c["top"] <= y1 + 0.5
        ]
        assert re.fullmatch(re.escape(squeeze(title)) + r"\.{10,}\d", squeeze("".join(inside)))
        # A reader hears the title and the page number, not the leader's dots.
        assert re.fullmatch(re.escape(squeeze(title)) + r"\d", tree.text(link))
    leaders = [c for c in chars if c["text"] == "."]
    assert leaders and all(c.get("mcid") is None for c in leaders)


SPONSOR_ROWS = [
    "主办 天津滨海综合发展研究院 泰达图书馆档案馆",
    "编辑 贺然 金敏毓 何莉娟",
    "统筹 史继平 韩玉刚 马爱华 武晓庆",
    "电话 022-66222942",
    "传真 022-66222940",
]


def test_labels_and_names_are_set_apart_by_space_characters(reader, tree, office):
    # The tags: each row is a term list, its label and its names separated by spaces.
    rows = [" ".join(tree.spaced_text(node).split()) for node in tree.all("/L")]
    assert [row for row in rows if row[:2] in ("主办", "编辑", "统筹", "电话", "传真")] == (
        SPONSOR_ROWS
    )
    # The text: the characters drawn, not spaces guessed from the gaps between them.
    with pdfplumber.open(office) as pdf:
        cover = pdf.pages[0]
        foot = cover.height - 40 * MM
        drawn: dict[tuple[bool, float], str] = {}  # (contact column, line top) → text
        for char in cover.chars:
            if char["top"] > foot:
                line = (char["x0"] > 131 * MM, round(char["top"]))
                drawn[line] = drawn.get(line, "") + char["text"]
    assert [" ".join(drawn[line].split()) for line in sorted(drawn)] == SPONSOR_ROWS
    text = reader.pages[0].extract_text()
    assert all(row.replace(" ", "\u3000") in text for row in SPONSOR_ROWS)


def test_captions_are_inside_their_figures(tree):
    figures = tree.all("/Figure")
    assert len(figures) == 2
    for figure in figures:
        (caption,) = [kid for kid in figure["kids"] if kid["S"] == "/Caption"]
        assert caption["object"].raw_get("/P").idnum == figure["number"]
    assert len(tree.all("/Caption")) == 2


# Long enough to run onto a second line in the contents.
LONG_TITLE = "关于进一步推进长三角地区股权投资集聚区建设和金融服务实体经济高质量发展若干措施的通知"
TABLE = "| 地区 | 规模（亿元） |\n|---|---:|\n| 浦东新区 | 1200 |\n| 徐汇区 | 350 |\n"


@pytest.fixture(scope="module")
def tabled(tmp_path_factory):
    """An issue with a table, a captioned picture and a title over two contents lines."""
    factory = IssueFactory(tmp_path_factory.mktemp("tabled"))
    factory.write("images/chart.png", png(480, 240))
    body = f'正文一段。\n\n{TABLE}\n![示意图](images/chart.png "示意图")\n\n正文二段。\n'
    factory.article("02", title=LONG_TITLE, body=body)
    output = build(factory.dir, factory.root / "tabled.pdf").output
    reader = PdfReader(output)
    return reader, Tree(reader, output)


def test_tables_are_tagged_with_rows_cells_and_header_scopes(tabled):
    _, tree = tabled
    (table,) = tree.all("/Table")
    assert [part["S"] for part in table["kids"]] == ["/THead", "/TBody"]
    rows = [node for node in below(table) if node["S"] == "/TR"]
    assert [[tree.text(cell) for cell in row["kids"]] for row in rows] == [
        ["地区", "规模（亿元）"],
        ["浦东新区", "1200"],
        ["徐汇区", "350"],
    ]
    assert [[cell["S"] for cell in row["kids"]] for row in rows] == [["/TH", "/TH"]] + [
        ["/TD", "/TD"]
    ] * 2
    headers = [cell["object"] for cell in rows[0]["kids"]]
    assert [header["/A"]["/Scope"] for header in headers] == ["/Column", "/Column"]
    for row in rows[1:]:
        for column, cell in enumerate(row["kids"]):
            assert cell["object"]["/A"]["/Headers"] == [headers[column]["/ID"]]


def test_a_row_header_is_scoped_to_its_row(issue_factory):
    from bulletin.engine.typeset import pdf_bytes, typeset

    html = (
        '<html lang="zh-CN"><body><table><thead><tr><th>地区</th><th>规模</th></tr></thead>'
        '<tbody><tr><th scope="row">浦东</th><td>1200</td></tr></tbody></table></body></html>'
    )
    data = pdf_bytes(typeset(html, issue_factory.dir, [issue_factory.dir]), tagged=True)
    reader = PdfReader(io.BytesIO(data))
    tree = Tree(reader, io.BytesIO(data))
    scopes = [(tree.text(th), th["object"]["/A"]["/Scope"]) for th in tree.all("/TH")]
    assert scopes == [("地区", "/Column"), ("规模", "/Column"), ("浦东", "/Row")]


def test_picture_captions_and_a_two_line_entry_are_tagged_once(tabled):
    reader, tree = tabled
    pictures = [f for f in tree.all("/Figure") if f["object"]["/Alt"] == "示意图"]
    assert [[kid["S"] for kid in f["kids"]] for f in pictures] == [["/Caption"]]
    assert tree.text(pictures[0]["kids"][0]) == "示意图"
    # The long title's entry: one area over both its lines, one Link, named by its title.
    annotations = [a.get_object() for a in reader.pages[0]["/Annots"]]
    assert [a["/Contents"] for a in annotations] == [
        "上海支持八个区域打造股权投资集聚区",
        LONG_TITLE,
    ]
    _, y0, _, y1 = (float(v) for v in annotations[1]["/Rect"])
    assert y1 - y0 > 25  # two lines of 10.5 pt × 1.6
    (link,) = [node for node in tree.all("/Link") if node["object"]["/Alt"] == LONG_TITLE]
    assert annotations_of(link["object"]) == [annotations[1]] and not below(link)
    assert re.fullmatch(re.escape(LONG_TITLE) + r"\d", tree.text(link))
