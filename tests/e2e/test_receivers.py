"""Every PDF read as its receivers read it: Ghostscript, MuPDF and poppler draw the same pages,
and every code shown selects, through the font program's own rules, the glyph it means."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageFilter
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ContentStream

from bulletin.operations.publish import publish
from bulletin.preflight.font_checks import fonts_of, mismatched_codes, program_mapping
from bulletin.preflight.preflight import check_fonts, preflight
from tests.conftest import REPO, SAMPLE_ISSUE, IssueFactory
from tests.engine.test_composition import PARAGRAPH, with_pictures_and_a_table

pytestmark = pytest.mark.slow  # every output of two issues, drawn by three renderers

RENDERERS = ("gs", "mutool", "pdftoppm")
DPI = 50
# "Differ strongly": after a one-pixel blur (which absorbs anti-aliasing and the half-pixel
# grids of the three renderers), a quarter of the grey range apart. The fonts as they were
# (codes read as CIDs through a non-identity charset) differ on 1.4–2.2 % of each body
# page's pixels in Ghostscript, and MuPDF drew no Chinese at all; the fixed fonts, 0.0–0.1 %.
STRONG = 64
MAX_DIFFERING = 0.01
KINDS = ("office", "press", "booklet", "archive")
# 楷体 (a TrueType face), 黑体 and a spaced phrase in emphasis, beside the serif.
EMPHASIS = (
    PARAGRAPH.replace("股权投资集聚区", "*股权投资集聚区*").replace("科技创新", "**科技创新**")
    + "\n\n段落含*甲*乙与*丙*，以及*落实 2024 年任务*。\n"
)


def _published(folder: Path, issue: Path) -> dict[str, Path]:
    done = publish(issue, folder / "out", archive_dir=folder / "archive")
    assert done.ok, done.failures
    pdfs = {kind: result.output for kind, result in done.results.items() if kind != "web"}
    assert set(pdfs) == {"office", "press", "booklet", "archive"}
    return pdfs


@pytest.fixture(scope="module")
def outputs(tmp_path_factory) -> dict[str, Path]:
    """Every PDF of the sample and of an issue with pictures, a table, 楷体 and 黑体."""
    folder = tmp_path_factory.mktemp("receivers")
    made = {f"sample {k}": v for k, v in _published(folder / "sample", SAMPLE_ISSUE).items()}
    factory = IssueFactory(folder / "mixed")
    with_pictures_and_a_table(factory)  # articles 02 and 03
    factory.article("04", title="强调与加粗", body=EMPHASIS)
    mixed = _published(folder / "mixed", factory.dir)
    made.update({f"mixed {k}": v for k, v in mixed.items()})
    office = PdfReader(mixed["office"])
    faces = {f["/DescendantFonts"][0].get_object()["/Subtype"] for f in fonts_of(office)}
    assert faces == {"/CIDFontType0", "/CIDFontType2"}  # CFF and TrueType (楷体) faces
    assert sum(len(page.images) for page in office.pages) >= 2  # the wide and the tall picture
    return made


def _render(tool: str, pdf: Path, folder: Path) -> list[Image.Image]:
    """Each page in colour, then as grey: each renderer's own CMYK-to-grey conversion differs
    (MuPDF's Debian build has no colour management), their CMYK-to-RGB ones agree."""
    folder.mkdir(parents=True, exist_ok=True)
    if tool == "gs":
        command = ["gs", "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=png16m"]
        command += ["-dTextAlphaBits=4", "-dGraphicsAlphaBits=4", f"-r{DPI}"]
        command += [f"-sOutputFile={folder}/page-%03d.png", str(pdf)]
    elif tool == "mutool":
        command = ["mutool", "draw", "-q", "-r", str(DPI), "-c", "rgb"]
        command += ["-o", f"{folder}/page-%03d.png", str(pdf)]
    else:
        command = ["pdftoppm", "-r", str(DPI), "-png", str(pdf), f"{folder}/page"]
    subprocess.run(command, check=True, capture_output=True, timeout=120)
    return [Image.open(path).convert("L") for path in sorted(folder.glob("page-*.png"))]


def _strongly_differing(first: Image.Image, second: Image.Image) -> float:
    width, height = min(first.width, second.width), min(first.height, second.height)
    blurred = [
        image.crop((0, 0, width, height)).filter(ImageFilter.BoxBlur(1))
        for image in (first, second)
    ]
    difference = ImageChops.difference(*blurred).point(lambda v: 255 if v > STRONG else 0)
    return difference.histogram()[255] / (width * height)


@pytest.fixture(scope="module")
def renderers():
    missing = [tool for tool in RENDERERS if shutil.which(tool) is None]
    if missing:
        pytest.fail(f"make test installs the renderers; missing: {', '.join(missing)}")


@pytest.mark.parametrize(
    "name",
    [f"{issue} {kind}" for issue in ("sample", "mixed") for kind in KINDS],
)
def test_ghostscript_mupdf_and_poppler_draw_the_same_pages(outputs, renderers, name, tmp_path):
    pdf = outputs[name]
    pages = {tool: _render(tool, pdf, tmp_path / tool) for tool in RENDERERS}
    assert len(pages["gs"]) == len(pages["mutool"]) == len(pages["pdftoppm"]) > 0
    for number, reference in enumerate(pages["pdftoppm"], 1):
        for tool in ("gs", "mutool"):
            share = _strongly_differing(reference, pages[tool][number - 1])
            assert share <= MAX_DIFFERING, f"{name} page {number}: {tool} {share:.1%}"


def shown_codes(reader: PdfReader) -> dict[int, set[int]]:
    """Every two-byte code each Type0 font shows, from the content of pages and their forms."""
    shown: dict[int, set[int]] = {}

    def walk(content, resources, depth=0):
        resources = resources.get_object() if resources is not None else {}
        fonts = resources.get("/Font") or {}
        xobjects = resources.get("/XObject") or {}
        font = None
        for operands, operator in ContentStream(content, reader).operations:
            if operator == b"Tf":
                font = fonts.raw_get(operands[0])  # the reference, not the font
            elif operator in (b"Tj", b"'", b'"', b"TJ"):
                strings = operands[-1] if operator == b"TJ" else [operands[-1]]
                data = b"".join(s.original_bytes for s in strings if hasattr(s, "original_bytes"))
                if font is not None and font.get_object().get("/Subtype") == "/Type0":
                    codes = shown.setdefault(font.idnum, set())
                    codes.update(int.from_bytes(data[i : i + 2]) for i in range(0, len(data), 2))
            elif operator == b"Do" and depth < 4:
                xobject = xobjects[operands[0]].get_object()
                if xobject.get("/Subtype") == "/Form":
                    walk(xobject, xobject.get("/Resources"), depth + 1)

    for page in reader.pages:
        walk(page.get_contents(), page.get("/Resources"))
    return shown


def test_every_shown_code_selects_its_glyph_through_the_font_program(outputs):
    for name, pdf in outputs.items():
        reader = PdfReader(pdf)
        shown = shown_codes(reader)
        assert shown, f"{name}: no text shown"
        for font_id, codes in shown.items():
            font = reader.get_object(font_id)
            mapping = program_mapping(font["/DescendantFonts"][0].get_object())
            assert mapping is not None, f"{name}: {font['/BaseFont']} is not embedded"
            wrong = sorted(code for code in codes if mapping.glyph_of(code) != code)
            assert wrong == [], f"{name}: {font['/BaseFont']} codes {wrong[:5]}"


def test_the_shipped_fonts_number_their_glyphs_as_their_cids():
    from fontTools.ttLib import TTFont

    for path in sorted((REPO / "fonts").glob("*.otf")):
        top = TTFont(path, lazy=True)["CFF "].cff.topDictIndex[0]
        assert hasattr(top, "ROS"), path.name
        names = top.charset
        assert names[1:] == [f"cid{gid:05d}" for gid in range(1, len(names))], path.name


@pytest.fixture(scope="module")
def misnumbered(outputs, tmp_path_factory) -> Path:
    """The sample's office PDF with one font's glyphs given other CIDs (as the upstream font
    numbers them): codes, written as glyph indices, then name CIDs of other glyphs."""
    from fontTools.ttLib import TTFont

    target = tmp_path_factory.mktemp("misnumbered") / "broken.pdf"
    writer = PdfWriter(clone_from=outputs["sample office"])
    font = next(iter(writer.pages[0]["/Resources"]["/Font"].values())).get_object()
    descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
    stream = descriptor["/FontFile3"].get_object()
    program = TTFont(io.BytesIO(stream.get_data()))
    top = program["CFF "].cff.topDictIndex[0]
    renamed = [".notdef", *(f"cid{gid + 7:05d}" for gid in range(1, len(top.charset)))]
    top.CharStrings.charStrings = dict(
        zip(renamed, top.CharStrings.charStrings.values(), strict=True)
    )
    top.charset = renamed
    top.CIDCount = len(renamed) + 7
    program.setGlyphOrder(renamed)
    data = io.BytesIO()
    program.save(data)
    stream.set_data(data.getvalue())
    writer.write(target)
    return target


def test_preflight_fails_on_codes_that_name_other_cids(outputs, misnumbered):
    assert preflight(misnumbered).counts()["font glyph mismatch"] == 1
    for pdf in outputs.values():  # the booklet's pages are forms: preflight refuses it whole
        assert check_fonts(pdf) == [], pdf


def test_preflight_names_the_characters_that_would_print_wrong(misnumbered):
    font = next(iter(PdfReader(misnumbered).pages[0]["/Resources"]["/Font"].values()))
    wrong, total = mismatched_codes(font.get_object())
    assert total > 0 and len(wrong) == total
    assert "CID" in wrong[0]


def test_the_command_exits_1_on_a_misnumbered_font(misnumbered):
    from typer.testing import CliRunner

    from bulletin.cli import app

    result = CliRunner().invoke(app, ["preflight", str(misnumbered)])
    assert result.exit_code == 1
    assert "font glyph mismatch" in result.output
