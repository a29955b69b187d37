"""Word drafts made in the tests with python-docx, plus the XML python-docx has no API for."""

from __future__ import annotations

import io
import zipfile

from docx import Document
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Mm

W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
HOSTILE_ADDRESS = "https://example.org/a>)**粗体** ![图](http://evil.example/x.png)\n## 小标题 (x)"


def png(width: int = 480, height: int = 240, colour=(40, 90, 160)) -> io.BytesIO:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (width, height), colour)
    ImageDraw.Draw(image).rectangle([10, 10, width - 10, height - 10], outline="white", width=6)
    data = io.BytesIO()
    image.save(data, "PNG")
    data.seek(0)
    return data


def set_alt(run, text: str) -> None:
    """The alt text Word keeps in wp:docPr/@descr."""
    run._r.xpath(".//wp:docPr")[0].set("descr", text)


def make_floating(run) -> None:
    """Turn the run's inline picture into a floating one (wp:anchor, square wrapping)."""
    inline = run._r.xpath(".//wp:inline")[0]
    anchor = parse_xml(
        f'<wp:anchor {nsdecls("wp")} distT="0" distB="0" distL="114300" distR="114300" '
        'simplePos="0" relativeHeight="2" behindDoc="0" locked="0" layoutInCell="1" '
        'allowOverlap="1"><wp:simplePos x="0" y="0"/>'
        '<wp:positionH relativeFrom="column"><wp:posOffset>0</wp:posOffset></wp:positionH>'
        '<wp:positionV relativeFrom="paragraph"><wp:posOffset>0</wp:posOffset></wp:positionV>'
        "</wp:anchor>"
    )
    children = list(inline)
    anchor.append(children[0])  # wp:extent
    anchor.append(parse_xml(f'<wp:wrapSquare {nsdecls("wp")} wrapText="bothSides"/>'))
    for child in children[1:]:
        anchor.append(child)
    inline.getparent().replace(inline, anchor)


def add_hyperlink(paragraph, address: str, text: str) -> None:
    """A w:hyperlink to an external address (python-docx can only read them)."""
    rid = paragraph.part.relate_to(address, RT.HYPERLINK, is_external=True)
    link = parse_xml(
        f'<w:hyperlink {nsdecls("w", "r")} r:id="{rid}"><w:r><w:t xml:space="preserve">'
        f"{text}</w:t></w:r></w:hyperlink>"
    )
    paragraph._p.append(link)


def add_footnotes(document, notes: dict[int, str]) -> None:
    """The footnotes part, written by hand: python-docx has no footnote API."""
    body = "".join(
        f'<w:footnote w:id="{number}"><w:p><w:r><w:footnoteRef/></w:r>'
        f'<w:r><w:t xml:space="preserve"> {text}</w:t></w:r></w:p></w:footnote>'
        for number, text in notes.items()
    )
    xml = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:footnotes {W_NS}>'
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p>'
        f"</w:footnote>{body}</w:footnotes>"
    ).encode()
    part = Part(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, xml, document.part.package)
    document.part.relate_to(part, RT.FOOTNOTES)


def add_footnote_reference(paragraph, number: int) -> None:
    run = paragraph.add_run()
    reference = parse_xml(f'<w:footnoteReference {nsdecls("w")} w:id="{number}"/>')
    run._r.append(reference)


def full_draft(path, title: str = "上海发布金融数据图表"):
    """One article with every kind of content an editor's draft brings."""
    document = Document()
    document.add_paragraph("【上海】")
    document.add_heading(title, level=1)
    first = document.add_paragraph("近日，上海市委金融办推动")
    first.add_run("首批融资服务中心").underline = True
    first.add_run("挂牌成立，")
    first.add_run("覆盖全市").italic = True
    first.add_run("，")
    first.add_run("旧提法").font.strike = True
    first.add_run("。")
    add_footnote_reference(first, 1)
    inline = first.add_run()
    inline.add_picture(png(200, 100), width=Mm(30))
    set_alt(inline, "图 1 融资服务中心标识")
    own_line = document.add_paragraph().add_run()
    own_line.add_picture(png(480, 240, (160, 40, 40)))
    set_alt(own_line, "图 2 股权投资集聚区分布")
    floating = document.add_paragraph("集聚区的分布如图所示。").add_run()
    floating.add_picture(png(300, 300, (30, 130, 60)))
    set_alt(floating, "图 3 浮动的图片")
    make_floating(floating)
    table = document.add_table(rows=3, cols=3)
    for row, values in zip(table.rows, (("指标", "2023 年", "2024 年"),
                                        ("地区生产总值（亿元）", "47218.7", "11098.5"),
                                        ("增速 | 同比", "5.0%", "5.0%")), strict=True):  # fmt: skip
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value
    links = document.add_paragraph("详见")
    add_hyperlink(links, HOSTILE_ADDRESS, "官方网站")
    links.add_run("和")
    add_hyperlink(links, "javascript:alert(1)", "这里")
    links.add_run("。")
    document.add_paragraph("下一步，上海将继续推进。（来源：上海证券报 2024年4月16日）")
    add_footnotes(document, {1: "数据来自上海市统计局。"})
    document.save(path)
    return path


def rezip(path, replace: dict[str, bytes], out):
    """A copy of a .docx with some parts replaced (for damaged and hostile packages)."""
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dest:
        for item in source.infolist():
            dest.writestr(item.filename, replace.get(item.filename, source.read(item.filename)))
    return out


# --- every kind of text a paragraph can hold, and hostile packages ------------------------------

WPS = "http://schemas.microsoft.com/office/word/2010/wordprocessingShape"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"


def runs_xml(xml: str) -> list:
    """Run-level elements (w:r, w:ins, w:sdt …) from a snippet written with the w: prefix."""
    holder = parse_xml(f"<w:p {nsdecls('w')}>{xml}</w:p>")
    return list(holder)


def add_xml(paragraph, xml: str) -> None:
    """Append run-level XML to a python-docx paragraph."""
    for element in runs_xml(xml):
        paragraph._p.append(element)


def add_body_xml(document, xml: str) -> None:
    """Block-level XML (w:sdt, w:customXml …) at the end of the body, before its section."""
    body = document.element.body
    holder = parse_xml(f"<w:body {nsdecls('w')}>{xml}</w:body>")
    for element in list(holder):
        body.sectPr.addprevious(element) if body.sectPr is not None else body.append(element)


def para(text: str) -> str:
    return f'<w:p><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>'


def vml_text_box(paragraphs: list[str]) -> str:
    """A run holding a VML text box (Word 2007's w:pict) with these paragraphs."""
    inner = "".join(para(text) for text in paragraphs)
    return (
        f'<w:r><w:pict><v:shape xmlns:v="urn:schemas-microsoft-com:vml" style="width:100pt">'
        f"<v:textbox><w:txbxContent>{inner}</w:txbxContent></v:textbox></v:shape></w:pict></w:r>"
    )


def drawing_text_box(paragraphs: list[str]) -> str:
    """A run holding a DrawingML text box with a VML fallback, as Word 2010 and later save it."""
    inner = "".join(para(text) for text in paragraphs)
    choice = (
        f'<w:drawing><wp:anchor {nsdecls("wp", "a")}><wp:extent cx="100" cy="100"/>'
        '<wp:docPr id="9" name="文本框 1"/><a:graphic><a:graphicData '
        f'uri="{WPS}"><wps:wsp xmlns:wps="{WPS}"><wps:txbx><w:txbxContent>{inner}'
        "</w:txbxContent></wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing>"
    )
    fallback = vml_text_box(paragraphs)[len("<w:r>") : -len("</w:r>")]
    return (
        f'<w:r><mc:AlternateContent xmlns:mc="{MC}"><mc:Choice Requires="wps">{choice}'
        f"</mc:Choice><mc:Fallback>{fallback}</mc:Fallback></mc:AlternateContent></w:r>"
    )


def article_draft(path, paragraphs=(), *, body_xml: str = "", source: str = "（人民网 20240418）"):
    """One article: 【上海】, a title, then `paragraphs` (text, or a callable given the
    document to add its own), any block-level `body_xml`, and the source paragraph."""
    document = Document()
    document.add_paragraph("【上海】")
    document.add_paragraph("标题")
    for item in paragraphs:
        if callable(item):
            item(document)
        else:
            document.add_paragraph(item)
    if body_xml:
        add_body_xml(document, body_xml)
    if source:
        document.add_paragraph(source)
    document.save(path)
    return path


def many_articles(path, count: int, *, prefix: str = "文章"):
    """A draft of `count` short articles, each with its own title."""
    document = Document()
    document.add_paragraph("【上海】")
    for number in range(1, count + 1):
        document.add_paragraph(f"{prefix}第{number}篇")
        document.add_paragraph(f"正文{number}。（人民网 20240418）")
    document.save(path)
    return path


def with_members(path, out, members: dict[str, bytes], *, rename: dict[str, str] | None = None):
    """A copy of a .docx with members added or replaced (`members`) and renamed (`rename`:
    old name → new, the content types and relationships following the main document)."""
    rename = rename or {}
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dest:
        for item in source.infolist():
            data = source.read(item.filename)
            for old, new in rename.items():
                data = data.replace(f"/{old}".encode(), f"/{new}".encode())
                data = data.replace(f'Target="{old}"'.encode(), f'Target="{new}"'.encode())
            name = rename.get(item.filename, item.filename)
            if name not in members:
                dest.writestr(name, data)
        for name, data in members.items():
            dest.writestr(name, data)
    return out
