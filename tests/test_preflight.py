"""`bulletin preflight`: the sample and the hard cases pass; stock WeasyPrint output does not."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from bulletin.build import build
from bulletin.cli import app
from bulletin.tools.preflight import preflight
from tests.conftest import REPO, SAMPLE_ISSUE

HARD_CASES = REPO / "tests" / "fixtures" / "hard-cases"
runner = CliRunner()


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("preflight")
    made = {}
    for name, issue in (("sample", SAMPLE_ISSUE), ("hard", HARD_CASES)):
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
    assert lines[0].startswith("page 2: ")
    assert lines[-1].startswith(f"{pdfs['sample-stock']}: 8 pages, ")
    assert "line not flush" in lines[-1]
    clean = runner.invoke(app, ["preflight", "--verbose", str(pdfs["sample"])])
    assert clean.exit_code == 0
    assert clean.stdout.strip() == f"{pdfs['sample']}: 8 pages, 0 violations"


def test_cli_verbose_lists_each_violation_with_its_page(pdfs):
    result = runner.invoke(app, ["preflight", "-v", str(pdfs["hard-stock"])])
    assert result.exit_code == 1
    assert any(": page 2: line not flush: " in line for line in result.stdout.splitlines())


def test_not_a_pdf(tmp_path):
    bogus = tmp_path / "x.pdf"
    bogus.write_text("not a pdf")
    result = runner.invoke(app, ["preflight", str(bogus)])
    assert result.exit_code == 1
    assert result.stderr.strip().startswith(f"{bogus}: pdf: cannot read")


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
    assert counts["image below 300 dpi"] == 1
    assert counts["no bleed"] == 0
