"""Pictures from Word drafts: separated into the press's CMYK, and their ppi said in time."""

from __future__ import annotations

import io
import re

import pytest
from docx import Document
from docx.shared import Mm
from PIL import Image, ImageDraw, ImageMath
from typer.testing import CliRunner

from bulletin.cli import app
from bulletin.preflight.preflight import preflight

runner = CliRunner()
INK_LIMIT = 765  # 300 % of the four 8-bit inks


def run(*args):
    return runner.invoke(app, [str(a) for a in args], prog_name="bulletin")


def picture(width: int, height: int, mode: str = "RGB") -> io.BytesIO:
    """Black (314 % ink through the bundled profile), saturated colours and a light tint."""
    image = Image.new(mode, (width, height), (250, 248, 240, 255)[: len(mode)])
    draw = ImageDraw.Draw(image)
    colours = ((0, 0, 0), (20, 40, 160), (200, 30, 30), (30, 130, 60))
    step = width // len(colours)
    for index, colour in enumerate(colours):
        fill = (*colour, 128 if mode == "RGBA" and index == 3 else 255)[: len(mode)]
        draw.rectangle([index * step, height // 4, (index + 1) * step - 1, height - 1], fill=fill)
    data = io.BytesIO()
    image.save(data, "PNG")
    data.seek(0)
    return data


def draft(path, *pictures: tuple[int, int, str]):
    """One article holding the pictures, each on its own line, as an editor pastes them."""
    document = Document()
    document.add_paragraph("【上海】")
    document.add_heading("上海发布金融数据图表", level=1)
    document.add_paragraph("近日，上海市委金融办发布数据。")
    for number, (width, height, mode) in enumerate(pictures, 1):
        run_ = document.add_paragraph().add_run()
        run_.add_picture(picture(width, height, mode), width=Mm(150))
        run_._r.xpath(".//wp:docPr")[0].set("descr", f"图 {number}")
    document.add_paragraph("下一步，上海将继续推进。（来源：上海证券报 2024年4月16日）")
    document.save(path)
    return path


def images_of(pdf_path):
    """Every image XObject the pages draw, directly or through forms, once each."""
    from pypdf import PdfReader

    found, seen, todo = [], set(), [page.get("/Resources") for page in PdfReader(pdf_path).pages]
    while todo:
        resources = todo.pop()
        resources = resources.get_object() if resources is not None else {}
        xobjects = resources.get("/XObject")
        xobjects = xobjects.get_object() if xobjects is not None else {}
        for name in xobjects:
            if (key := xobjects.raw_get(name).idnum) in seen:
                continue
            seen.add(key)
            xobject = xobjects[name].get_object()
            if xobject.get("/Subtype") == "/Form":
                todo.append(xobject.get("/Resources"))
            elif xobject.get("/Subtype") == "/Image":
                found.append(xobject)
    return found


def is_cmyk(image) -> bool:
    space = image["/ColorSpace"]
    space = space.get_object() if hasattr(space, "get_object") else space
    if space == "/DeviceCMYK":
        return True
    return space[0] == "/ICCBased" and space[1].get_object()["/N"] == 4


@pytest.mark.slow
def test_press_pdf_of_word_pictures_is_cmyk_within_the_ink_limit(issue_factory, tmp_path):
    # 2000 px across a 167 mm column are 304 ppi; the second has transparency (a soft mask).
    source = draft(tmp_path / "desk.docx", (2000, 1000, "RGB"), (2000, 800, "RGBA"))
    imported = run("import", source, "--out", issue_factory.dir)
    assert imported.exit_code == 0, imported.output
    assert imported.stderr == ""  # sharp enough: nothing to say
    target = tmp_path / "press.pdf"
    built = run("build", issue_factory.dir, "--press", "-o", target)
    assert built.exit_code == 0, built.output

    pictures = [
        i for i in images_of(target) if (i["/Width"], i["/Height"]) in ((2000, 1000), (2000, 800))
    ]
    assert len(pictures) == 2
    for image in images_of(target):
        assert is_cmyk(image) or image["/ColorSpace"] == "/DeviceGray", image["/ColorSpace"]
        assert image.get("/Interpolate") not in (True,)
    for image in pictures:
        size = (image["/Width"], image["/Height"])  # 8-bit samples, once decompressed
        c, m, y, k = Image.frombytes("CMYK", size, image.get_data()).split()
        total = ImageMath.lambda_eval(
            lambda a: a["c"] + a["m"] + a["y"] + a["k"], c=c, m=m, y=y, k=k
        )
        assert 700 <= total.getextrema()[1] <= INK_LIMIT  # the black is rich, and limited
        assert k.getextrema()[1] >= 240  # black keeps its black ink
    assert "/SMask" in pictures[1]
    assert preflight(target, press=True).violations == []

    again = run("build", issue_factory.dir, "--press", "-o", tmp_path / "again.pdf")
    assert again.exit_code == 0, again.output
    assert (tmp_path / "again.pdf").read_bytes() == target.read_bytes()


WARNING = (
    "warning: 2024-08/articles/02.md:{line}: image: images/02-{n}.png: {size} pixels at {mm} mm "
    "print at {ppi} ppi; the press needs 300: replace it with a picture of at least {needed} pixels"
)
SOFT = WARNING.format(line=9, n=1, size="1200 × 600", mm="167 × 84", ppi=182, needed="1973 × 987")
BLURRED = WARNING.format(line=11, n=2, size="300 × 300", mm="79 × 79", ppi=96, needed="1418 × 1418")


@pytest.fixture
def low_resolution(issue_factory, tmp_path):
    """An issue with one picture under 300 ppi (182) and one under 150 (96)."""
    source = draft(tmp_path / "desk.docx", (1200, 600, "RGB"), (300, 300, "RGB"))
    imported = run("import", source, "--out", issue_factory.dir)
    assert imported.exit_code == 0, imported.output
    assert imported.stderr.splitlines() == [SOFT, BLURRED]
    return issue_factory.dir


def test_pictures_under_300_ppi_are_said_on_check_and_build(low_resolution, tmp_path):
    checked = run("check", low_resolution)
    assert checked.exit_code == 0, checked.output
    assert checked.stderr.splitlines() == [SOFT, BLURRED]
    built = run("build", low_resolution, "-o", tmp_path / "office.pdf")
    assert built.exit_code == 0, built.output
    assert built.stderr.splitlines() == [SOFT, BLURRED]


def test_strict_refuses_a_picture_under_150_ppi_only(low_resolution, tmp_path):
    refused = run("check", low_resolution, "--strict")
    assert refused.exit_code == 1
    assert refused.stderr.splitlines() == [BLURRED.removeprefix("warning: ")]
    built = run("build", low_resolution, "--strict", "-o", tmp_path / "office.pdf")
    assert (built.exit_code, built.stderr.splitlines()) == (1, [BLURRED.removeprefix("warning: ")])

    (low_resolution / "images" / "02-2.png").write_bytes(picture(1500, 1500).getvalue())
    softened = run("check", low_resolution, "--strict")
    assert softened.exit_code == 0, softened.output
    assert softened.stderr.splitlines() == [SOFT]


def test_a_press_pdf_with_an_ordinary_word_picture_passes_preflight(issue_factory, tmp_path):
    """A 183 ppi photo, as editors paste them: a warning line, no violation, exit 0."""
    source = draft(tmp_path / "desk.docx", (1200, 600, "RGB"))
    assert run("import", source, "--out", issue_factory.dir).exit_code == 0
    target = tmp_path / "press.pdf"
    assert run("build", issue_factory.dir, "--press", "-o", target).exit_code == 0
    report = preflight(target, press=True)
    assert report.violations == []
    # (The page's grid may have taken a little off its printed size.)
    [warning] = report.warnings
    assert warning.rule == "image below 300 ppi"
    assert re.fullmatch(r"1200×600 image at 1[89]\d ppi", warning.context), warning.context
    checked = run("preflight", "--press", target)
    assert checked.exit_code == 0, checked.output
    assert checked.stderr.splitlines() == [f"warning: {target}: {warning}"]
