"""A caption typed in Word under (or over) a picture becomes its caption, not a body line."""

from __future__ import annotations

import re

import pytest
from docx.shared import Mm

from tests.docx_factory import article_draft, png, set_alt
from tests.importers.test_docx_text import imported, issue  # noqa: F401 (a fixture)

NO_CAPTION = (
    "a picture has no alt text and no caption: it is placed without one; type its caption "
    "under it (图1 …) or give it alt text in Word"
)


def picture(alt: str = "", text: str = ""):
    """A paragraph holding a picture (and `text` before it), with `alt` as its alt text."""

    def add(document):
        paragraph = document.add_paragraph(text)
        run = paragraph.add_run()
        run.add_picture(png(), width=Mm(40))
        if alt:
            set_alt(run, alt)

    return add


def captioned(text: str):
    """A paragraph in Word's Caption style (题注)."""

    def add(document):
        document.add_paragraph(text, style="Caption")

    return add


def figures(body: str) -> list[tuple[str, str, str | None]]:
    """(alt, path, title) of each picture in an article body."""
    found = re.findall(r'!\[([^\]]*)\]\((\S+?)(?: "((?:[^"\\]|\\.)*)")?\)', body)
    return [(alt, path, title or None) for alt, path, title in found]


@pytest.mark.parametrize(
    ("typed", "caption"),
    [
        ("图1 深圳市5G-A基站数量变化情况", "图1 深圳市5G-A基站数量变化情况"),
        ("图 1：深圳市5G-A基站数量变化情况", "图 1：深圳市5G-A基站数量变化情况"),
        ("图一 深圳市5G-A基站数量变化情况", "图一 深圳市5G-A基站数量变化情况"),
        ("图：深圳市5G-A基站数量变化情况", "深圳市5G-A基站数量变化情况"),
    ],
)
def test_a_caption_under_a_picture_is_its_caption(issue, tmp_path, typed, caption):  # noqa: F811
    draft = article_draft(tmp_path / "c.docx", ["前一段。", picture(), typed, "后一段。"])
    article, notices = imported(issue, draft)
    assert figures(article.body) == [(caption, "images/01-1.png", caption)]
    assert article.body.count("深圳市5G-A") == 2  # alt and title, never a body line
    assert "前一段。" in article.body and "后一段。" in article.body
    assert not [line for line in notices if "caption" in line]


def test_a_caption_style_paragraph_under_or_over_a_picture(issue, tmp_path):  # noqa: F811
    paragraphs = [
        picture(),
        captioned("深圳市5G-A基站数量"),
        captioned("图2 上海市算力规模"),
        picture(),
        "正文。",
    ]
    article, notices = imported(issue, article_draft(tmp_path / "s.docx", paragraphs))
    assert figures(article.body) == [
        ("深圳市5G-A基站数量", "images/01-1.png", "深圳市5G-A基站数量"),
        ("图2 上海市算力规模", "images/01-2.png", "图2 上海市算力规模"),
    ]
    assert article.body.count("上海市算力规模") == 2
    assert not [line for line in notices if "caption" in line]


def test_alt_text_stays_the_alt_and_the_typed_caption_is_the_caption(issue, tmp_path):  # noqa: F811
    paragraphs = [picture(alt="一张柱状图"), "图1 深圳市5G-A基站数量变化情况"]
    article, _ = imported(issue, article_draft(tmp_path / "a.docx", paragraphs))
    assert figures(article.body) == [
        ("一张柱状图", "images/01-1.png", "图1 深圳市5G-A基站数量变化情况")
    ]


def test_a_picture_with_no_caption_at_all_is_named(issue, tmp_path):  # noqa: F811
    paragraphs = ["前一段。", picture(), "图1显示，基站数量翻了一番。其中……", "后一段。"]
    article, notices = imported(issue, article_draft(tmp_path / "n.docx", paragraphs))
    (alt, path, title) = figures(article.body)[0]
    assert alt == "标题 图 1"  # a plain description for screen readers, no caption
    assert (path, title) == ("images/01-1.png", None)
    assert "图1显示，基站数量翻了一番。其中……" in article.body  # a sentence, not a caption
    assert any(line.endswith(NO_CAPTION) for line in notices), notices


def test_a_figure_caption_before_text_stays_a_paragraph(issue, tmp_path):  # noqa: F811
    paragraphs = ["图1 深圳市5G-A基站数量变化情况", "正文。"]
    article, _ = imported(issue, article_draft(tmp_path / "p.docx", paragraphs))
    assert figures(article.body) == []
    assert "图1 深圳市5G-A基站数量变化情况" in article.body


def test_a_picture_and_its_caption_in_one_paragraph(issue, tmp_path):  # noqa: F811
    paragraphs = [picture(text="图1 深圳市5G-A基站数量变化情况"), "正文。"]
    article, _ = imported(issue, article_draft(tmp_path / "o.docx", paragraphs))
    caption = "图1 深圳市5G-A基站数量变化情况"
    assert figures(article.body) == [(caption, "images/01-1.png", caption)]
    assert article.body.count("深圳市5G-A") == 2
