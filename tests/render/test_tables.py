"""Tables: titles from `Table:` captions (and Word's), set above the top rule; split tables
close each part and label the continuation 续表; short ones stay whole; headers centred;
numbers aligned on the units digit. Read back from the PDF, and in the e-edition."""

from __future__ import annotations

import pdfplumber
import pytest
from docx import Document
from typer.testing import CliRunner

from bulletin.cli import app
from bulletin.content.loader import load_issue
from bulletin.operations.build import build
from bulletin.render.html import render_issue
from tests.conftest import IssueFactory

GRID = 10.5 * 1.75
AMOUNTS = ["6", "34", "35.6", "3800", "7.25", "—", "12"]
PARAGRAPH = (
    "近日，上海市委金融办发布通知，支持浦东新区、徐汇区、闵行区等八个区域打造股权投资集聚区，"
    "培育 10 家以上具有国际影响力的机构。"
)


def table(name: str, rows: int, caption: str = "") -> str:
    body = "\n".join(
        f"| {name}{i}号区 | {AMOUNTS[i % len(AMOUNTS)]} | 备注{i} |" for i in range(1, rows + 1)
    )
    head = f"Table: {caption}\n\n" if caption else ""
    return f"{head}| 地区 | 金额 | 说明 |\n|---|---:|---|\n{body}\n"


@pytest.fixture(scope="module")
def tables_pdf(tmp_path_factory):
    factory = IssueFactory(tmp_path_factory.mktemp("tables"))
    long = table("长", 60, "各区股权投资情况 {单位：亿元}")
    factory.article("02", title="有长表的文章", body="\n\n".join([PARAGRAPH] * 3 + [long]) + "\n")
    # Short tables after 0–9 paragraphs of two lines: one of them reaches a page's foot.
    for number in range(3, 9):
        paragraphs = [PARAGRAPH] * (number * 3 % 10)
        body = "\n\n".join([*paragraphs, table(f"短{number}-", 5, f"短表{number}"), PARAGRAPH])
        factory.article(f"{number:02d}", title=f"有短表的文章{number}", body=body + "\n")
    return build(factory.dir, factory.root / "tables.pdf", strict=True).output


def lines_of(page):
    return page.extract_text_lines()


def header_cells(page):
    """The border boxes of the header cells: a grid line high, from the top rule down."""
    cells = {
        (round(r["top"], 1), round(r["x0"], 1)): r
        for r in page.rects
        if abs(r["height"] - GRID) < 0.05
    }
    return [cells[key] for key in sorted(cells)]


def long_table_pages(pdf):
    return [p for p in pdf.pages if any("长" in t and "号区" in t for t in [p.extract_text()])]


def test_title_above_the_top_rule_and_each_continuation_labelled(tables_pdf):
    with pdfplumber.open(tables_pdf) as pdf:
        first, *continued = long_table_pages(pdf)
        assert continued, "the 60-row table should run onto a second page"
        for page in (first, *continued):
            rule_top = min(r["top"] for r in header_cells(page))
            label = "各区股权投资情况" if page is first else "续表"
            (line,) = [line for line in lines_of(page) if line["text"] == label]
            assert line["bottom"] <= rule_top
            (unit,) = [line for line in lines_of(page) if line["text"] == "单位：亿元"]
            assert line["bottom"] <= unit["top"] and unit["bottom"] <= rule_top
            assert "地区 金额 说明" in page.extract_text()  # the header is repeated
        assert all("各区股权投资情况" not in p.extract_text() for p in continued)
        assert "续表" not in first.extract_text()


def test_each_part_of_a_split_table_closes_with_its_bottom_rule(tables_pdf):
    with pdfplumber.open(tables_pdf) as pdf:
        for page in long_table_pages(pdf):
            rows = [line for line in lines_of(page) if line["text"].startswith("长")]
            boxes = [r for r in page.rects if r["height"] > 5 * GRID]
            bottoms = {round(r["bottom"], 1) for r in boxes if r["bottom"] >= rows[-1]["bottom"]}
            # The table's border box and its inside: a 1.5 pt rule between the two.
            assert any(round(b - 1.5, 1) in bottoms for b in bottoms), (page.page_number, bottoms)


def test_headers_are_centred_over_their_columns(tables_pdf):
    with pdfplumber.open(tables_pdf) as pdf:
        page = long_table_pages(pdf)[0]
        cells = header_cells(page)[:3]
        (header,) = [line for line in lines_of(page) if line["text"] == "地区 金额 说明"]
        words = page.crop((0, header["top"], page.width, header["bottom"])).extract_words()
        for cell, word in zip(cells, words, strict=True):
            centre = (word["x0"] + word["x1"]) / 2
            assert centre == pytest.approx((cell["x0"] + cell["x1"]) / 2, abs=0.5), word["text"]


def test_numbers_align_on_their_units_digit(tables_pdf):
    with pdfplumber.open(tables_pdf) as pdf:
        page = long_table_pages(pdf)[0]
        amount = header_cells(page)[1]
        ends = []
        for line in lines_of(page):
            if not line["text"].startswith("长"):
                continue
            chars = [c for c in line["chars"] if amount["x0"] <= c["x0"] < amount["x1"]]
            text = "".join(c["text"] for c in chars)
            if text == "—":
                continue
            units = text.index(".") - 1 if "." in text else len(text) - 1
            ends.append(chars[units]["x1"])
    assert len(ends) > 10 and max(ends) - min(ends) < 0.5, ends


def test_short_tables_never_split(tables_pdf):
    with pdfplumber.open(tables_pdf) as pdf:
        texts = [page.extract_text() for page in pdf.pages]
    for number in range(3, 9):
        pages = {
            i
            for i, text in enumerate(texts)
            for row in range(1, 6)
            if f"短{number}-{row}号区" in text
        }
        assert len(pages) == 1, (number, pages)


@pytest.mark.parametrize(
    "body",
    [
        "Table: 各地主要经济指标 {单位：亿元}\n\n| 地区 | 金额 |\n|---|---|\n| 上海 | 6 |\n",
        "| 地区 | 金额 |\n|---|---|\n| 上海 | 6 |\n\n: 各地主要经济指标 {单位：亿元}\n",
        # Typed on the line after the table's last row: Markdown reads it as one more row.
        "| 地区 | 金额 |\n|---|---|\n| 上海 | 6 |\n| 江苏 | 35.6 |\n"
        "Table: 各地主要经济指标 {单位：亿元}\n",
    ],
)
def test_a_caption_before_or_after_the_table_is_its_title_in_both_editions(issue_factory, body):
    issue_factory.article("02", body=body)
    content = load_issue(issue_factory.dir).content
    for output in ("office", "web"):
        html = render_issue(content, mode=output).html
        assert (
            '<tr class="table-caption" data-table-caption=""><th colspan="2">各地主要经济指标</th>'
            in html
        )
        assert '<tr class="table-unit"><th colspan="2">单位：亿元</th></tr>' in html
        assert "Table:" not in html and "{单位" not in html and "<p>: " not in html


def test_word_captions_become_table_titles(issue_factory, tmp_path):
    runner = CliRunner()
    assert runner.invoke(app, ["new", str(issue_factory.root)]).exit_code == 0
    draft = Document()
    draft.add_paragraph("【上海】")
    draft.add_heading("上海发布金融数据", level=1)
    draft.add_paragraph("表 1 主要经济指标", style="Caption")
    for caption_after in (False, True):
        grid = draft.add_table(rows=2, cols=2)
        for cell, value in zip(grid._cells, ["指标", "数值", "增速", "5.0"], strict=True):
            cell.text = value
        if caption_after:
            draft.add_paragraph("表：各区情况")
    draft.add_paragraph("表1 之后没有表格的段落照常保留。")
    draft.add_paragraph("下一步，上海将继续推进。（上海证券报 20240416）")
    draft.save(tmp_path / "draft.docx")
    issue = issue_factory.root / "2024-09"
    result = runner.invoke(app, ["import", str(tmp_path / "draft.docx"), "--out", str(issue)])
    assert result.exit_code == 0, result.output
    (article,) = load_issue(issue).content.articles
    assert "Table: 表 1 主要经济指标\n\n| 指标 |" in article.body
    assert "Table: 各区情况\n\n| 指标 |" in article.body
    assert "\n\n表1 之后没有表格的段落照常保留。" in article.body
    html = render_issue(load_issue(issue).content, mode="web").html
    assert '<th colspan="2">表 1 主要经济指标</th>' in html
