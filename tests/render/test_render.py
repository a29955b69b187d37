"""Rendered HTML: structure, escaping, and nothing fetched from outside the project."""

from __future__ import annotations

import re

import pytest

from bulletin.content.loader import load_issue
from bulletin.errors import LayoutError
from bulletin.render.html import render_issue


def html_of(issue_dir, layout=None) -> str:
    return render_issue(load_issue(issue_dir).content, layout).html


def test_document_is_simplified_chinese_with_metadata(issue_factory):
    html = html_of(issue_factory.dir)
    assert '<html lang="zh-CN">' in html
    assert "<title>双周决策观察 2024 年第 8 期（总第 282 期）</title>" in html
    assert '<meta name="author" content="天津滨海综合发展研究院、泰达图书馆档案馆">' in html
    assert '<meta name="keywords" content="上海">' in html
    assert '<meta name="dcterms.created" content="2024-04-25">' in html


def test_cover_carries_numbering_and_sponsor_block(issue_factory):
    html = html_of(issue_factory.dir)
    for text in (
        "2024 年第 8 期",
        "（总第 282 期）",
        "4 月 25 日印发",
        "研究院微信",
        "<dt>主办\u3000</dt>",
        "<dt>编辑\u3000</dt><dd>贺然\u3000金敏毓</dd>",
        "<dt>统筹\u3000</dt>",
        "<dt>电话\u3000</dt>",
        "<dt>传真\u3000</dt>",
        "022-66222940",
    ):
        assert text in html


def test_contents_link_to_articles(issue_factory):
    issue_factory.article("02", region="广东", title="广州方案")
    html = html_of(issue_factory.dir)
    assert '<a href="#article-01">上海支持八个区域打造股权投资集聚区</a>' in html
    assert '<a href="#article-02">广州方案</a>' in html
    assert '<article id="article-02">' in html
    assert html.index("【上海】") < html.index("【广东】")


def test_body_paragraphs_subheads_and_source(issue_factory):
    issue_factory.article("02", body="第一段。\n\n## 小标题\n\n第二段，\n接续一行。\n")
    html = html_of(issue_factory.dir)
    assert '<h4 class="subhead">小标题</h4>' in html
    # a line break inside Chinese text is no space; the paragraph's tail stays together
    assert '<p>第二段，接续<span class="keep">一行。</span></p>' in html
    assert '<p class="source">（上海证券报 20240416）</p>' in html


def test_qr_codes_are_inline_vector_svg(issue_factory):
    html = html_of(issue_factory.dir)
    assert html.count("<svg") == 2
    assert "<img" not in html
    assert "data:image/png" not in html


@pytest.mark.parametrize(
    ("typed", "printed"),
    [
        ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ("{{ 7 * 7 }} {% if x %}", "{{ 7 * 7 }} {% if x %}"),
        ('<img src="file:///etc/passwd">', "&lt;img src=&quot;file:///etc/passwd&quot;&gt;"),
    ],
)
def test_markup_in_content_prints_as_text(issue_factory, typed, printed):
    issue_factory.article("02", body=typed + "\n")
    html = html_of(issue_factory.dir)
    # A long run without a space is wrapped in bulletin's own span so it may break anywhere.
    text = html.replace('<span class="long-run">', "").replace("</span>", "")
    assert printed in text
    assert "<img" not in html


def test_markup_in_title_is_escaped(issue_factory):
    issue_factory.article("02", title="'<b>粗</b>'")
    html = html_of(issue_factory.dir)
    assert "&lt;b&gt;粗&lt;/b&gt;" in html
    assert "<b>粗</b>" not in html


def test_unknown_layout_is_a_layout_error(issue_factory):
    with pytest.raises(LayoutError, match=r"nope: layout: no issue.html.j2 there"):
        html_of(issue_factory.dir, layout="nope")


def test_html_references_only_project_files(issue_factory):
    html = html_of(issue_factory.dir)
    urls = re.findall(r'(?:href|src)="([^"#][^"]*)"', html)
    assert urls == ["style.css"]


@pytest.mark.parametrize(
    ("typed", "made"),
    [
        ("他说**“双碳”**目标。", "<strong>“双碳”</strong>目标"),
        ("以及*《若干措施》*提出。", "<em>《若干措施》</em>提出"),
        ("还有**（试行）**办法。", "<strong>（试行）</strong>办法"),
        ("**这一句强调。**下一句。", "<strong>这一句强调。</strong>下"),
        ("**目标，以及*《若干》*提出**。", "<strong>目标，以及<em>《若干》</em>提出</strong>"),
        ("~~*删除的强调*~~和*~~强调的删除~~*。", "<s><em>删除的强调</em></s>和<em><s>"),
        ("snake_case_name 与 5*3*2。", "snake_case_name 与 5<em>3</em>2"),  # as CommonMark
    ],
)
def test_emphasis_beside_chinese_punctuation_is_emphasis(issue_factory, typed, made):
    # Plain CommonMark leaves these asterisks as text: editors write bold around quotes.
    issue_factory.article("02", body=typed + "\n")
    html = html_of(issue_factory.dir)
    assert made in html and "**" not in html.split('class="article-body"')[1]


def test_short_chinese_cells_stay_on_one_line_long_ones_wrap(issue_factory):
    table = "| 地区 | 同比增长 | 规上工业增加值增速 | 备注 |\n|---|---|---|---|\n"
    table += "| 上海 | 5.0 | 1.2 | 工业是经济的压舱石 |\n"
    issue_factory.article("02", body=table)
    html = html_of(issue_factory.dir)
    for short in ("地区", "同比增长", "上海"):
        assert f'<span class="keep">{short}</span>' in html
    for long in ("规上工业增加值增速", "工业是经济的压舱石"):
        assert f">{long}<" in html and f'keep">{long}' not in html
