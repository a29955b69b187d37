"""What an archive's ingest reads of every PDF: FIDO's format, the XMP, dates, IDs, images."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader
from pypdf.generic import ContentStream, StreamObject

from bulletin.operations.publish import publish
from tests.conftest import REPO, SAMPLE_ISSUE

KINDS = ("office", "booklet", "press", "archive")
PRINT_DATE = dt.datetime(2024, 4, 25, tzinfo=dt.UTC)  # the sample's print date, midnight UTC
PDF_DATE = re.compile(r"D:\d{14}[+-]\d\d'\d\d'")
XMP_DATE = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:Z|[+-]\d\d:\d\d)")
XMP_DATES = ("CreateDate", "ModifyDate", "MetadataDate")
# PRONOM's PDF signatures search the first 64 KiB (DROID) or 128 KiB (FIDO) of a file.
SIGNATURE_BYTES = 64 * 1024


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory) -> dict[str, Path]:
    """Every PDF of a copy of the sample issue whose last article shows a picture."""
    root = tmp_path_factory.mktemp("ingest")
    shutil.copy(REPO / "content" / "publication.yaml", root / "publication.yaml")
    issue = Path(shutil.copytree(SAMPLE_ISSUE, root / SAMPLE_ISSUE.name))
    (issue / "images").mkdir()
    picture = Image.new("RGBA", (600, 400), (200, 60, 40, 255))
    picture.paste((40, 90, 200, 128), (0, 0, 300, 400))  # half translucent: a soft mask too
    picture.save(issue / "images" / "chart.png")
    article = issue / "articles" / "11.md"
    article.write_text(article.read_text(encoding="utf-8") + "\n![图表](images/chart.png)\n")
    done = publish(issue, root / "out", archive_dir=root / "archive")
    assert done.ok, done.failures
    return {kind: done.results[kind].output for kind in KINDS}


@pytest.fixture(scope="module")
def fido(pdfs) -> dict[str, set[tuple[str, str]]]:
    """FIDO's (PUID, kind of match) for the press file and the archive copy, offline."""
    kinds = {str(pdfs[kind]): kind for kind in ("press", "archive")}
    command = [sys.executable, "-m", "fido.fido", "-q", "-nocontainer", "-matchprintf"]
    command += ["%(info.puid)s,%(info.matchtype)s,%(info.filename)s\\n", *kinds]
    done = subprocess.run(command, capture_output=True, text=True, check=True, timeout=120)
    found: dict[str, set[tuple[str, str]]] = {kind: set() for kind in kinds.values()}
    for puid, match, name in csv.reader(io.StringIO(done.stdout)):
        found[kinds[name]].add((puid, match))
    return found


def test_fido_identifies_the_archive_copy_as_pdf_a3a(fido):
    assert fido["archive"] == {("fmt/479", "signature")}


def test_fido_identifies_the_press_file_as_pdf_x4(fido):
    assert fido["press"] == {("fmt/488", "signature")}


def _objects(reader: PdfReader) -> list:
    found = []
    for number in range(1, int(reader.trailer["/Size"])):
        item = reader.get_object(number)
        if item is not None:
            found.append(item)
    return found


def _xmp(reader: PdfReader) -> str:
    return reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()


@pytest.mark.parametrize("kind", KINDS)
def test_xmp_is_uncompressed_and_heads_the_file(pdfs, kind):
    reader = PdfReader(pdfs[kind])
    packets = [o for o in _objects(reader) if hasattr(o, "get") and o.get("/Type") == "/Metadata"]
    assert packets and all("/Filter" not in packet for packet in packets)
    head = pdfs[kind].read_bytes()[:SIGNATURE_BYTES]
    assert b"<x:xmpmeta" in head and b"</rdf:RDF>" in head


def _content_streams(reader: PdfReader) -> list:
    """Every page's drawing and every form and tiling pattern it draws with."""
    found = [page.get_contents() for page in reader.pages]
    for item in _objects(reader):
        if isinstance(item, StreamObject) and (
            item.get("/Subtype") == "/Form" or item.get("/PatternType") == 1
        ):
            found.append(ContentStream(item, reader))
    return [stream for stream in found if stream is not None]


@pytest.mark.parametrize("kind", KINDS)
def test_no_image_asks_to_be_interpolated(pdfs, kind):
    reader = PdfReader(pdfs[kind])
    images = [o for o in _objects(reader) if hasattr(o, "get") and o.get("/Subtype") == "/Image"]
    assert len(images) >= 2  # the picture and its soft mask
    assert [image.get("/Interpolate") for image in images if image.get("/Interpolate")] == []
    for stream in _content_streams(reader):
        for operands, operator in stream.operations:
            if operator == b"INLINE IMAGE":
                settings = operands["settings"]
                assert not settings.get("/I", settings.get("/Interpolate", False))


def _pdf_moment(text: str) -> dt.datetime:
    assert PDF_DATE.fullmatch(text), text
    zone = f"{text[16:19]}:{text[20:22]}"
    return dt.datetime.fromisoformat(f"{text[2:10]}T{text[10:16]}{zone}")


@pytest.mark.parametrize("kind", KINDS)
def test_dates_have_a_time_and_zone_and_info_and_xmp_agree(pdfs, kind):
    reader = PdfReader(pdfs[kind])
    info = reader.metadata
    assert {_pdf_moment(info["/CreationDate"]), _pdf_moment(info["/ModDate"])} == {PRINT_DATE}
    xmp = _xmp(reader)
    written = re.findall(rf"<xmp:({'|'.join(XMP_DATES)})>([^<]*)</xmp:\1>", xmp)
    assert {name for name, _ in written} >= {"CreateDate", "ModifyDate"}
    for _name, value in written:
        assert XMP_DATE.fullmatch(value), value
        assert dt.datetime.fromisoformat(value) == PRINT_DATE


def _identifiers(reader: PdfReader) -> list[bytes]:
    return [bytes(getattr(part, "original_bytes", part)) for part in reader.trailer["/ID"]]


@pytest.mark.parametrize("kind", KINDS)
def test_the_trailer_identifies_the_file(pdfs, kind):
    reader = PdfReader(pdfs[kind])
    first, second = _identifiers(reader)
    assert len(first) >= 16 and len(second) >= 16
    if kind == "press":  # the XMP document ID, which the content decides
        document = re.search(r"<xmpMM:DocumentID>xmp\.did:([^<]*)<", _xmp(reader))
        assert first.decode() == document.group(1).replace("-", "")
    else:  # the same pages as the office PDF: the same document, another file
        office = _identifiers(PdfReader(pdfs["office"]))
        assert first == office[0] and (second == office[1]) == (kind == "office")


def test_af_lists_each_embedded_file_once(pdfs):
    root = PdfReader(pdfs["archive"]).trailer["/Root"]
    listed = [reference.idnum for reference in root.raw_get("/AF")]
    names = root["/Names"]["/EmbeddedFiles"]["/Names"]
    assert listed == [reference.idnum for reference in names[1::2]]


def test_press_xmp_names_pdf_x4_by_its_own_key_only(pdfs):
    xmp = _xmp(PdfReader(pdfs["press"]))
    assert "<pdfxid:GTS_PDFXVersion>PDF/X-4</pdfxid:GTS_PDFXVersion>" in xmp
    # The pdfx: keys (GTS_PDFXConformance, GTS_PDFXVersion) are PDF/X-1a's and PDF/X-3's.
    assert "GTS_PDFXConformance" not in xmp and "pdfx:" not in xmp
