"""PDF facts read back from the built sample issue: pages, fonts, outline, metadata, text."""

from __future__ import annotations

import io
import re

import pdfplumber
import pytest
from fontTools.cffLib import CFFFontSet
from pypdf import PdfReader

from bulletin.content.loader import load_issue
from bulletin.importers.text import import_text
from tests.conftest import SAMPLE_ISSUE

A4 = (595.28, 841.89)  # points
MM = 72 / 25.4


@pytest.fixture(scope="module")
def sample_pdf(sample_office):
    return sample_office


@pytest.fixture(scope="module")
def reader(sample_pdf) -> PdfReader:
    return PdfReader(sample_pdf.output)


@pytest.fixture(scope="module")
def page_texts(sample_pdf) -> list[str]:
    """Text of each page without the running header and footer."""
    with pdfplumber.open(sample_pdf.output) as pdf:
        return [
            page.crop((0, 20 * MM, page.width, page.height - 18 * MM)).extract_text() or ""
            for page in pdf.pages
        ]


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_every_page_is_a4(reader, sample_pdf):
    assert len(reader.pages) == sample_pdf.pages == 8
    for page in reader.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert (round(width, 2), round(height, 2)) == A4


def test_metadata(reader):
    info = reader.metadata
    assert info["/Title"] == "双周决策观察 2024 年第 8 期（总第 282 期）"
    assert info["/Author"] == "天津滨海综合发展研究院、泰达图书馆档案馆"
    assert info["/Subject"] == "双周决策观察 · 地方工作亮点追踪"
    assert info["/Keywords"] == "区域, 上海, 广东, 北京, 江苏, 浙江"
    assert info["/CreationDate"].startswith("D:20240425")
    assert reader.trailer["/Root"]["/Lang"] == "zh-CN"


def _embedded_fonts(reader):
    seen = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendant = font["/DescendantFonts"][0].get_object()
            seen[font["/BaseFont"]] = descendant["/FontDescriptor"]
    return seen


def test_every_font_is_embedded_subset_and_simplified_chinese(reader):
    fonts = _embedded_fonts(reader)
    assert len(fonts) >= 3
    for base_font, descriptor in fonts.items():
        assert re.match(r"^/[A-Z]{6}\+", base_font), f"{base_font} is not a subset"
        program = descriptor.get("/FontFile3") or descriptor.get("/FontFile2")
        assert program is not None, f"{base_font} is not embedded"
        data = program.get_object().get_data()
        if data[:4] == b"OTTO":
            from fontTools.ttLib import TTFont

            cff = TTFont(io.BytesIO(data))["CFF "].cff
        else:
            cff = CFFFontSet()
            cff.decompile(io.BytesIO(data), None)
        names = list(cff.fontNames)
        assert any(re.match(r"Noto(Serif|Sans)CJKsc-", name) for name in names), names


def test_qr_codes_are_vector(sample_pdf):
    # Each row of dark modules is one stroke: a QR code of version 3 or more has 29+ rows,
    # and at least that many strokes land in its corner. No page carries an image at all.
    with pdfplumber.open(sample_pdf.output) as pdf:
        cover, back = pdf.pages[0], pdf.pages[-1]
        wechat = [s for s in cover.lines if s["x1"] < 200 and s["bottom"] < 250]
        e_edition = [s for s in back.lines if s["top"] > back.height / 2]
        assert len(wechat) >= 29 and len(e_edition) >= 29
        assert [i for i, page in enumerate(pdf.pages) if page.images] == []


def _outline(reader):
    regions = []
    items = reader.outline
    for index, item in enumerate(items):
        if isinstance(item, list):
            continue
        children = (
            items[index + 1]
            if index + 1 < len(items) and isinstance(items[index + 1], list)
            else []
        )
        regions.append(
            (item.title, [(c.title, reader.get_destination_page_number(c) + 1) for c in children])
        )
    return regions


def test_outline_is_regions_then_articles(reader):
    content = load_issue(SAMPLE_ISSUE).content
    expected = [
        (f"【{region}】", [a.title for a in articles]) for region, articles in content.sections
    ]
    assert [(r, [t for t, _ in arts]) for r, arts in _outline(reader)] == expected


def test_contents_page_numbers_are_where_articles_start(reader, page_texts):
    cover = page_texts[0]
    content = load_issue(SAMPLE_ISSUE).content
    for article in content.articles:
        match = re.search(
            re.escape(squeeze(article.title)) + r"[.·\s]*?(\d+)\n", squeeze_keep_lines(cover)
        )
        assert match, f"{article.title} not in the contents"
        listed = int(match.group(1))
        starts = next(
            n for n, text in enumerate(page_texts[1:], 2) if squeeze(article.title) in squeeze(text)
        )
        assert listed == starts, article.title
    # the outline agrees with the printed contents
    outline_pages = {t: p for _, arts in _outline(reader) for t, p in arts}
    for article in content.articles:
        assert re.search(
            re.escape(squeeze(article.title)) + r"\.*" + str(outline_pages[article.title]) + r"\n",
            squeeze_keep_lines(cover),
        )


def squeeze_keep_lines(text: str) -> str:
    return "\n".join(squeeze(line) for line in text.splitlines()) + "\n"


def test_contents_entries_link_to_articles(reader):
    links = [a.get_object() for a in reader.pages[0].get("/Annots", [])]
    internal = [a for a in links if a.get("/Subtype") == "/Link" and "/Dest" in a]
    assert len(internal) >= 11


def test_cover_and_back_cover_text(page_texts):
    cover, back = squeeze(page_texts[0]), squeeze(page_texts[-1])
    for text in (
        "2024年第8期",
        "（总第282期）",
        "4月25日印发",
        "研究院微信",
        "双周决策观察",
        "地方工作亮点追踪",
        "主办",
        "天津滨海综合发展研究院",
        "泰达图书馆档案馆",
        "编辑",
        "统筹",
        "电话022-66222942",
        "传真022-66222940",
    ):
        assert text in cover
    for text in (
        "双周决策观察",
        "——地方工作亮点追踪——",
        "洞悉基层创新启迪新政新思",
        "扫描二维码，敬请详看《BRI双周决策观察》电子版",
    ):
        assert text in back


def test_running_header_and_page_numbers_only_on_body_pages(sample_pdf):
    with pdfplumber.open(sample_pdf.output) as pdf:
        heads = [squeeze(p.crop((0, 0, p.width, 20 * MM)).extract_text() or "") for p in pdf.pages]
        feet = [
            squeeze(p.crop((0, p.height - 18 * MM, p.width, p.height)).extract_text() or "")
            for p in pdf.pages
        ]
    running_head = "双周决策观察·地方工作亮点追踪2024年第8期（总第282期）"
    for cover in (0, -1):
        assert running_head not in heads[cover]
        assert not re.search(r"—\d+—", feet[cover])
    for number in range(2, len(heads)):
        assert heads[number - 1] == running_head
        assert feet[number - 1] == f"—{number}—"


def test_every_paragraph_of_the_seed_is_present_in_order(seed_text, page_texts):
    body = squeeze("".join(page_texts[1:-1]))
    position = 0
    imported = import_text(seed_text)
    for article in imported.articles:
        for text in [article.title] + [t for _, t in article.blocks]:
            found = body.find(squeeze(text), position)
            assert found >= 0, f"missing or out of order: {text[:30]}"
            position = found + len(squeeze(text))
        source = squeeze(f"（{article.source}{article.date:%Y%m%d}）")
        found = body.find(source, position)
        assert found >= 0, source
        position = found + len(source)


def test_emphasis_is_set_in_kai_and_only_an_issue_with_emphasis_loads_that_face(
    reader, issue_factory, tmp_path
):
    from bulletin.operations.build import build

    assert not any("Kai" in name for name in _embedded_fonts(reader))  # the sample has none
    # strict: an engine warning (a glyph the face lacks, a space drawn as a box) fails it.
    issue_factory.article("01", body="各区*覆盖全市*的服务网络已经建成，*落实 2024 年任务*。\n")
    pdf = PdfReader(build(issue_factory.dir, tmp_path / "em.pdf", strict=True).output)
    kai = [name for name in _embedded_fonts(pdf) if "Kai" in name]
    assert len(kai) == 1 and re.match(r"^/[A-Z]{6}\+", kai[0]), kai
    text = squeeze("".join(p.extract_text() for p in pdf.pages))
    assert "覆盖全市的服务网络" in text and "落实2024年任务" in text
