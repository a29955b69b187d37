"""Every kind of text in a Word draft is imported or named in a notice that quotes it."""

from __future__ import annotations

import pytest
from docx.enum.style import WD_STYLE_TYPE
from typer.testing import CliRunner

from bulletin.cli import app
from bulletin.content.loader import load_issue
from tests.docx_factory import (
    add_xml,
    article_draft,
    drawing_text_box,
    para,
    vml_text_box,
)

runner = CliRunner()
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def run(*args):
    return runner.invoke(app, [str(a) for a in args], prog_name="bulletin")


@pytest.fixture
def issue(issue_factory):
    assert run("new", issue_factory.root).exit_code == 0
    return issue_factory.root / "2024-09"


def imported(issue, draft, *options):
    """The article's body and the notices, after an import that succeeded."""
    result = run("import", draft, "--out", issue, *options)
    assert result.exit_code == 0, result.output
    assert "internal error" not in result.output
    (article,) = load_issue(issue).content.articles
    notices = [line.removeprefix("warning: ") for line in result.stderr.splitlines()]
    return article, notices


def with_runs(text: str, xml: str):
    """A paragraph that starts with `text` and goes on with run-level `xml`."""

    def add(document):
        add_xml(document.add_paragraph(text), xml)

    return add


def test_hidden_text_is_left_out_and_named_unless_asked_for(issue, tmp_path):
    hidden = "<w:r><w:rPr><w:vanish/></w:rPr><w:t>内部备注：勿外传</w:t></w:r>"
    shown = '<w:r><w:rPr><w:vanish w:val="false"/></w:rPr><w:t>照常印出。</w:t></w:r>'
    draft = article_draft(tmp_path / "hidden.docx", [with_runs("公开的句子。", hidden + shown)])
    article, notices = imported(issue, draft)
    assert "公开的句子。照常印出。" in article.body and "内部备注" not in article.body
    assert notices == [
        "hidden.docx: “公开的句子。照常印出。”: hidden text “内部备注：勿外传” is not imported "
        "(Word does not print it); --include-hidden imports it"
    ]
    again = run("import", draft, "--out", issue, "--replace", "--include-hidden")
    assert again.exit_code == 0, again.output
    assert "公开的句子。内部备注：勿外传照常印出。" in load_issue(issue).content.articles[0].body
    assert again.stderr.strip() == (
        "warning: hidden.docx: “公开的句子。内部备注：勿…”: hidden text “内部备注：勿外传” is "
        "imported (--include-hidden)"
    )


def test_text_hidden_by_its_style_is_hidden_too(issue, tmp_path):
    def add(document):
        style = document.styles.add_style("内部批注", WD_STYLE_TYPE.CHARACTER)
        style.font.hidden = True
        paragraph = document.add_paragraph("正文。")
        paragraph.add_run("批注文字").style = style

    article, notices = imported(issue, article_draft(tmp_path / "styled.docx", [add]))
    assert "批注文字" not in article.body
    assert notices == [
        "styled.docx: “正文。”: hidden text “批注文字” is not imported (Word does not print it); "
        "--include-hidden imports it"
    ]


def test_symbols_are_the_characters_they_show_or_named_by_code(issue, tmp_path):
    symbols = (
        '<w:r><w:sym w:font="Wingdings" w:char="F0FC"/></w:r><w:r><w:t>已完成，</w:t></w:r>'
        '<w:r><w:sym w:font="Symbol" w:char="F061"/></w:r><w:r><w:t>系数，</w:t></w:r>'
        '<w:r><w:sym w:font="Wingdings 2" w:char="F052"/></w:r><w:r><w:t>待定。</w:t></w:r>'
    )
    draft = article_draft(tmp_path / "sym.docx", [with_runs("", symbols)])
    article, notices = imported(issue, draft)
    assert "✓已完成，α系数，待定。" in article.body
    assert notices == [
        "sym.docx: “✓已完成，α系数，待定。”: a symbol (Wingdings 2, character code F052) is not "
        "imported; insert it in Word as a character of an ordinary font"
    ]


def test_content_controls_and_custom_xml_however_nested(issue, tmp_path):
    def sdt(inner: str) -> str:
        return f"<w:sdt><w:sdtPr/><w:sdtContent>{inner}</w:sdtContent></w:sdt>"

    body = (
        sdt(sdt(para("嵌套控件里的段落。")))
        + f"<w:customXml w:element='x'>{para('自定义标记里的段落。')}</w:customXml>"
        + sdt(f"<w:customXml w:element='y'>{sdt(para('三层里的段落。'))}</w:customXml>")
        + "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>指标</w:t></w:r></w:p></w:tc></w:tr>"
        + sdt("<w:tr><w:tc><w:p><w:r><w:t>控件里的行</w:t></w:r></w:p></w:tc></w:tr>")
        + "</w:tbl>"
    )
    inline = (
        sdt(sdt("<w:r><w:t>行内控件，</w:t></w:r>"))
        + "<w:customXml w:element='z'><w:r><w:t>行内标记。</w:t></w:r></w:customXml>"
    )
    draft = article_draft(tmp_path / "sdt.docx", [with_runs("开头，", inline)], body_xml=body)
    article, notices = imported(issue, draft)
    body_text = article.body
    for text in ("开头，行内控件，行内标记。", "嵌套控件里的段落。", "自定义标记里的段落。",
                 "三层里的段落。", "| 控件里的行 |"):  # fmt: skip
        assert text in body_text
    assert notices == []


def test_a_text_box_follows_its_paragraph_and_is_never_the_source(issue, tmp_path):
    box = vml_text_box(["框里的说明（新华社 20240101）", "框里第二段。"])
    drawn = drawing_text_box(["新式文本框的话。"])
    draft = article_draft(
        tmp_path / "box.docx",
        [with_runs("正文第一段。", box), with_runs("正文第二段。", drawn)],
    )
    article, notices = imported(issue, draft)
    assert (article.source, str(article.date)) == ("人民网", "2024-04-18")
    paragraphs = article.body.strip().split("\n\n")
    assert paragraphs == [
        "正文第一段。",
        "框里的说明（新华社 20240101）",
        "框里第二段。",
        "正文第二段。",
        "新式文本框的话。",  # the DrawingML box and its VML fallback: read once
    ]
    assert notices == [
        "box.docx: “正文第一段。”: text box “框里的说明（新华社 20…” is placed after its "
        "paragraph; check that it belongs there",
        "box.docx: “正文第二段。”: text box “新式文本框的话。” is placed after its paragraph; "
        "check that it belongs there",
    ]


def test_a_source_only_in_a_text_box_is_no_source(issue, tmp_path):
    box = vml_text_box(["（新华社 20240101）"])
    draft = article_draft(tmp_path / "nosource.docx", [with_runs("最后一段。", box)], source="")
    result = run("import", draft, "--out", issue)
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "nosource.docx: “标题”: article '标题' has no source; expected its last paragraph to "
        "end like （上海证券报 20240416）"
    )


def test_ruby_keeps_its_base_text_and_names_the_annotation(issue, tmp_path):
    ruby = (
        "<w:r><w:ruby><w:rubyPr/><w:rt><w:r><w:t>biān</w:t></w:r></w:rt>"
        "<w:rubyBase><w:r><w:t>编</w:t></w:r></w:rubyBase></w:ruby></w:r>"
        "<w:r><w:t>辑部。</w:t></w:r>"
    )
    article, notices = imported(
        issue, article_draft(tmp_path / "ruby.docx", [with_runs("本刊", ruby)])
    )
    assert "本刊编辑部。" in article.body and "biān" not in article.body
    assert notices == [
        "ruby.docx: “本刊编辑部。”: ruby text is not imported (“编（biān）”); the base text is kept"
    ]


def test_tracked_changes_keep_insertions_and_drop_deletions(issue, tmp_path):
    first = (
        '<w:ins w:id="1" w:author="编辑"><w:r><w:t>新增的话，</w:t></w:r></w:ins>'
        '<w:del w:id="2" w:author="编辑"><w:r><w:delText>删掉的话，</w:delText></w:r></w:del>'
        "<w:r><w:t>原有的话。</w:t></w:r>"
    )
    second = (
        '<w:moveFrom w:id="3" w:author="编辑"><w:r><w:t>移走的话，</w:t></w:r></w:moveFrom>'
        '<w:moveTo w:id="4" w:author="编辑"><w:r><w:t>移来的话。</w:t></w:r></w:moveTo>'
    )
    draft = article_draft(
        tmp_path / "changes.docx", [with_runs("", first), with_runs("第二段：", second)]
    )
    article, notices = imported(issue, draft)
    assert "新增的话，原有的话。" in article.body and "第二段：移来的话。" in article.body
    assert "删掉" not in article.body and "移走" not in article.body
    assert notices == [
        "changes.docx: “新增的话，原有的话。”: the draft has tracked changes not yet accepted (the "
        "first is here): inserted text is imported, deleted text is not; accept or reject them "
        "in Word to be sure"
    ]


def test_an_equation_and_unknown_text_are_named(issue, tmp_path):
    math = (
        '<m:oMath xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math">'
        "<m:r><m:t>E=mc²</m:t></m:r></m:oMath>"
    )
    unknown = f'<x:note xmlns:x="urn:example"><w:r {W}><w:t>外来元素里的字</w:t></w:r></x:note>'
    draft = article_draft(tmp_path / "math.docx", [with_runs("公式：", math + unknown)])
    article, notices = imported(issue, draft)
    assert "公式：" in article.body and "外来元素" not in article.body
    assert notices == [
        "math.docx: “公式：”: an equation “E=mc²” is not imported; type it as text or paste it "
        "as a picture",
        "math.docx: “公式：”: text “外来元素里的字” in a Word note element is not imported; type "
        "it in the body",
    ]
