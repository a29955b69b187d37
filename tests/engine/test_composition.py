"""Page composition read back from the PDF: every body line on one grid, every body page
but the last full to its foot, one running-header rule; on the sample, the hard cases and
generated issues of several lengths."""

from __future__ import annotations

import pdfplumber
import pytest

from bulletin.data import layouts_dir
from bulletin.operations.build import build
from bulletin.preflight.preflight import preflight
from tests.conftest import REPO
from tests.corpus.build import png

HARD_CASES = REPO / "tests" / "fixtures" / "hard-cases"
# A paragraph of about four lines; articles get 1–6 of them, so breaks fall everywhere.
PARAGRAPH = (
    "近日，上海市委金融办发布通知，支持浦东新区、徐汇区、闵行区等八个区域打造股权投资集聚区，"
    "到 2025 年集聚区内股权投资管理规模达到 3.5 万亿元，培育 10 家以上具有国际影响力的机构。"
    "各区将围绕科技创新、产业升级和城市更新，完善服务体系，优化营商环境。"
)


def generated_issue(factory, articles: int):
    regions = ["区域", "上海", "广东", "北京"]
    for index in range(1, articles + 1):
        paragraphs = "\n\n".join([PARAGRAPH] * (1 + index * 5 % 6))
        factory.article(
            f"{index + 1:02d}",
            region=regions[min(3, index * 4 // (articles + 1))],
            title=f"第{index}篇：各地推进股权投资集聚区建设的新举措",
            body=paragraphs + "\n",
        )
    factory.write(
        "../publication.yaml",
        (factory.root / "publication.yaml")
        .read_text(encoding="utf-8")
        .replace("regions: [区域, 上海, 广东]", "regions: [区域, 上海, 广东, 北京]"),
    )


def with_pictures_and_a_table(factory) -> None:
    """A wide picture, a tall photo and a table among paragraphs, each with a caption."""
    (factory.dir / "images").mkdir()
    (factory.dir / "images" / "wide.png").write_bytes(png(1200, 675))
    (factory.dir / "images" / "tall.png").write_bytes(png(300, 400))
    table = "| 地区 | 规模（亿元） |\n|---|---:|\n| 浦东新区 | 1200 |\n| 徐汇区 | 350 |\n"
    body = "\n\n".join(
        [
            PARAGRAPH,
            '![宽幅示意图](images/wide.png "宽幅示意图")',
            PARAGRAPH,
            table,
            PARAGRAPH * 2,
            '![竖幅照片](images/tall.png "竖幅照片")',
            PARAGRAPH,
        ]
    )
    factory.article("02", title="有图有表的文章", body=body + "\n")
    factory.article("03", title="其后的文章", body=(PARAGRAPH + "\n\n") * 4)


def with_emphasis_and_bold(factory) -> None:
    """楷体 and 黑体 inside lines, a one-line paragraph, a list, a note mark: other faces."""
    marked = PARAGRAPH.replace("股权投资集聚区", "*股权投资集聚区*").replace(
        "科技创新", "**科技创新**"
    )
    listed = "1. 加快推进 *科技创新* 成果转化\n2. 深化 **营商环境** 改革\n3. 完善服务体系"
    body = "\n\n".join(
        [marked, "段落含*甲*乙与*丙*。", PARAGRAPH, "## 主要举措", listed, marked * 2, PARAGRAPH]
    )
    for number in ("02", "03", "04"):
        factory.article(number, title=f"第{number}篇：强调与加粗", body=body + "\n")


def build_with_pictures(factory, target):
    """As strictly as the pictures allow: --strict refuses their 96 ppi, nothing else is said."""
    result = build(factory.dir, target)
    assert all(" ppi; the press needs 300: " in w for w in result.warnings), result.warnings
    return result.output


@pytest.fixture(
    params=[
        "sample",
        "hard cases",
        "6 articles",
        "12 articles",
        "20 articles",
        "pictures and a table",
        "emphasis and bold",
    ]
)
def issue_pdf(request, sample_office, issue_factory, tmp_path):
    if request.param == "sample":
        return sample_office.output
    if request.param == "hard cases":
        return build(HARD_CASES, tmp_path / "hard.pdf", strict=True).output
    if request.param == "pictures and a table":
        with_pictures_and_a_table(issue_factory)
        return build_with_pictures(issue_factory, tmp_path / "figures.pdf")
    if request.param == "emphasis and bold":
        with_emphasis_and_bold(issue_factory)
        return build(issue_factory.dir, tmp_path / "marked.pdf", strict=True).output
    generated_issue(issue_factory, int(request.param.split()[0]))
    return build(issue_factory.dir, tmp_path / "generated.pdf", strict=True).output


def test_body_lines_on_the_grid_and_body_pages_full(issue_pdf):
    report = preflight(issue_pdf)
    assert [str(v) for v in report.violations] == []
    assert report.empty_lines, "no body page found"
    last = max(report.empty_lines)
    assert all(empty == 0 for page, empty in report.empty_lines.items() if page != last)
    # Nor does a body page start with an empty line: its first text is in its first line.
    type_area_top, grid = 22 * 72 / 25.4, 10.5 * 1.75
    with pdfplumber.open(issue_pdf) as pdf:
        for number in report.empty_lines:
            page = pdf.pages[number - 1]
            tops = [c["top"] for c in page.chars if c["top"] > type_area_top - 1]
            assert min(tops) < type_area_top + grid, f"page {number} starts with an empty line"


def test_without_filling_the_sample_has_holes(sample_copy, tmp_path, monkeypatch):
    # The check can fail: the same layout without the fill step ends pages short.
    import bulletin.engine.typeset as typeset

    monkeypatch.setattr(typeset, "fill_pages", lambda document: None)
    pdf = build(sample_copy, tmp_path / "holes.pdf").output
    assert preflight(pdf).counts()["hole at page foot"] >= 2


def test_a_heading_off_the_grid_is_found(sample_copy, tmp_path, monkeypatch):
    # A layout whose source line is not a grid line, set without the composition step
    # (which would move the blocks after it back onto the grid).
    import bulletin.engine.typeset as typeset

    monkeypatch.setattr(typeset, "fill_pages", lambda document: None)
    own = sample_copy.parent / "layouts" / "drift"
    own.mkdir(parents=True)
    for path in (layouts_dir() / "default").glob("*.*"):
        (own / path.name).write_bytes(path.read_bytes())
    with (own / "style.css").open("a", encoding="utf-8") as css:
        css.write("\n.source { line-height: 1.75; }\n")  # 9.5 pt × 1.75: not a grid line
    pdf = build(sample_copy, tmp_path / "drift.pdf", layout="drift").output
    assert preflight(pdf).counts()["line off grid"] > 5


def test_the_running_header_rule_is_one_line_across_the_type_area(sample_office):
    with pdfplumber.open(sample_office.output) as pdf:
        page = pdf.pages[1]
        rules = [r for r in page.edges if r["orientation"] == "h" and r["top"] < 70]
        spans = sorted((round(r["x0"]), round(r["x1"])) for r in rules)
    merged = []
    for x0, x1 in spans:
        if merged and x0 <= merged[-1][1] + 0.5:
            merged[-1] = (merged[-1][0], max(merged[-1][1], x1))
        else:
            merged.append((x0, x1))
    (rule,) = merged
    width_mm = (rule[1] - rule[0]) * 25.4 / 72
    assert width_mm == pytest.approx(210 - 25 - 18, abs=1)


def test_pictures_fit_the_type_area_with_captions(issue_factory, tmp_path):
    with_pictures_and_a_table(issue_factory)
    pdf = build_with_pictures(issue_factory, tmp_path / "figures.pdf")
    mm = 72 / 25.4
    with pdfplumber.open(pdf) as document:
        images = [(page, image) for page in document.pages for image in page.images]
        text = "".join(page.extract_text() for page in document.pages)
    assert len(images) == 2
    for page, image in images:
        inner, outer = (25 * mm, 18 * mm) if page.page_number % 2 else (18 * mm, 25 * mm)
        assert image["x0"] >= inner - 0.5 and image["x1"] <= page.width - outer + 0.5
        assert image["top"] >= 22 * mm - 0.5 and image["bottom"] <= page.height - 22 * mm
        assert image["bottom"] - image["top"] <= 121 * mm  # about half the type area at most
    assert "宽幅示意图" in text and "竖幅照片" in text
    assert "浦东新区" in text and "|" not in text


def test_a_wide_low_picture_keeps_the_column_width_and_the_text_its_grid(issue_factory, tmp_path):
    # 1.7 lines high at full width: shrinking it to a whole line would cut it to 60 %.
    (issue_factory.dir / "images").mkdir()
    (issue_factory.dir / "images" / "band.png").write_bytes(png(3000, 200))
    body = f'{PARAGRAPH}\n\n![](images/band.png "横幅")\n\n{PARAGRAPH}\n'
    issue_factory.article("02", title="横幅图片", body=body)
    pdf = build(issue_factory.dir, tmp_path / "band.pdf").output
    assert [str(v) for v in preflight(pdf).violations] == []
    with pdfplumber.open(pdf) as document:
        (image,) = [image for page in document.pages for image in page.images]
    assert image["x1"] - image["x0"] == pytest.approx((210 - 25 - 18) * 72 / 25.4, abs=1)


def test_a_picture_opening_a_page_is_flush_and_wide_pictures_keep_the_column(
    issue_factory, tmp_path
):
    """A picture pushed to a page head stands at the top of the first line's characters;
    one as wide as the column is never narrowed to end on the grid; alt text captions."""
    (issue_factory.dir / "images").mkdir()
    (issue_factory.dir / "images" / "wide.png").write_bytes(png(1600, 800))
    (issue_factory.dir / "images" / "alt.png").write_bytes(png(1200, 600))
    body = "\n\n".join(
        [PARAGRAPH] * 9
        + ["![](images/wide.png)", PARAGRAPH, "![仅有替代文字的图](images/alt.png)", PARAGRAPH]
    )
    issue_factory.article("02", title="有图的文章", body=body + "\n")
    pdf = build(issue_factory.dir, tmp_path / "head.pdf").output
    assert [str(v) for v in preflight(pdf).violations] == []
    mm = 72 / 25.4
    column = (210 - 25 - 18) * mm
    with pdfplumber.open(pdf) as document:
        placed = [(page, image) for page in document.pages for image in page.images]
        text = "".join(page.extract_text() for page in document.pages)
    assert len(placed) == 2
    (_, head), (_, later) = placed
    half_leading = (18.375 - 10.5) / 2
    assert head["top"] == pytest.approx(22 * mm + half_leading, abs=0.3)  # flush, at the head
    for _, image in placed:
        assert image["x1"] - image["x0"] == pytest.approx(column, abs=0.5)
    assert later["top"] > head["bottom"]
    assert "仅有替代文字的图" in text


LONG_URL = "https://example.org/" + "abcdefghij/" * 20 + "x" * 200
LONG_NUMBER = "1234567890" * 30


def test_long_unbreakable_runs_break_inside_the_column(issue_factory, tmp_path):
    issue_factory.article("02", body=f"请见{LONG_URL}。\n\n另一个编号：{LONG_NUMBER}。\n")
    pdf = build(issue_factory.dir, tmp_path / "long.pdf", strict=True).output
    with pdfplumber.open(pdf) as document:
        text = "".join(page.extract_text() for page in document.pages).replace("\n", "")
    assert LONG_URL in text and LONG_NUMBER in text  # every character is on the page
    assert [str(v) for v in preflight(pdf).violations] == []


def test_preflight_finds_text_pushed_out_of_the_column(issue_factory, tmp_path):
    # The check can fail: the same runs in a layout that lets nothing break inside them.
    own = issue_factory.root / "layouts" / "rigid"
    own.mkdir(parents=True)
    for path in (layouts_dir() / "default").glob("*.*"):
        (own / path.name).write_bytes(path.read_bytes())
    with (own / "style.css").open("a", encoding="utf-8") as css:
        css.write("\n.articles { overflow-wrap: normal } .long-run { word-break: normal }\n")
    issue_factory.article("02", body=f"请见{LONG_URL}。\n")
    pdf = build(issue_factory.dir, tmp_path / "rigid.pdf", layout="rigid").output
    assert preflight(pdf).counts()["glyph outside text area"] >= 1


def test_lists_quotes_and_rules_keep_to_the_grid_in_the_bundled_faces(issue_factory, tmp_path):
    body = (
        "一段文字，运行 `bulletin build` 命令。\n\n"
        # A table's short 9 pt rows outnumber the page's lines of body text.
        "| 地区 | 生产总值 | 增速 |\n|---|---:|---:|\n| 上海 | 11098.5 | 5.0 |\n"
        "| 江苏 | 31020.4 | 6.2 |\n| 浙江 | 20137.0 | 6.1 |\n\n"
        "- 第一项\n  - 第二层一\n  - 第二层二\n"
        "- 第二项\n\n## 小标题含*强调*与**加粗**\n\n> 引用的一段话，写得长一些以便换行，"
        "写得长一些以便换行，写得长一些以便换行。\n\n---\n\n最后一段。\n"
    )
    issue_factory.article("02", body=body)
    pdf = build(issue_factory.dir, tmp_path / "lists.pdf", strict=True).output
    assert [str(v) for v in preflight(pdf).violations] == []  # a short page: no false alarm
    with pdfplumber.open(pdf) as document:
        faces = {c["fontname"].split("+")[-1] for page in document.pages for c in page.chars}
    assert faces <= {"Bulletin-Serif", "Bulletin-Sans", "Bulletin-Sans-Bold"}, faces
