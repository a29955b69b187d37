"""Press, booklet and archive outputs read back: boxes, order, intents, attachments, catalogue."""

from __future__ import annotations

import re
import subprocess
import sys

import pdfplumber
import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

from bulletin.operations.build import build
from bulletin.outputs.booklet import padded_order, sheet_sides
from bulletin.preflight.preflight import preflight
from tests.conftest import REPO, SAMPLE_ISSUE

MM = 72 / 25.4
A4 = (595.28, 841.89)
runner = CliRunner()


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    folder = tmp_path_factory.mktemp("outputs")
    return {
        kind: build(SAMPLE_ISSUE, folder / f"{kind}.pdf", kind=kind, strict=True).output
        for kind in ("press", "booklet")
    }


def boxes(page):
    return {
        name: [round(float(v), 2) for v in page[name]]
        for name in ("/MediaBox", "/TrimBox", "/BleedBox")
    }


# ---------------------------------------------------------------- press


def test_press_pages_are_a4_trim_with_3mm_bleed_and_room_for_marks(made):
    for page in PdfReader(made["press"]).pages:
        box = boxes(page)
        left, bottom, right, top = box["/TrimBox"]
        assert (round(right - left, 2), round(top - bottom, 2)) == A4
        assert box["/BleedBox"] == pytest.approx(
            [left - 3 * MM, bottom - 3 * MM, right + 3 * MM, top + 3 * MM], abs=0.01
        )
        media = box["/MediaBox"]
        assert media[0] <= left - 10 * MM and media[2] >= right + 10 * MM


def test_press_crop_marks_lie_outside_the_bleed(made):
    page = PdfReader(made["press"]).pages[0]
    left, bottom, right, top = (float(v) for v in page.trimbox)
    data = page.get_contents().get_data().decode("latin-1")
    segments = re.findall(r"([\d.-]+)\s+([\d.-]+)\s+m\s+([\d.-]+)\s+([\d.-]+)\s+l\s+S", data)
    marks = [tuple(map(float, s)) for s in segments]
    assert len(marks) >= 8
    bleed = 3 * MM
    for x0, y0, x1, y1 in marks[-8:]:
        for x, y in ((x0, y0), (x1, y1)):
            outside = x < left - bleed or x > right + bleed or y < bottom - bleed or y > top + bleed
            assert outside, (x, y)
    # Registration colour, on every plate: the marks are stroked in a Separation /All.
    (name,) = re.findall(r"(/\w+)\s+CS\s+1\s+SCN", data)
    space = page["/Resources"]["/ColorSpace"][name]
    assert [space[0], space[1], space[2]] == ["/Separation", "/All", "/DeviceCMYK"]
    assert "1 1 1 1 K" not in data
    clip = re.findall(r"([\d.-]+)\s+([\d.-]+)\s+([\d.-]+)\s+([\d.-]+)\s+re\s+W", data)[-1]
    media = [float(v) for v in page.mediabox]
    assert float(clip[0]) <= media[0] + 0.01 and float(clip[1]) <= media[1] + 0.01


def test_press_is_pdf_x4_with_a_cmyk_output_intent(made):
    reader = PdfReader(made["press"])
    root = reader.trailer["/Root"]
    intent = root["/OutputIntents"][0].get_object()
    assert intent["/S"] == "/GTS_PDFX"
    profile = intent["/DestOutputProfile"].get_object()
    assert profile["/N"] == 4
    assert profile.get_data()[36:40] == b"acsp"  # an ICC profile
    assert profile.get_data()[16:20] == b"CMYK"
    xmp = root["/Metadata"].get_object().get_data().decode()
    assert "<pdfxid:GTS_PDFXVersion>PDF/X-4</pdfxid:GTS_PDFXVersion>" in xmp
    assert reader.metadata["/Trapped"] == "/False"


def test_press_output_intent_names_a_registered_condition(made):
    intent = PdfReader(made["press"]).trailer["/Root"]["/OutputIntents"][0].get_object()
    assert intent["/OutputConditionIdentifier"] == "FOGRA39"
    assert intent["/RegistryName"] == "http://www.color.org"
    assert "ISO 12647-2" in intent["/OutputCondition"]
    embedded = intent["/DestOutputProfile"].get_object().get_data()
    assert b"FOGRA39" in embedded[:4096] or b"F\x00O\x00G\x00R\x00A\x003\x009" in embedded


def test_press_has_no_annotations_but_keeps_its_outline(made, sample_office):
    reader = PdfReader(made["press"])
    assert [i for i, page in enumerate(reader.pages) if "/Annots" in page] == []
    assert len(reader.outline) >= 6
    office = PdfReader(sample_office.output)
    assert "/Annots" in office.pages[0], "the office PDF keeps its contents links"


def test_press_header_declares_the_version_its_features_need(made):
    assert made["press"].read_bytes()[:8] == b"%PDF-1.6"


def test_press_text_is_solid_black_or_large_colour(made):
    with pdfplumber.open(made["press"]) as pdf:
        for page in pdf.pages:
            for char in page.chars:
                colour = tuple(round(c, 3) for c in char["non_stroking_color"] or ())
                if char["size"] < 12:
                    assert colour == (0, 0, 0, 1), (char["text"], char["size"], colour)
                else:
                    assert len(colour) == 4, colour


def test_press_passes_press_preflight_and_office_does_not(made, sample_office):
    assert [str(v) for v in preflight(made["press"], press=True).violations] == []
    office = sample_office.output
    counts = preflight(office, press=True).counts()
    assert counts["RGB colour"] > 0 and counts["no bleed"] == 8


def test_press_black_overprints_and_colour_knocks_out(made):
    from pypdf.generic import ContentStream

    reader = PdfReader(made["press"])
    drawn = {"black": 0, "colour": 0}
    keys = ("/op", "/OP", "/OPM")
    for page in reader.pages:
        states = page["/Resources"]["/ExtGState"]
        # fill colour (space, values), and the ExtGState keys in force
        fill, overprint, stack = ("/DeviceGray", ()), {}, []
        for operands, op in ContentStream(page.get_contents(), reader).operations:
            if op == b"q":
                stack.append((fill, overprint))
            elif op == b"Q":
                fill, overprint = stack.pop()
            elif op == b"cs":
                fill = (operands[0], ())
            elif op in (b"scn", b"sc", b"k"):
                space = "/DeviceCMYK" if op == b"k" else fill[0]
                fill = (space, tuple(float(v) for v in operands))
            elif op == b"gs":
                state = states[operands[0]]
                overprint = {**overprint, **{k: state[k] for k in keys if k in state}}
            elif op in (b"Tj", b"TJ"):
                if fill == ("/DeviceCMYK", (0, 0, 0, 1)):
                    drawn["black"] += 1
                    assert overprint == {"/op": True, "/OP": True, "/OPM": 1}, overprint
                else:
                    drawn["colour"] += 1
                    assert overprint.get("/op") in (None, False), (fill, overprint)
    assert drawn["black"] > 100 and drawn["colour"] > 5, drawn


def test_press_band_runs_into_the_bleed(made):
    with pdfplumber.open(made["press"]) as pdf:
        page = pdf.pages[0]
        trim_top = float(PdfReader(made["press"]).pages[0].trimbox[3])
        media_top = page.bbox[3]
        # pdfplumber measures from the top of the MediaBox
        band = [r for r in page.rects if r["width"] > 590]
        assert band, "no full-width band on the cover"
        top_of_band = media_top - band[0]["top"] + page.bbox[1]
        assert top_of_band >= trim_top + 3 * MM - 0.5


# ---------------------------------------------------------------- booklet


@pytest.mark.parametrize(
    ("count", "order"),
    [
        (8, [(8, 1), (2, 7), (6, 3), (4, 5)]),
        (7, [(7, 1), (2, None), (6, 3), (4, 5)]),
        (10, [(10, 1), (2, None), (None, 3), (4, 9), (8, 5), (6, 7)]),
        (2, [(2, 1), (None, None)]),
    ],
)
def test_booklet_order_pads_blanks_before_the_back_cover(count, order):
    sides = sheet_sides(padded_order(count))
    as_numbers = [tuple(None if p is None else p + 1 for p in side) for side in sides]
    assert as_numbers == order


def _page_number_of(text: str) -> int | None:
    match = re.search(r"—\s*(\d+)\s*—", text)
    return int(match.group(1)) if match else None


def test_booklet_is_a3_sheets_in_saddle_stitch_order(made):
    reader = PdfReader(made["booklet"])
    assert len(reader.pages) == 4
    for page in reader.pages:
        assert (round(float(page.mediabox.width), 1), round(float(page.mediabox.height), 1)) == (
            1190.6,
            841.9,
        )
    halves = []
    with pdfplumber.open(made["booklet"]) as pdf:
        for page in pdf.pages:
            middle = page.width / 2
            for x0, x1 in ((0, middle), (middle, page.width)):
                text = page.crop((x0, 0, x1, page.height)).extract_text() or ""
                if "研究院微信" in text:
                    halves.append(1)
                elif "扫描二维码" in text:
                    halves.append(8)
                else:
                    halves.append(_page_number_of(text))
    assert halves == [8, 1, 2, 7, 6, 3, 4, 5]


def test_booklet_has_no_links_and_keeps_the_office_metadata(made):
    reader = PdfReader(made["booklet"])
    assert not any("/Annots" in page for page in reader.pages)
    assert b"/Annot" not in made["booklet"].read_bytes()  # no link left behind unused
    root = reader.trailer["/Root"]
    title = "双周决策观察 2024 年第 8 期（总第 282 期）"
    assert reader.metadata["/Title"] == title
    assert root["/Lang"] == "zh-CN"
    assert root["/ViewerPreferences"]["/DisplayDocTitle"].value is True
    assert root["/Metadata"]["/Subtype"] == "/XML"
    assert reader.xmp_metadata.dc_title == {"x-default": title}
    assert reader.pdf_header == "%PDF-1.7"


# ---------------------------------------------------------------- reproducible

# Every kind built again in one new process, to compare with this process's builds: the
# same content gives the same bytes, whatever process, order or warm caches made them.
REBUILD_ALL = """
import sys
from pathlib import Path
from bulletin.operations.build import build
issue, folder = Path(sys.argv[1]), Path(sys.argv[2])
for kind in ("office", "press", "booklet"):
    build(issue, folder / f"{kind}.pdf", kind=kind)
build(issue, folder / "archive", kind="archive")
"""


@pytest.mark.slow
def test_every_kind_rebuilt_in_another_process_is_byte_identical(made, sample_office, tmp_path):
    here = {**made, "office": sample_office.output}
    archived = build(SAMPLE_ISSUE, tmp_path / "here-archive", kind="archive").output
    there = tmp_path / "there"
    subprocess.run(
        [sys.executable, "-c", REBUILD_ALL, str(SAMPLE_ISSUE), str(there)],
        check=True,
        capture_output=True,
        cwd=REPO,
    )
    for kind in ("office", "press", "booklet"):
        assert (there / f"{kind}.pdf").read_bytes() == here[kind].read_bytes(), kind
    assert (there / "archive" / archived.name).read_bytes() == archived.read_bytes()
