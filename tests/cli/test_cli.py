"""The command line through Typer's CliRunner: exit codes, messages, files left behind."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bulletin import __version__
from bulletin.cli import app
from tests.conftest import REPO

HARD_CASES = REPO / "tests" / "fixtures" / "hard-cases"

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, [str(a) for a in args], prog_name="bulletin")


def test_version():
    result = run("--version")
    assert result.exit_code == 0
    assert result.stdout.strip() == f"bulletin {__version__}"


@pytest.mark.parametrize(
    "command", ["new", "import", "check", "watch", "build", "preflight", "archive", "doctor"]
)
def test_every_command_has_help(command):
    result = run(command, "--help")
    assert result.exit_code == 0
    assert "Usage: bulletin " + command in result.stdout


def test_no_arguments_shows_help_and_is_a_usage_error():
    result = run()
    assert result.exit_code == 2
    assert "Commands" in result.output


def test_check_valid_issue(issue_factory):
    result = run("check", issue_factory.dir)
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().endswith("ok, 1 article in 1 region")
    assert result.stderr == ""


def test_check_reports_every_problem_one_line_each(issue_factory):
    issue_factory.article("02", region="上 海")
    issue_factory.article("03", date="2024-05-01")
    result = run("check", issue_factory.dir)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "2024-08/articles/02.md:2: region: unknown region '上 海'; did you mean 上海?",
        "2024-08/articles/03.md:5: date: source date 2024-05-01 is after the print date 2024-04-25",
    ]
    assert result.stdout == ""


def test_check_warns_about_characters_the_fonts_lack(issue_factory):
    issue_factory.article("02", body="正文含有𠀀字。\n")
    result = run("check", issue_factory.dir)
    assert result.exit_code == 0
    assert (
        "warning: 2024-08/articles/02.md:7: text: '𠀀' (U+20000 CJK UNIFIED IDEOGRAPH-20000) "
        "is not in the bundled fonts; it would print from another font or as a blank box"
    ) in result.stderr
    strict = run("check", "--strict", issue_factory.dir)
    assert strict.exit_code == 1
    assert strict.stderr.startswith("2024-08/articles/02.md:7: text: '𠀀'")


def test_check_missing_folder_is_exit_1(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("check", "nowhere")
    assert result.exit_code == 1
    assert (
        result.stderr.strip()
        == "nowhere: issue: no such folder; expected an issue folder such as content/2024-08"
    )


def test_build_writes_pdf_and_reports_pages(issue_factory, tmp_path):
    target = tmp_path / "x.pdf"
    result = run("build", issue_factory.dir, "-o", target)
    assert result.exit_code == 0, result.output
    assert target.read_bytes().startswith(b"%PDF-")
    assert result.stdout.startswith(f"{target}: 4 pages")
    assert list(tmp_path.glob("*.tmp")) == []


def test_build_default_name_carries_cumulative_number(issue_factory, tmp_path):
    result = run("build", issue_factory.dir)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "bri-2024-08-282.pdf").is_file()


def test_build_invalid_issue_writes_nothing(issue_factory, tmp_path):
    issue_factory.article("02", region="火星")
    result = run("build", issue_factory.dir, "-o", tmp_path / "x.pdf")
    assert result.exit_code == 1
    assert "region: unknown region '火星'" in result.stderr
    assert not (tmp_path / "x.pdf").exists()


def test_build_keeps_previous_pdf_when_new_build_fails(issue_factory, tmp_path):
    target = tmp_path / "x.pdf"
    target.write_bytes(b"%PDF- previous")
    issue_factory.article("02", title="''")
    assert run("build", issue_factory.dir, "-o", target).exit_code == 1
    assert target.read_bytes() == b"%PDF- previous"


def test_a_run_says_everything_and_leaves_nothing_in_the_temporary_folder(issue_factory, tmp_path):
    # The command ends without Python's slow shutdown: its messages must still be flushed
    # and its own clean-up (the engine's copies of the fonts) still happen.
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    pdf = tmp_path / "a.pdf"
    runs = {
        "built": [str(issue_factory.dir), "-o", str(pdf)],
        "missing": [str(tmp_path / "none"), "-o", str(pdf)],
    }
    done = {
        name: subprocess.run(
            [sys.executable, "-m", "bulletin", "build", *arguments],
            capture_output=True,
            text=True,
            env={**os.environ, "TMPDIR": str(scratch)},
        )
        for name, arguments in runs.items()
    }
    assert done["built"].returncode == 0 and f"{pdf}: 4 pages" in done["built"].stdout
    assert done["missing"].returncode == 1 and "no such folder" in done["missing"].stderr
    assert pdf.exists() and list(scratch.iterdir()) == []


def test_build_several_issues_into_a_folder(issue_factory, tmp_path):
    other = tmp_path / "2024-09"
    (other / "articles").mkdir(parents=True)
    (other / "issue.yaml").write_text(
        "year: 2024\nnumber: 9\ncumulative: 283\nprint_date: 2024-05-09\n", encoding="utf-8"
    )
    (other / "articles" / "01.md").write_text(
        (issue_factory.dir / "articles" / "01.md").read_text(encoding="utf-8"), encoding="utf-8"
    )
    result = run("build", issue_factory.dir, other, "-o", tmp_path / "pdfs")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "pdfs").iterdir()) == [
        "bri-2024-08-282.pdf",
        "bri-2024-09-283.pdf",
    ]


def test_build_several_issues_into_one_pdf_is_a_usage_error(issue_factory, tmp_path):
    result = run("build", issue_factory.dir, issue_factory.dir, "-o", tmp_path / "x.pdf")
    assert result.exit_code == 2
    assert "several issues need a folder" in result.output


def test_build_one_failing_issue_does_not_stop_the_others(issue_factory, tmp_path):
    result = run("build", tmp_path / "missing", issue_factory.dir, "-o", tmp_path / "pdfs")
    assert result.exit_code == 1
    # One line per problem, however long, and nothing else when no one watches a bar.
    assert result.stderr.splitlines() == [  # shown relative to tmp_path, the working folder
        "missing: issue: no such folder; expected an issue folder such as content/2024-08"
    ]
    assert (tmp_path / "pdfs" / "bri-2024-08-282.pdf").is_file()


def test_import_missing_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("import", "nope.txt", "--out", "content/x")
    assert result.exit_code == 1
    assert result.stderr.strip() == "nope.txt: file: no such file"


def test_import_requires_out():
    result = run("import", "x.txt")
    assert result.exit_code == 2


def test_doctor_reports_engine_and_fonts():
    result = run("doctor")
    assert result.exit_code == 0, result.output
    for name in ("weasyprint", "pango", "harfbuzz-subset", "NotoSerifSC-Regular.otf"):
        assert any(line.startswith("ok ") and name in line for line in result.stdout.splitlines())


def test_the_content_folder_or_an_articles_folder_is_named_for_what_it_is(sample_copy, monkeypatch):
    monkeypatch.chdir(sample_copy.parent)
    content = run("check", ".")
    assert content.exit_code == 1
    assert content.stderr == (
        ".: issue: the content folder, not an issue folder; give one of its issues, e.g. 2024-08\n"
    )
    articles = run("check", "2024-08/articles")
    assert articles.stderr == (
        "2024-08/articles: issue: the articles of an issue; give the issue folder 2024-08\n"
    )


def test_a_file_in_the_articles_folder_that_is_not_printed_is_named(issue_factory):
    issue_factory.write("articles/03.MD", "---\ntitle: x\n---\n正文。\n")
    issue_factory.write("articles/_draft.txt", "kept aside")
    result = run("check", issue_factory.dir)
    assert result.exit_code == 0
    assert result.stderr == (
        "warning: 2024-08/articles/03.MD: articles: not printed: only .md files are articles; "
        "rename it NN.md, or start its name with _ to keep it aside\n"
    )


def test_a_closed_or_full_standard_output_is_no_crash(tmp_path):
    version = [sys.executable, "-m", "bulletin", "--version"]
    closed = subprocess.run(version, preexec_fn=lambda: os.close(1), capture_output=False)
    assert closed.returncode == 0  # nobody reads it: not an error
    if Path("/dev/full").exists():
        with open("/dev/full", "w") as full:
            done = subprocess.run(version, stdout=full, stderr=subprocess.PIPE, text=True)
        assert done.returncode == 1
        assert done.stderr == "cannot write the output: No space left on device\n"


NO_TEMPORARY_FOLDER = """
import sys, tempfile
def none_usable(*args, **kwargs):
    raise FileNotFoundError("No usable temporary directory found")
tempfile.mkdtemp = none_usable
sys.argv = ["bulletin", "--version"]
from bulletin.cli import main
main()
"""


def test_commands_that_need_no_temporary_folder_run_without_one():
    done = subprocess.run(
        [sys.executable, "-c", NO_TEMPORARY_FOLDER], capture_output=True, text=True
    )
    assert done.returncode == 0 and done.stdout.startswith("bulletin "), done.stderr


BATCH_FROM_PYTHON = """
import sys
from pathlib import Path
from bulletin.operations.batch import build_many
issues = [Path(p) for p in sys.argv[1:3]]
result = build_many(issues, {"output": Path(sys.argv[3])}, jobs=2)
print(sorted(p.name for p in Path(sys.argv[3]).iterdir()))
"""


def test_parallel_builds_from_python_leave_no_scratch_files(issue_factory, tmp_path):
    # The workers end without the engine cleaning up: the batch removes their scratch.
    second = issue_factory.root / "2024-09"
    shutil.copytree(issue_factory.dir, second)
    (second / "issue.yaml").write_text(
        "year: 2024\nnumber: 9\ncumulative: 283\nprint_date: 2024-05-09\n", encoding="utf-8"
    )
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    issues = [str(issue_factory.dir), str(second), str(tmp_path / "out")]
    done = subprocess.run(
        [sys.executable, "-c", BATCH_FROM_PYTHON, *issues],
        capture_output=True,
        text=True,
        env={**os.environ, "TMPDIR": str(scratch)},
    )
    assert done.returncode == 0 and "bri-2024-09-283.pdf" in done.stdout, done.stderr
    assert list(scratch.iterdir()) == []


def test_several_issues_into_an_existing_file_are_refused_at_once(issue_factory, tmp_path):
    notes = tmp_path / "notes"
    notes.write_text("x\n")
    result = run("build", issue_factory.dir, HARD_CASES, "-o", notes)
    assert result.exit_code == 1
    # The issue factory works in tmp_path: the file is shown as the user named it there.
    refused = "notes: output: is a file, not a folder; name a folder"
    assert result.stderr.splitlines() == [refused]
