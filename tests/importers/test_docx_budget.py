"""Hostile and damaged Word drafts: every budget gives one clear line, never internal error."""

from __future__ import annotations

import zipfile

import pytest
from docx import Document
from typer.testing import CliRunner

from bulletin.cli import app
from bulletin.importers import docx_package
from tests.docx_factory import rezip

runner = CliRunner()

ENTITIES = b"""<?xml version="1.0"?>
<!DOCTYPE w:document [
  <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
  <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
  <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
]>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:body><w:p><w:r><w:t>&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;</w:t></w:r></w:p></w:body></w:document>
"""


def run(*args):
    return runner.invoke(app, [str(a) for a in args], prog_name="bulletin")


@pytest.fixture
def setup(issue_factory, tmp_path):
    assert run("new", issue_factory.root).exit_code == 0
    document = Document()
    document.add_paragraph("【上海】")
    document.add_paragraph("标题")
    document.add_paragraph("正文。（人民网 20240418）")
    document.save(tmp_path / "good.docx")
    return issue_factory.root / "2024-09", tmp_path / "good.docx"


def refused(issue, draft) -> str:
    result = run("import", draft, "--out", issue)
    assert result.exit_code == 1, result.output
    assert "internal error" not in result.output
    assert not (issue / "articles" / "01.md").exists()
    (line,) = result.stderr.splitlines()
    return line


def test_zip_bomb_document_is_refused_before_parsing(setup, tmp_path):
    issue, good = setup
    bomb = tmp_path / "bomb.docx"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            if item.filename != "word/document.xml":
                out.writestr(item.filename, source.read(item.filename))
        with out.open("word/document.xml", "w") as stream:
            block = b" " * (1024 * 1024)
            for _ in range(51):
                stream.write(block)
    assert bomb.stat().st_size < 200_000
    assert refused(issue, bomb) == (
        "bomb.docx: file: word/document.xml unpacks to 51 MB; an XML part may be at most 50 MB"
    )


def test_package_budgets(setup, monkeypatch):
    issue, good = setup
    monkeypatch.setattr(docx_package, "MAX_DOCX_BYTES", 1000)
    assert refused(issue, good).startswith("good.docx: file: 0 MB; a Word draft may be at most")
    monkeypatch.setattr(docx_package, "MAX_DOCX_BYTES", 50 * 1024 * 1024)
    monkeypatch.setattr(docx_package, "MAX_UNPACKED_BYTES", 10_000)
    assert "a Word draft may unpack to at most" in refused(issue, good)
    monkeypatch.setattr(docx_package, "MAX_UNPACKED_BYTES", 200 * 1024 * 1024)
    monkeypatch.setattr(docx_package, "MAX_XML_ELEMENTS", 20)
    assert refused(issue, good) == (
        "good.docx: file: more than 20 XML elements; a Word draft may have at most that many"
    )


def test_entities_and_dtds_are_refused(setup, tmp_path):
    issue, good = setup
    hostile = rezip(good, {"word/document.xml": ENTITIES}, tmp_path / "laughs.docx")
    assert refused(issue, hostile) == (
        "laughs.docx: file: word/document.xml declares a document type (<!DOCTYPE>); Word never "
        "writes one, and its entities could expand without limit"
    )


def test_malformed_xml_is_one_line(setup, tmp_path):
    issue, good = setup
    broken = rezip(good, {"word/document.xml": b"<w:document><w:body>"}, tmp_path / "cut.docx")
    line = refused(issue, broken)
    assert line.startswith("cut.docx: file: word/document.xml is not well-formed XML (line 1): ")
    undefined = b'<w:document xmlns:w="urn:x">&nope;</w:document>'
    entity = rezip(good, {"word/document.xml": undefined}, tmp_path / "entity.docx")
    assert refused(issue, entity).startswith("entity.docx: file: word/document.xml is not well")
    parts = rezip(good, {"[Content_Types].xml": b"<Types/>"}, tmp_path / "types.docx")
    assert refused(issue, parts).startswith("types.docx: file: not a Word .docx document (")


def test_a_picture_over_the_pixel_budget_is_reported_not_decoded(setup, tmp_path):
    import io
    import struct
    import zlib

    issue, _ = setup
    header = struct.pack(">IIBBBBB", 8000, 8000, 8, 2, 0, 0, 0)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    huge = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0"))
    huge += chunk(b"IEND", b"")
    document = Document()
    document.add_paragraph("【上海】")
    document.add_paragraph("标题")
    document.add_paragraph("正文。").add_run().add_picture(io.BytesIO(huge))
    document.add_paragraph("（人民网 20240418）")
    document.save(tmp_path / "huge.docx")
    result = run("import", tmp_path / "huge.docx", "--out", issue)
    assert result.exit_code == 0, result.output
    assert result.stderr.strip() == (
        "warning: huge.docx: “正文。”: a picture of 8000 × 8000 pixels is not imported: "
        "too large to print"
    )
    assert not (issue / "images").exists()
