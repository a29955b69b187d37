"""Hostile and damaged Word drafts: every budget gives one clear line, never internal error."""

from __future__ import annotations

import zipfile

import pytest
from docx import Document
from typer.testing import CliRunner

from bulletin.cli import app
from bulletin.importers import docx_package
from tests.docx_factory import rezip, with_members

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
        "bomb.docx: file: word/document.xml unpacks to 51 MB; a part of a Word draft may be at "
        "most 50 MB"
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


DTD = b'<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY e "lost">]><x>&e;</x>'


@pytest.mark.parametrize(
    ("member", "data"),
    [
        ("word/custom.dat", DTD),  # a part under a name that is not .xml
        ("customXml/item9.bin", "\ufeff".encode("utf-16-le") + DTD.decode().encode("utf-16-le")),
        ("word/notes", b"\xef\xbb\xbf \r\n" + DTD.split(b"\n", 1)[1]),  # a BOM and white space
        ("[Content_Types].XML", DTD),
    ],
)
def test_a_dtd_is_refused_in_any_part_whatever_its_name(setup, tmp_path, member, data):
    issue, good = setup
    hostile = with_members(good, tmp_path / "odd.docx", {member: data})
    assert refused(issue, hostile) == (
        f"odd.docx: file: {member} declares a document type (<!DOCTYPE>); Word never writes one, "
        "and its entities could expand without limit"
    )


def test_a_main_document_under_another_name_is_checked_like_document_xml(setup, tmp_path):
    issue, good = setup
    renamed = {
        "word/document.xml": "word/custom.dat",
        "word/_rels/document.xml.rels": "word/_rels/custom.dat.rels",
    }
    moved = with_members(good, tmp_path / "moved.docx", {}, rename=renamed)
    assert Document(moved).paragraphs[1].text == "标题"  # python-docx follows the new name
    with zipfile.ZipFile(moved) as package:
        document = package.read("word/custom.dat")
    body = document.split(b"?>", 1)[1]
    dtd = b'<!DOCTYPE w:document [<!ENTITY e "x">]>' + body
    hostile = with_members(moved, tmp_path / "dtd.docx", {"word/custom.dat": dtd})
    assert refused(issue, hostile).startswith(
        "dtd.docx: file: word/custom.dat declares a document type (<!DOCTYPE>)"
    )


def test_a_part_under_an_odd_name_is_refused_by_its_declared_size_before_unpacking(
    setup, tmp_path, monkeypatch
):
    issue, good = setup

    def never(*args):
        raise AssertionError("a part was unpacked")

    monkeypatch.setattr(docx_package, "check_part", never)
    huge = with_members(good, tmp_path / "huge.docx", {"word/media/blob.bin": b"\0" * (51 << 20)})
    assert huge.stat().st_size < 200_000
    assert refused(issue, huge) == (
        "huge.docx: file: word/media/blob.bin unpacks to 51 MB; a part of a Word draft may be at "
        "most 50 MB"
    )
    dense = with_members(good, tmp_path / "dense.docx", {"word/odd.name": b" " * (4 << 20)})
    line = refused(issue, dense)
    assert line.startswith("dense.docx: file: word/odd.name unpacks ") and line.endswith(
        " times larger than it is packed; a part of a Word draft may unpack at most 200 times "
        "larger"
    )


def test_a_part_larger_than_its_entry_declares_is_refused(setup, tmp_path):
    issue, good = setup
    lying = tmp_path / "lying.docx"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(lying, "w", zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            out.writestr(item.filename, source.read(item.filename))
        out.writestr("word/media/image9.bin", b"<x>" + b" " * 100_000 + b"</x>")
        out.filelist[-1].file_size = 1000  # the central directory says less than the data holds
    assert refused(issue, lying) == (
        "lying.docx: file: word/media/image9.bin cannot be unpacked (BadZipFile); save the draft "
        "again from Word"
    )


def test_parts_count_and_packing_methods(setup, tmp_path, monkeypatch):
    issue, good = setup
    monkeypatch.setattr(docx_package, "MAX_PARTS", 5)
    with zipfile.ZipFile(good) as package:
        count = len(package.infolist())
    assert refused(issue, good) == (
        f"good.docx: file: {count} parts in the package; a Word draft may have at most 5"
    )
    monkeypatch.setattr(docx_package, "MAX_PARTS", 5_000)
    bzip = tmp_path / "bzip.docx"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(bzip, "w", zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            out.writestr(item.filename, source.read(item.filename))
        out.writestr("word/media/x.bin", b"x" * 100, compress_type=zipfile.ZIP_BZIP2)
    assert refused(issue, bzip) == (
        "bzip.docx: file: word/media/x.bin is packed with zip method 12, which Word never uses; "
        "save the draft again from Word"
    )
