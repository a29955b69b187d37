"""`bulletin publish`: every output of an issue in one run, laid out once per look, each file
reported, and one failing output never hiding the others."""

from __future__ import annotations

import json

import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

import bulletin.engine.typeset as typeset
from bulletin.cli import app
from tests.conftest import SAMPLE_ISSUE

runner = CliRunner()


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    folder = tmp_path_factory.mktemp("publish")
    layouts = []
    real = typeset.typeset
    monkeypatch = pytest.MonkeyPatch()
    monkeypatch.setattr(typeset, "typeset", lambda *a, **k: layouts.append(1) or real(*a, **k))
    try:
        result = runner.invoke(
            app,
            ["publish", str(SAMPLE_ISSUE), "-o", str(folder), "--archive", str(folder / "arch")],
        )
    finally:
        monkeypatch.undo()
    return folder, result, len(layouts)


def test_every_output_is_written_and_reported(published):
    folder, result, _ = published
    assert result.exit_code == 0, result.output
    made = {
        "office": folder / "bri-2024-08-282.pdf",
        "press": folder / "bri-2024-08-282-press.pdf",
        "booklet": folder / "bri-2024-08-282-booklet.pdf",
        "web": folder / "bri-2024-08-282-web" / "index.html",
        "archive": folder / "arch" / "bri-2024-08-282.pdf",
    }
    for name, path in made.items():
        assert path.is_file(), name
        assert str(path) in result.stdout, name
    assert result.stdout.splitlines()[-1].startswith("5 files in ")
    assert f"{made['booklet']}: 8 pages on 2 A3 sheets (booklet)" in result.stdout
    root = PdfReader(made["press"]).trailer["/Root"]
    assert root["/OutputIntents"][0].get_object()["/OutputConditionIdentifier"] == "FOGRA39"
    assert len(PdfReader(made["booklet"]).pages) == 4
    catalogue = json.loads((folder / "arch" / "catalogue.json").read_text(encoding="utf-8"))
    assert [entry["file"] for entry in catalogue["issues"]] == ["bri-2024-08-282.pdf"]


def test_the_issue_is_laid_out_once_per_look(published):
    # Office, booklet and archive share the office pages; the press has its own.
    assert published[2] == 2


def test_published_files_are_the_ones_build_makes(published, sample_office):
    folder, _, _ = published
    assert (folder / "bri-2024-08-282.pdf").read_bytes() == sample_office.output.read_bytes()


def test_one_failing_output_does_not_hide_the_others(tmp_path):
    # The archive fails when it comes to be written: its catalogue is damaged.
    archive = tmp_path / "archive"
    archive.mkdir()
    (archive / "catalogue.json").write_text("{not json")
    result = runner.invoke(
        app, ["publish", str(SAMPLE_ISSUE), "-o", str(tmp_path), "--archive", str(archive)]
    )
    assert result.exit_code == 1
    assert "catalogue.json:1: catalogue: not valid JSON" in result.stderr
    assert "internal error" not in result.output
    assert (tmp_path / "bri-2024-08-282-press.pdf").is_file()
    assert (tmp_path / "bri-2024-08-282-web" / "index.html").is_file()
    assert result.stdout.splitlines()[-1].startswith("4 files in ") and "1 failed" in result.stdout


def test_the_archive_folder_cannot_be_the_output_folder(tmp_path):
    result = runner.invoke(
        app, ["publish", str(SAMPLE_ISSUE), "-o", str(tmp_path), "--archive", str(tmp_path)]
    )
    assert result.exit_code == 1
    assert result.stderr == (
        f"{tmp_path}: archive: is the output folder too; give the archive a folder of its own\n"
    )
    assert list(tmp_path.iterdir()) == []


def test_a_warning_about_the_content_is_said_once_not_once_per_output(issue_factory, tmp_path):
    issue_factory.article("01", body="正文一段，写着一个字库里没有的字：\U0002b740。\n")
    result = runner.invoke(app, ["publish", str(issue_factory.dir), "-o", str(tmp_path / "all")])
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    assert len(warnings) == len(set(warnings)), result.stderr  # the engine's too
    assert sum("is not in the bundled fonts" in line for line in warnings) == 1, result.stderr


def test_publish_replace_archives_a_correction_with_its_reason(tmp_path, monkeypatch):
    """The archive folder holds an earlier copy: --replace --reason makes the new version."""
    from bulletin.outputs.archive import store, verify

    archive = tmp_path / "archive"
    store(archive, "bri-2024-08-282.pdf", b"%PDF-1.7 an earlier copy\n", {"issue": "2024-08"})
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    args = ["publish", str(SAMPLE_ISSUE), "-o", str(tmp_path / "out"), "--archive", str(archive)]
    result = runner.invoke(app, [*args, "--replace", "--reason", "更正第 2 篇的数字"])
    assert result.exit_code == 0, result.output
    assert "archive copy, replaced; the previous copy is kept as" in result.stdout
    (entry,) = json.loads((archive / "catalogue.json").read_text(encoding="utf-8"))["issues"]
    assert (entry["version"], entry["reason"]) == (2, "更正第 2 篇的数字")
    assert entry["archived_at"] == "2023-11-14T22:13:20Z"
    (old,) = entry["replaced"]
    assert (old["version"], old["replaced_at"]) == (1, "2023-11-14T22:13:20Z")
    assert verify(archive).findings == []
