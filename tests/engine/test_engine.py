"""The engine extension stays inside bulletin's own documents, and a changed WeasyPrint is
named in one line instead of failing somewhere inside."""

from __future__ import annotations

import subprocess
import sys
import threading

import pytest
import weasyprint
from typer.testing import CliRunner
from weasyprint.layout import inline
from weasyprint.text.line_break import Layout

from bulletin.cli import app
from bulletin.data import fonts_dir
from bulletin.engine import compat
from bulletin.engine.clreq import chinese_line_layout
from bulletin.operations.build import build
from tests.conftest import SAMPLE_ISSUE

# A justified Chinese paragraph and a justified right-to-left one, in the bundled fonts:
# both are set differently by bulletin's line layout than by stock WeasyPrint.
PLAIN = """
<style>
@font-face {{ font-family: serif-sc; src: url({font}) }}
p {{ font-family: serif-sc; font-size: 12pt; width: 11em; text-align: justify }}
</style>
<p>上海市委金融办发布通知，支持浦东新区等八个区域打造股权投资集聚区，2024年规模达到3.5万亿元。</p>
<p dir="rtl" lang="ar">هذه فقرة عربية طويلة بما يكفي لكي تلتف على عدة أسطر وتحتاج إلى ضبط.</p>
"""


def plain_pdf() -> bytes:
    font = (fonts_dir() / "NotoSerifSC-Regular.otf").as_uri()
    return weasyprint.HTML(string=PLAIN.format(font=font)).write_pdf()


def plain_in_bulletin_context() -> bytes:
    font = (fonts_dir() / "NotoSerifSC-Regular.otf").as_uri()
    with chinese_line_layout():
        return weasyprint.HTML(string=PLAIN.format(font=font)).write_pdf()


def test_plain_weasyprint_is_the_same_before_and_after_a_bulletin_build(tmp_path):
    before = plain_pdf()
    originals = (Layout.set_text, Layout.get_first_line, inline.text_align, inline.justify_line)
    build(SAMPLE_ISSUE, tmp_path / "sample.pdf")
    assert plain_pdf() == before
    after = (Layout.set_text, Layout.get_first_line, inline.text_align, inline.justify_line)
    assert after == originals


def test_the_check_can_fail_the_extension_changes_that_paragraph():
    # Without this, the test above would pass for a paragraph the extension ignores.
    assert plain_in_bulletin_context() != plain_pdf()


def test_another_thread_gets_stock_weasyprint_while_bulletin_lays_out():
    stock = plain_pdf()
    seen = {}
    with chinese_line_layout():  # the patches are in place now, for this thread only
        worker = threading.Thread(target=lambda: seen.setdefault("pdf", plain_pdf()))
        worker.start()
        worker.join()
    assert seen["pdf"] == stock


@pytest.fixture
def changed_engine(monkeypatch):
    def text_align(context, line, width):  # one parameter fewer than 70.0's
        return 0

    monkeypatch.setattr(inline, "text_align", text_align)
    compat.engine_problems.cache_clear()
    yield
    monkeypatch.undo()
    compat.engine_problems.cache_clear()


def test_a_changed_internal_fails_in_one_line_naming_both_versions(changed_engine):
    with pytest.raises(compat.EngineMismatch) as raised:
        compat.require_supported_engine()
    (line,) = raised.value.lines()
    assert line.startswith(
        "weasyprint: engine: WeasyPrint 70.0 is installed, bulletin supports 70.0"
    )
    assert "weasyprint.layout.inline.text_align(context, line, width) has changed" in line


def test_another_version_is_named(monkeypatch):
    monkeypatch.setattr(weasyprint, "__version__", "71.0")
    compat.engine_problems.cache_clear()
    try:
        assert compat.engine_problems() == ("version 71.0 is installed",)
    finally:
        monkeypatch.undo()
        compat.engine_problems.cache_clear()


def test_doctor_reports_a_changed_engine_instead_of_crashing(changed_engine):
    result = CliRunner().invoke(app, ["doctor"])
    assert result.exit_code == 1
    assert "!! weasyprint" in result.stdout and "has changed" in result.stdout
    assert "internal error" not in result.output


def test_debug_shows_the_traceback_of_a_library_error(issue_factory, monkeypatch):
    issue_factory.write("issue.yaml", "year: 2024\n")
    monkeypatch.setenv("BULLETIN_DEBUG", "1")
    result = CliRunner().invoke(app, ["build", str(issue_factory.dir)])
    assert result.exit_code == 1
    assert "Traceback (most recent call last)" in result.stderr
    monkeypatch.delenv("BULLETIN_DEBUG")
    quiet = CliRunner().invoke(app, ["build", str(issue_factory.dir)])
    assert "Traceback" not in quiet.stderr


LOAD_ENGINE_WITHOUT_PROGRAMS = """
import subprocess, sys
def no_program(*args, **kwargs):
    raise RuntimeError(f"ran a program: {args[0]}")
subprocess.Popen = no_program
from bulletin.engine import compat
assert compat.engine_problems() == (), compat.engine_problems()
from weasyprint.text import ffi
assert ffi.harfbuzz_subset is not None  # found by the same name, not left out
print("loaded")
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the Linux library names")
def test_the_engine_loads_its_libraries_without_running_a_program():
    # WeasyPrint's search by other platforms' names ran gcc and ldconfig 16 times per build.
    done = subprocess.run(
        [sys.executable, "-c", LOAD_ENGINE_WITHOUT_PROGRAMS], capture_output=True, text=True
    )
    assert done.returncode == 0 and done.stdout == "loaded\n", done.stderr[-2000:]


def test_a_library_the_loader_cannot_name_falls_back_to_the_engines_own_search():
    script = (
        "from bulletin.engine import compat\n"
        "compat.LINUX_LIBRARIES = ('libnot-installed.so.0',)\n"
        "print(compat.engine_problems())\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0 and done.stdout == "()\n", done.stderr[-2000:]


def test_the_cycle_collector_runs_again_after_a_build_even_a_failed_one(issue_factory, tmp_path):
    import gc

    from bulletin.errors import ContentError

    build(issue_factory.dir, tmp_path / "a.pdf")
    assert gc.isenabled()
    issue_factory.write("issue.yaml", "year: 2024\nnumber: [8]\n")
    with pytest.raises(ContentError):
        build(issue_factory.dir, tmp_path / "b.pdf")
    assert gc.isenabled()
