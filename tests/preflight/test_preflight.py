"""`bulletin preflight`: the sample and the hard cases pass; stock WeasyPrint output does not."""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from bulletin.cli import app
from bulletin.operations.build import build
from bulletin.preflight.preflight import preflight
from tests.conftest import REPO, SAMPLE_ISSUE

HARD_CASES = REPO / "tests" / "fixtures" / "hard-cases"
runner = CliRunner()


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory, sample_office):
    folder = tmp_path_factory.mktemp("preflight")
    made = {"sample": sample_office.output}
    for name, issue in (("sample", SAMPLE_ISSUE), ("hard", HARD_CASES)):
        if name != "sample":
            made[name] = build(issue, folder / f"{name}.pdf", strict=True).output
        made[f"{name}-stock"] = build(issue, folder / f"{name}-stock.pdf", stock_engine=True).output
    return made


@pytest.mark.parametrize("name", ["sample", "hard"])
def test_issues_pass_preflight(pdfs, name):
    report = preflight(pdfs[name])
    assert [str(v) for v in report.violations] == []


@pytest.mark.parametrize("name", ["sample-stock", "hard-stock"])
def test_stock_engine_output_fails_preflight(pdfs, name):
    counts = preflight(pdfs[name]).counts()
    assert counts["line not flush"] > 5
    assert counts["no Han-Western gap"] > 5
    assert counts["uncompressed punctuation"] > 5


def test_cli_reports_per_page_and_total(pdfs):
    result = runner.invoke(app, ["preflight", str(pdfs["sample-stock"])])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    # Pages in order; the cover's typed spaces (a space is 0.22 em) fall short of the quarter
    # em the layout sets between Han and Western characters.
    assert lines[0].startswith("page 1: no Han-Western gap ")
    assert lines[1].startswith("page 2: ")
    assert lines[-1].startswith(f"{pdfs['sample-stock']}: 8 pages, ")
    assert "line not flush" in lines[-1]
    clean = runner.invoke(app, ["preflight", "--verbose", str(pdfs["sample"])])
    assert clean.exit_code == 0
    assert clean.stdout.splitlines() == [
        "empty grid lines at the foot of each body page: 2: 0, 3: 0, 4: 0, 5: 0, 6: 0, 7: 1",
        f"{pdfs['sample']}: 8 pages, 0 violations",
    ]


def test_cli_verbose_lists_each_violation_with_its_page(pdfs):
    result = runner.invoke(app, ["preflight", "-v", str(pdfs["hard-stock"])])
    assert result.exit_code == 1
    assert any(": page 2: line not flush: " in line for line in result.stdout.splitlines())


def test_not_a_pdf(tmp_path):
    bogus = tmp_path / "x.pdf"
    bogus.write_text("not a pdf")
    result = runner.invoke(app, ["preflight", str(bogus)])
    assert result.exit_code == 1
    assert result.stderr == f"{bogus}: pdf: not a PDF file\n"


def test_missing_file_is_a_usage_error(tmp_path):
    result = runner.invoke(app, ["preflight", str(tmp_path / "none.pdf")])
    assert result.exit_code == 2


def test_press_preflight_flags_rgb_and_low_resolution_images(tmp_path):
    import base64
    import io

    from PIL import Image

    from bulletin.engine.typeset import pdf_bytes, typeset

    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), (200, 30, 30)).save(buffer, "PNG")
    png = base64.b64encode(buffer.getvalue()).decode()
    html = (
        "<html><style>@page { size: A4; bleed: 3mm }</style><body>"
        f'<img src="data:image/png;base64,{png}" style="width: 50mm"></body></html>'
    )
    target = tmp_path / "image.pdf"
    target.write_bytes(pdf_bytes(typeset(html, tmp_path, [tmp_path])))
    counts = preflight(target, press=True).counts()
    assert counts["RGB image"] == 1
    assert counts["image below 150 ppi"] == 1  # 20 pixels across 50 mm: 10 ppi
    assert counts["no bleed"] == 0


# ---------------------------------------------------------------- press

PROFILE = REPO / "bulletin" / "outputs" / "profiles" / "FOGRA39-bulletin.icc"


@pytest.fixture(scope="module")
def press_pdf(tmp_path_factory):
    """The sample's press PDF, built once, for a shop that names its own condition."""
    target = tmp_path_factory.mktemp("press") / "press.pdf"
    command = ["build", str(SAMPLE_ISSUE), "--press", "-o", str(target)]
    result = runner.invoke(app, [*command, "--profile", str(PROFILE), "--condition", "JC200103"])
    assert result.exit_code == 0, result.output
    return target


def test_press_condition_names_the_output_intent(press_pdf):
    from pypdf import PdfReader

    intent = PdfReader(press_pdf).trailer["/Root"]["/OutputIntents"][0].get_object()
    assert intent["/OutputConditionIdentifier"] == "JC200103"
    assert intent["/OutputCondition"] == "FOGRA39 (bulletin)"  # the profile's description
    assert intent["/RegistryName"] == "http://www.color.org"


def test_press_condition_needs_a_profile():
    result = runner.invoke(app, ["build", str(SAMPLE_ISSUE), "--press", "--condition", "JC200103"])
    assert result.exit_code == 2
    assert "--condition" in result.output


def test_press_pdf_passes_press_preflight(press_pdf):
    result = runner.invoke(app, ["preflight", "--press", "-v", str(press_pdf)])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == f"{press_pdf}: 8 pages, 0 violations"


def _recolour(old: bytes, new: bytes):
    def edit(writer):
        page = writer.pages[0]
        data = page.get_contents().get_data()
        assert old in data
        page.replace_contents(_stream(data.replace(old, new)))

    return edit


def _stream(data: bytes):
    from pypdf.generic import DecodedStreamObject

    stream = DecodedStreamObject()
    stream.set_data(data)
    return stream


def _annotate(writer):
    from pypdf.annotations import Link

    writer.add_annotation(0, Link(rect=(100, 100, 200, 120), url="https://example.org/"))


def _drop_registry(writer):
    intent = writer.root_object["/OutputIntents"][0].get_object()
    del intent["/RegistryName"]


def _old_header(writer):
    writer.pdf_header = b"%PDF-1.3"


def _retitle(writer):
    from pypdf.generic import NameObject, TextStringObject

    writer._info.get_object()[NameObject("/Title")] = TextStringObject("另一个标题")


def _redate(writer):
    from pypdf.generic import NameObject, TextStringObject

    writer._info.get_object()[NameObject("/ModDate")] = TextStringObject("D:20240426000000+00'00'")


BAD_PRESS_FILES = {
    "annotation": (_annotate, "annotation"),
    "400 % mark": (_recolour(b"/Registration CS\n1 SCN", b"1 1 1 1 K"), "400 % CMYK"),
    "over 300 %": (_recolour(b"0 1 1 0 scn", b"0.9 0.9 0.9 0.9 scn"), "ink over 300 %"),
    "tinted text": (_recolour(b"0 0 0 1 scn", b"0 0 0 0.92 scn"), "tinted text"),
    "multi-ink": (_recolour(b"0 0 0 1 scn", b"0 0.95 0.85 0.15 scn"), "multi-ink small text"),
    "no RegistryName": (_drop_registry, "output intent"),
    "PDF 1.3": (_old_header, "PDF version below 1.6"),
    "other title": (_retitle, "metadata mismatch"),
    "other date": (_redate, "metadata mismatch"),
}


@pytest.mark.parametrize("name", BAD_PRESS_FILES)
def test_press_preflight_fails_each_fault(press_pdf, tmp_path, name):
    from pypdf import PdfReader, PdfWriter

    edit, rule = BAD_PRESS_FILES[name]
    writer = PdfWriter(clone_from=PdfReader(press_pdf), keep_initial_header=True)
    del writer.pages[1:]  # the cover shows every fault, and one page is checked quickly
    edit(writer)
    bad = tmp_path / "bad.pdf"
    writer.write(bad)
    result = runner.invoke(app, ["preflight", "--press", "-v", str(bad)])
    assert result.exit_code == 1, result.output
    *listed, summary = result.stdout.splitlines()
    assert all(f": {rule}: " in line for line in listed if line.startswith(f"{bad}: "))
    assert re.fullmatch(rf".* 1 page, \d+ violations?: {re.escape(rule)} \d+", summary), summary


def _compress_xmp(writer):
    from pypdf.generic import NameObject

    packet = writer.root_object["/Metadata"].get_object().flate_encode()
    writer.root_object[NameObject("/Metadata")] = writer._add_object(packet)


def _drop_identifier(writer):
    writer._ID = None  # pypdf keeps the cloned file's /ID here


def _interpolated_image(writer):
    from pypdf.generic import BooleanObject, DictionaryObject, NameObject, NumberObject

    image = _stream(b"\x80")
    for key, value in (
        ("/Type", "/XObject"),
        ("/Subtype", "/Image"),
        ("/ColorSpace", "/DeviceGray"),
    ):
        image[NameObject(key)] = NameObject(value)
    for key in ("/Width", "/Height"):
        image[NameObject(key)] = NumberObject(1)
    image[NameObject("/BitsPerComponent")] = NumberObject(8)
    image[NameObject("/Interpolate")] = BooleanObject(True)
    resources = writer.pages[0]["/Resources"].get_object()
    xobjects = resources.setdefault(NameObject("/XObject"), DictionaryObject()).get_object()
    xobjects[NameObject("/Im9")] = writer._add_object(image)


# What an archive's ingest reads, in any PDF (file_checks.py).
BAD_FILES = {
    "compressed XMP": _compress_xmp,
    "no file identifier": _drop_identifier,
    "image interpolation": _interpolated_image,
}


@pytest.mark.parametrize("rule", BAD_FILES)
def test_preflight_fails_a_file_an_archive_would_misread(pdfs, tmp_path, rule):
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(pdfs["sample"]), keep_initial_header=True)
    del writer.pages[1:]
    BAD_FILES[rule](writer)
    bad = tmp_path / "bad.pdf"
    writer.write(bad)
    assert {v.rule for v in preflight(bad).violations} == {rule}


def test_press_preflight_measures_the_ink_of_cmyk_images(tmp_path):
    import base64
    import io

    from PIL import Image

    from bulletin.engine.typeset import pdf_bytes, typeset

    images = ""
    for inks in ((250, 250, 250, 250), (200, 100, 0, 0)):  # 392 % and 118 %
        buffer = io.BytesIO()
        Image.new("CMYK", (30, 30), inks).save(buffer, "JPEG", quality=100)
        data = base64.b64encode(buffer.getvalue()).decode()
        images += f'<img src="data:image/jpeg;base64,{data}" style="width: 2mm">'
    html = f"<html><style>@page {{ size: A4; bleed: 3mm }}</style><body>{images}</body></html>"
    target = tmp_path / "cmyk.pdf"
    target.write_bytes(pdf_bytes(typeset(html, tmp_path, [tmp_path])))
    found = [v for v in preflight(target, press=True).violations if v.rule == "ink over 300 %"]
    assert [v.context for v in found] == ["392 % in a 30×30 image"]


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda tmp: tmp / "folder.pdf", "a folder, not a PDF file"),
        (lambda tmp: (tmp / "p.yaml").write_text("name: x") and tmp / "p.yaml", "not a PDF file"),
        (lambda tmp: (tmp / "cut.pdf").write_bytes(b"%PDF-1.7\n1 0 obj") and tmp / "cut.pdf",
         "a damaged PDF file: it cannot be read"),
    ],
)  # fmt: skip
def test_preflight_names_what_it_was_given_instead_of_a_pdf(tmp_path, make, message):
    (tmp_path / "folder.pdf").mkdir()
    path = make(tmp_path)
    result = runner.invoke(app, ["preflight", str(path)])
    assert result.exit_code == 1
    assert result.stderr == f"{path}: pdf: {message}\n"


def test_preflight_of_a_booklet_points_to_its_source(tmp_path):
    booklet = build(SAMPLE_ISSUE, tmp_path / "b.pdf", kind="booklet").output
    result = runner.invoke(app, ["preflight", str(booklet)])
    assert result.exit_code == 1
    assert "an imposed booklet (two pages a side)" in result.stderr


MIXED_HAN = (
    "上海市委金融办发布通知支持浦东新区等八个区域打造股权投资集聚区加强综合服务科技创新产业升级"
)
MIXED_WESTERN = [
    "CVC",
    "5G",
    "eVTOL",
    "AI",
    "GDP",
    "2024",
    "3.5",
    "85%",
    "ESG",
    "S基金",
    "Web3",
    "A股",
]


def mixed_paragraph(rng) -> str:
    """Han with Latin words and numbers every few characters: lines with many Han-Western
    gaps, which the line layout must not squeeze to make an overfull line fit."""
    parts = []
    for _ in range(rng.randint(20, 50)):
        if parts and rng.random() < 0.3:
            parts.append(rng.choice(MIXED_WESTERN))
        else:
            parts.append("".join(rng.choice(MIXED_HAN) for _ in range(rng.randint(1, 4))))
            if rng.random() < 0.1:
                parts.append("，")
    return "".join(parts) + "。"


@pytest.mark.parametrize("seed", [1, 2])
def test_a_clean_build_of_mixed_text_passes_preflight(issue_factory, tmp_path, seed):
    """The Han-Western gap the layout sets is the one preflight checks (hanzi.py)."""
    import random

    rng = random.Random(seed)
    for number in range(2, 6):
        body = "\n\n".join(mixed_paragraph(rng) for _ in range(rng.randint(2, 5)))
        issue_factory.article(
            f"{number:02d}", title=f"混排第{number}篇 CVC 与 5G", body=body + "\n"
        )
    result = build(issue_factory.dir, tmp_path / "mixed.pdf", strict=True)
    assert [str(v) for v in preflight(result.output).violations] == []
