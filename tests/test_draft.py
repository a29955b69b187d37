"""Word drafts: generated .docx files imported into an issue started with `bulletin new`."""

from __future__ import annotations

import io

import pytest
from docx import Document
from typer.testing import CliRunner

from bulletin.cli import app
from bulletin.content.loader import load_issue
from bulletin.render.html import render_issue

runner = CliRunner()


def run(*args):
    return runner.invoke(app, [str(a) for a in args], prog_name="bulletin")


@pytest.fixture
def new_issue(issue_factory):
    assert run("new", issue_factory.root).exit_code == 0
    return issue_factory.root / "2024-09"


def styled_draft(path):
    """A draft the way an editor writes one with Word's heading styles."""
    document = Document()
    document.add_paragraph("【上海】")
    document.add_heading("上海首批 5 个“融资服务中心”挂牌成立", level=1)
    body = document.add_paragraph("近日，上海市委金融办推动")
    body.add_run("首批 5 个融资服务中心").bold = True
    body.add_run("挂牌成立，")
    body.add_run("覆盖全市").italic = True
    body.add_run("。")
    document.add_heading("三类服务", level=2)
    document.add_paragraph("*星号*和 # 井号以及 <b> 标签照原样印出。（证券时报 20240416）")
    document.add_paragraph("【广东】")
    document.add_paragraph("广州出台绿色金融支持碳达峰行动实施方案")  # a title without a style
    document.add_paragraph("日前，广州印发实施方案。")
    document.add_paragraph("（上海证券报 20240410）")
    document.save(path)
    return path


def test_styled_draft_becomes_articles_with_formatting(new_issue, tmp_path):
    draft = styled_draft(tmp_path / "draft.docx")
    result = run("import", draft, "--out", new_issue)
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == f"{new_issue}: 2 articles from {draft}"
    content = load_issue(new_issue).content
    first, second = content.articles
    assert (first.region, first.title, first.source, str(first.date)) == (
        "上海",
        "上海首批 5 个“融资服务中心”挂牌成立",
        "证券时报",
        "2024-04-16",
    )
    assert "**首批 5 个融资服务中心**" in first.body and "*覆盖全市*" in first.body
    assert "## 三类服务" in first.body
    assert (second.region, second.title, second.source) == (
        "广东",
        "广州出台绿色金融支持碳达峰行动实施方案",
        "上海证券报",
    )
    html = render_issue(content).html
    assert "<strong>首批 5 个融资服务中心</strong>" in html
    assert "<em>覆盖全市</em>" in html
    assert '<h4 class="subhead">三类服务</h4>' in html
    assert "*星号*和 # 井号以及 &lt;b&gt; 标签照原样" in html
    assert run("check", new_issue).exit_code == 0


def test_what_cannot_be_mapped_is_reported(new_issue, tmp_path):
    from PIL import Image

    picture = io.BytesIO()
    Image.new("RGB", (10, 10)).save(picture, "PNG")
    picture.seek(0)
    document = Document()
    document.add_paragraph("【上海】")
    document.add_heading("标题", level=1)
    document.add_paragraph("第一段。").add_run().add_picture(picture)
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "指标"
    underlined = document.add_paragraph("第二段")
    underlined.add_run("下划线").underline = True
    underlined.add_run("。（人民网 20240418）")
    path = tmp_path / "odd.docx"
    document.save(path)
    result = run("import", path, "--out", new_issue)
    assert result.exit_code == 0, result.output
    warnings = result.stderr.splitlines()
    assert f"warning: {path.name}: paragraph 3: an image or object is not imported" in warnings
    assert any("paragraph 4: a table (指标 …) is not imported" in w for w in warnings)
    assert f"warning: {path.name}: paragraph 5: underline is not imported; the text is" in warnings
    assert "第二段下划线。" in load_issue(new_issue).content.articles[0].body


def test_bad_drafts_are_one_line_each(new_issue, tmp_path):
    no_source = Document()
    no_source.add_paragraph("【上海】")
    no_source.add_paragraph("标题")
    no_source.add_paragraph("正文没有来源。")
    path = tmp_path / "nosource.docx"
    no_source.save(path)
    result = run("import", path, "--out", new_issue)
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        f"{path.name}: paragraph 2: article '标题' has no source; "
        "expected its last paragraph to end like （上海证券报 20240416）"
    )
    garbage = tmp_path / "garbage.docx"
    garbage.write_bytes(b"not a zip at all")
    result = run("import", garbage, "--out", new_issue)
    assert result.exit_code == 1
    assert result.stderr.strip().startswith(f"{garbage.name}: file: not a Word .docx document")


def test_draft_needs_a_started_issue_and_never_overwrites(new_issue, tmp_path):
    draft = styled_draft(tmp_path / "draft.docx")
    nowhere = run("import", draft, "--out", tmp_path / "nowhere")
    assert nowhere.exit_code == 1
    assert "issue.yaml: file: missing; start the issue with `bulletin new` first" in nowhere.stderr
    assert run("import", draft, "--out", new_issue).exit_code == 0
    again = run("import", draft, "--out", new_issue)
    assert again.exit_code == 1
    assert "already has 2 articles: refusing to overwrite" in again.stderr
