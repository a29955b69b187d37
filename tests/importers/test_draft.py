"""Word drafts made by the tests, imported into new issues and into issues with articles."""

from __future__ import annotations

import hashlib
import re

import pytest
from docx import Document
from typer.testing import CliRunner

from bulletin.cli import app
from bulletin.content.loader import load_issue
from bulletin.render.html import render_issue
from tests.docx_factory import full_draft

runner = CliRunner()


def run(*args):
    return runner.invoke(app, [str(a) for a in args], prog_name="bulletin")


def snapshot(folder):
    """Every file under a folder with the hash of its bytes."""
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


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
    document.add_paragraph("【广 东】")
    document.add_paragraph("广州出台绿色金融支持碳达峰行动实施方案")  # a title without a style
    document.add_paragraph("日前，广州印发实施方案。")
    document.add_paragraph("(上海证券报 2024.4.10)")
    document.save(path)
    return path


def test_styled_draft_becomes_articles_with_formatting(new_issue, tmp_path):
    draft = styled_draft(tmp_path / "draft.docx")
    result = run("import", draft, "--out", new_issue)
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == f"{new_issue}: 2 articles from {draft} (01.md–02.md)"
    assert result.stderr == "warning: draft.docx: “【广 东】”: region 【广 东】 read as 【广东】\n"
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
    assert (second.region, second.title, second.source, str(second.date)) == (
        "广东",
        "广州出台绿色金融支持碳达峰行动实施方案",
        "上海证券报",
        "2024-04-10",
    )
    html = render_issue(content).html
    assert "<strong>首批 5 个融资服务中心</strong>" in html
    assert "<em>覆盖全市</em>" in html
    assert '<h4 class="subhead">三类服务</h4>' in html
    assert "*星号*和 # 井号以及 &lt;b&gt; 标签照原样" in html
    assert run("check", new_issue).exit_code == 0


def test_pictures_table_footnote_underline_and_links(new_issue, tmp_path):
    draft = full_draft(tmp_path / "draft.docx")
    result = run("import", draft, "--out", new_issue)
    assert result.exit_code == 0, result.output
    *notices, soft, blurred, small = result.stderr.splitlines()
    assert notices == [
        "warning: draft.docx: “近日，上海市委金融办推动…”: underline is not imported "
        "(“首批融资服务中心”); the text is kept",
        "warning: draft.docx: “详见官方网站和这里。”: link to 'javascript:alert(1)' is not "
        "imported (only http, https and mailto links are); the text is kept",
    ]
    # The factory's pictures are small: each is said to print at 96 ppi, where it is.
    assert all(" print at 96 ppi; the press needs 300" in line for line in (soft, blurred, small))
    assert [line.split(": ")[1] for line in (soft, blurred, small)] == [
        "2024-09/articles/01.md:9",
        "2024-09/articles/01.md:11",
        "2024-09/articles/01.md:15",
    ]
    # inline, on its own line, floating: each saved by article and order, placed as a figure
    images = sorted(p.name for p in (new_issue / "images").iterdir())
    assert images == ["01-1.png", "01-2.png", "01-3.png"]
    (article,) = load_issue(new_issue).content.articles
    body = article.body
    assert "*覆盖全市*，~~旧提法~~。①" in body
    assert '\n\n![图 2 股权投资集聚区分布](images/01-2.png "图 2 股权投资集聚区分布")\n\n' in body
    assert "| 增速 \\| 同比 | 5.0% | 5.0% |" in body
    assert body.rstrip().endswith("## 注释\n\n① 数据来自上海市统计局。")
    assert (article.source, str(article.date)) == ("上海证券报", "2024-04-16")

    html = render_issue(load_issue(new_issue).content, issue_dir=new_issue).html
    figures = re.findall(r"<figure class=\"figure\"><img src=\"([^\"]+)\" alt=\"([^\"]+)\" />"
                         r"<figcaption>([^<]+)</figcaption></figure>", html)  # fmt: skip
    assert [(src.rsplit("/", 1)[1], alt) for src, alt, _ in figures] == [
        ("01-1.png", "图 1 融资服务中心标识"),
        ("01-2.png", "图 2 股权投资集聚区分布"),
        ("01-3.png", "图 3 浮动的图片"),
    ]
    assert all(alt == caption for _, alt, caption in figures)
    assert '<th><span class="keep">指标</span></th>' in html and "<td>增速 | 同比</td>" in html
    assert "<s>旧提法</s>" in html
    # the hostile address stays one link: no bold, image, second link or subhead comes out of it
    link = re.search(r'<a href="([^"]+)">官方网站</a>', html)
    assert link and link[1].startswith("https://example.org/a%3E%29")
    section = html[html.index("详见") : html.index("下一步")]
    assert section.count("<a ") == 1
    assert "<strong>" not in section and "<img" not in section and "<h4" not in section


def test_draft_adds_to_an_issue_with_articles_and_prints(sample_copy, tmp_path):
    """The issue's done-when: a picture and a table in the PDF and in the e-edition."""
    from pypdf import PdfReader

    from bulletin.operations.build import build

    draft = full_draft(tmp_path / "desk.docx", title="上海发布金融数据图表")
    result = run("import", draft, "--out", sample_copy)
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == f"{sample_copy}: 1 article from {draft}"
    assert (sample_copy / "articles" / "12.md").is_file()
    assert sorted(p.name for p in (sample_copy / "images").iterdir())[0] == "12-1.png"
    content = load_issue(sample_copy).content
    assert [region for region, _ in content.sections][:2] == ["区域", "上海"]
    shanghai = dict(content.sections)["上海"]
    assert shanghai[-1].title == "上海发布金融数据图表"

    pdf = build(sample_copy, tmp_path / "x.pdf")  # --strict refuses its 96 ppi pictures
    assert len(pdf.warnings) == 3
    assert all(" print at 96 ppi; the press needs 300" in line for line in pdf.warnings)
    reader = PdfReader(pdf.output)
    text = "".join(page.extract_text() for page in reader.pages)
    assert "地区生产总值（亿元）" in text and "图 2 股权投资集聚区分布" in text
    pictures = {
        hashlib.sha256(image.data).digest() for page in reader.pages for image in page.images
    }
    assert len(pictures) == 3

    web = build(sample_copy, tmp_path / "web", kind="web")
    page = web.output.read_text(encoding="utf-8")
    assert page.count('<img src="data:image/png;base64,') == 3
    assert '<div class="table short untitled"><table>' in page
    assert '<td class="number">11098.5<' in page


def test_same_draft_again_is_refused_and_replace_gives_the_same_result(
    sample_copy, tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    draft = full_draft(tmp_path / "desk.docx")
    assert run("import", draft, "--out", sample_copy).exit_code == 0
    first = snapshot(sample_copy)
    assert "drafts.yaml" in first
    again = run("import", draft, "--out", sample_copy)
    assert again.exit_code == 1
    assert again.stderr.strip() == (
        "desk.docx: file: imported already as articles/12.md; use --replace to import it again"
    )
    replaced = run("import", draft, "--out", sample_copy, "--replace")
    assert replaced.exit_code == 0, replaced.output
    assert snapshot(sample_copy) == first
    # a hand-written article keeps its number; the draft stays where it was
    (sample_copy / "articles" / "13.md").write_text(
        "---\nregion: 北京\ntitle: 手写的一篇\nsource: 新华社\ndate: 2024-04-20\n---\n正文。\n",
        encoding="utf-8",
    )
    assert run("import", draft, "--out", sample_copy, "--replace").exit_code == 0
    assert {k: v for k, v in snapshot(sample_copy).items() if k != "articles/13.md"} == first


def test_a_title_already_in_the_issue_is_refused_naming_both(sample_copy, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    draft = full_draft(tmp_path / "desk.docx", title="上海支持八个区域打造股权投资集聚区")
    before = snapshot(sample_copy)
    result = run("import", draft, "--out", sample_copy)
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "desk.docx: “上海支持八个区域打造股权…”: title '上海支持八个区域打造股权投资集聚区' "
        "is already the title of 2024-08/articles/03.md; an issue prints each article once"
    )
    assert snapshot(sample_copy) == before


def test_an_interrupted_import_leaves_nothing_and_the_retry_works(sample_copy, tmp_path):
    from pathlib import Path

    draft = full_draft(tmp_path / "desk.docx")
    before = snapshot(sample_copy)
    written = []
    original = Path.write_bytes

    def interrupted(self, data):
        written.append(self)
        if len(written) == 2:
            raise KeyboardInterrupt
        return original(self, data)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Path, "write_bytes", interrupted)
        with pytest.raises(KeyboardInterrupt):
            from bulletin.importers.adding import add_draft
            from bulletin.importers.docx import read_draft

            add_draft(read_draft(draft), sample_copy, draft)
    assert len(written) == 2
    assert snapshot(sample_copy) == before
    assert [p.name for p in sample_copy.iterdir() if p.name.startswith(".")] == []
    result = run("import", draft, "--out", sample_copy)
    assert result.exit_code == 0, result.output


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
        f"{path.name}: “标题”: article '标题' has no source; "
        "expected its last paragraph to end like （上海证券报 20240416）"
    )
    garbage = tmp_path / "garbage.docx"
    garbage.write_bytes(b"not a zip at all")
    result = run("import", garbage, "--out", new_issue)
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        f"{garbage.name}: file: not a Word .docx document (not a zip package)"
    )


def test_draft_needs_a_started_issue(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    draft = styled_draft(tmp_path / "draft.docx")
    nowhere = run("import", draft, "--out", tmp_path / "nowhere")
    assert nowhere.exit_code == 1
    assert "issue.yaml: file: missing; start the issue with `bulletin new` first" in nowhere.stderr


def test_a_picture_whose_file_is_outside_the_draft_is_reported(new_issue, tmp_path):
    import zipfile

    draft = full_draft(tmp_path / "full.docx")
    linked = tmp_path / "linked.docx"
    with zipfile.ZipFile(draft) as source, zipfile.ZipFile(linked, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "word/_rels/document.xml.rels":
                text = data.decode()
                first = re.search(r'<Relationship [^>]*Target="media/[^"]+"[^>]*/>', text)[0]
                outside = re.sub(r'Target="[^"]+"', 'Target="file:///etc/passwd"', first)
                text = text.replace(first, outside.replace("/>", ' TargetMode="External"/>'))
                data = text.encode()
            target.writestr(item, data)
    result = run("import", linked, "--out", new_issue)
    assert result.exit_code == 0, result.output
    assert "a linked picture (not saved in the draft) is not imported" in result.stderr
    assert len(list((new_issue / "images").iterdir())) == 2
