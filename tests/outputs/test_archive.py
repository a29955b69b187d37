"""The archive read back: PDF/A-3a and its sources, the catalogue transaction, fixity checks."""

from __future__ import annotations

import errno
import hashlib
import io
import json
import os
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

from bulletin import __version__
from bulletin.cli import app
from bulletin.content.loader import load_issue
from bulletin.data import FONT_FILES, fonts_dir
from bulletin.errors import BuildError, BulletinError
from bulletin.outputs import catalogue as catalogue_module
from bulletin.outputs.archive import source_zip, store, verify
from bulletin.outputs.catalogue import LOCK, ArchiveRefused, CatalogueError, kept_name
from bulletin.render.layouts import find_layout
from tests.conftest import REPO, SAMPLE_ISSUE
from tests.corpus.build import png

runner = CliRunner()
NAME = "bri-2024-08-282.pdf"
ENTRY = {"issue": "2024-08", "cumulative": 282}
A, B = b"%PDF-1.7 copy A\n", b"%PDF-1.7 copy B, other bytes\n"


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def cli(*args):
    return runner.invoke(app, [str(a) for a in args])


def catalogue_of(folder: Path) -> dict:
    return json.loads((folder / "catalogue.json").read_text(encoding="utf-8"))


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file of an archive folder but the lock, with its bytes."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.name != LOCK}


# ---------------------------------------------------------------- real builds (7 in all)

# Sharp enough to print (2000 pixels across the 167 mm column are 304 ppi): nothing to say.
CHART = png(2000, 1000)


@pytest.fixture(scope="module")
def content(tmp_path_factory) -> Path:
    """A copy of the sample issue whose last article shows an image of the issue folder."""
    root = tmp_path_factory.mktemp("content")
    shutil.copy(REPO / "content" / "publication.yaml", root / "publication.yaml")
    issue = Path(shutil.copytree(SAMPLE_ISSUE, root / SAMPLE_ISSUE.name))
    (issue / "images").mkdir()
    (issue / "images" / "chart.png").write_bytes(CHART)
    article = issue / "articles" / "11.md"
    article.write_text(article.read_text(encoding="utf-8") + "\n![图表](images/chart.png)\n")
    return issue


@pytest.fixture(scope="module")
def first(content, tmp_path_factory):
    folder = tmp_path_factory.mktemp("archive")
    result = cli("archive", content, "--to", folder, "--strict")
    assert result.exit_code == 0, result.output
    return folder, result


def test_archive_is_pdf_a3a_carrying_its_sources_images_and_manifest(content, first):
    folder, result = first
    pdf = folder / NAME
    assert re.fullmatch(rf"{re.escape(str(pdf))}: \d+ pages, archived", result.stdout.strip())
    reader = PdfReader(pdf)
    root = reader.trailer["/Root"]
    xmp = root["/Metadata"].get_object().get_data().decode()
    assert 'pdfaid:part="3"' in xmp and 'pdfaid:conformance="A"' in xmp
    assert root["/MarkInfo"]["/Marked"] and "/StructTreeRoot" in root
    assert reader.page_labels[0] == "封面"
    assert root["/OutputIntents"][0].get_object()["/S"] == "/GTS_PDFA1"
    assert root["/AF"][0].get_object()["/AFRelationship"] == "/Source"
    attached = reader.attachments["bri-2024-08-282-source.zip"][0]
    layout = find_layout("default")
    assert attached == source_zip(load_issue(content), layout)

    sources = zipfile.ZipFile(io.BytesIO(attached))
    names = sources.namelist()
    assert names == sorted(names)
    assert {"2024-08/articles/01.md", "2024-08/issue.yaml", "publication.yaml"} <= set(names)
    assert sources.read("2024-08/images/chart.png") == CHART
    assert {info.date_time for info in sources.infolist()} == {(2024, 4, 25, 0, 0, 0)}
    manifest = json.loads(sources.read("manifest.json"))
    assert manifest["version"] == __version__
    assert manifest["layout"]["name"] == "default"
    for name in ("issue.html.j2", "style.css"):
        assert manifest["layout"]["sha256"][name] == sha((layout / name).read_bytes())
    assert manifest["fonts"]["sha256"] == {
        name: sha((fonts_dir() / name).read_bytes()) for name in FONT_FILES
    }
    files = manifest["files"]["sha256"]
    assert set(files) == set(names) - {"manifest.json"}
    assert all(sha(sources.read(name)) == digest for name, digest in files.items())


def test_catalogue_records_the_file_and_its_hash(first):
    folder, _ = first
    (entry,) = catalogue_of(folder)["issues"]
    data = (folder / entry["file"]).read_bytes()
    assert (entry["sha256"], entry["bytes"]) == (sha(data), len(data))
    assert (entry["year"], entry["number"], entry["cumulative"]) == (2024, 8, 282)
    assert entry["print_date"] == "2024-04-25"
    assert entry["tool"].startswith("bulletin ")


def test_archiving_the_same_issue_again_is_a_no_op(content, first):
    folder, _ = first
    before = {p.name: p.stat().st_mtime_ns for p in folder.iterdir()}
    again = cli("archive", content, "--to", folder)
    assert again.exit_code == 0, again.output
    assert again.stdout.strip().endswith("already archived, identical: nothing to do")
    assert {p.name: p.stat().st_mtime_ns for p in folder.iterdir()} == before


def test_replacing_a_b_a_b_keeps_every_copy_and_its_history(content, first, tmp_path, monkeypatch):
    """Refused without --replace; then A→B→A→B, where B's kept name exists already; each
    version keeps its own date, reason and hash."""
    folder = Path(shutil.copytree(first[0], tmp_path / "archive"))
    archived_on = catalogue_of(folder)["issues"][0]["archived_at"]
    pdf, article = folder / NAME, content / "articles" / "11.md"
    text_a = article.read_text(encoding="utf-8")
    a = pdf.read_bytes()
    try:
        article.write_text(text_a + "\n补充一段。\n", encoding="utf-8")
        refused = cli("archive", content, "--to", folder)
        assert refused.exit_code == 1
        (line,) = refused.stderr.splitlines()
        assert "archive: already archived with other content" in line and "--replace" in line
        assert pdf.read_bytes() == a

        def replace(step: int):
            monkeypatch.setenv("SOURCE_DATE_EPOCH", str(1_700_000_000 + step * 86_400))
            return cli("archive", content, "--to", folder, "--replace", "--reason", f"更正 {step}")

        outputs = [replace(1)]
        b = pdf.read_bytes()
        article.write_text(text_a, encoding="utf-8")
        outputs.append(replace(2))
        assert pdf.read_bytes() == a  # the build is reproducible
        article.write_text(text_a + "\n补充一段。\n", encoding="utf-8")
        outputs.append(replace(3))
        assert pdf.read_bytes() == b
    finally:
        article.write_text(text_a, encoding="utf-8")
    for output, old in zip(outputs, (a, b, a), strict=True):
        assert output.exit_code == 0, output.output
        (line,) = output.stdout.splitlines()
        kept = folder / kept_name(NAME, sha(old))
        assert line.endswith(f"replaced; the previous copy is kept as {kept}")
    assert "internal error" not in "".join(o.output for o in outputs)

    (entry,) = catalogue_of(folder)["issues"]
    assert entry["sha256"] == sha(b)
    history = [(old["file"], old["sha256"]) for old in entry["replaced"]]
    assert history == [(kept_name(NAME, sha(x)), sha(x)) for x in (a, b, a)]
    days = ["2023-11-15T22:13:20Z", "2023-11-16T22:13:20Z", "2023-11-17T22:13:20Z"]
    versions = [
        (v["version"], v["archived_at"], v.get("replaced_at"), v["reason"])
        for v in [*entry["replaced"], entry]
    ]
    assert versions == [
        (1, archived_on, days[0], None),
        (2, days[0], days[1], "更正 1"),
        (3, days[1], days[2], "更正 2"),
        (4, days[2], None, "更正 3"),
    ]
    assert entry["archived_on"] == "2023-11-17"
    assert (folder / kept_name(NAME, sha(a))).read_bytes() == a
    assert (folder / kept_name(NAME, sha(b))).read_bytes() == b
    checked = cli("archive", "--verify", folder)
    assert checked.exit_code == 0, checked.output
    assert checked.stdout.splitlines() == [
        f"{folder}: 3 files match catalogue.json (1 issue, 2 replaced copies): all intact"
    ]


def test_a_folder_at_the_target_name_is_one_line(content, tmp_path):
    (tmp_path / NAME).mkdir(parents=True)
    result = cli("archive", content, "--to", tmp_path)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{tmp_path / NAME}: archive: a folder is in the way; "
        "expected a PDF or nothing, move it away"
    ]
    assert not (tmp_path / "catalogue.json").exists()


# ---------------------------------------------------------------- the transaction, with fake bytes


def run(folder: Path, steps) -> None:
    for step in steps:
        if step == "delete":
            (folder / NAME).unlink()
        elif step == "raw":
            folder.mkdir(parents=True, exist_ok=True)
            (folder / NAME).write_bytes(A)
        else:
            store(folder, NAME, step[0], ENTRY, replace=step[1])


# name: (what is there before, the run that is interrupted, its status)
SCENARIOS = {
    "first": ([], (B, False), "archived"),
    "replace": ([(A, False)], (B, True), "replaced"),
    "chain": ([(A, False), (B, True), (A, True)], (B, True), "replaced"),
    "restore": ([(A, False), "delete"], (A, False), "restored"),
    "lost": ([(A, False), "delete"], (B, True), "replaced"),
    "unlisted": (["raw"], (A, False), "recorded"),
}


class Crash:
    """Makes the N-th os.replace, os.link or os.fsync fail: a full disk, or Ctrl-C."""

    def __init__(self, patch, step: int, error: BaseException):
        self.step, self.error, self.calls = step, error, 0
        for name in ("replace", "link", "fsync"):
            patch.setattr(os, name, self.wrap(getattr(os, name)))

    def wrap(self, real):
        def call(*args, **kwargs):
            self.calls += 1
            if self.calls == self.step:
                raise self.error
            return real(*args, **kwargs)

        return call


@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
@pytest.mark.parametrize("error", ["disk full", "Ctrl-C"])
def test_a_crash_at_any_step_leaves_the_old_or_the_new_state(
    scenario, error, tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(os, "fsync", lambda descriptor: None)  # still a step; just not slow
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # each run's record the same
    before, (data, replace), status = SCENARIOS[scenario]
    reference = tmp_path / "reference"
    run(reference, before)
    old = snapshot(reference) if reference.exists() else {}
    assert store(reference, NAME, data, ENTRY, replace=replace).status == status
    new = snapshot(reference)
    assert old != new and verify(reference).findings == []

    step = 0
    while True:
        step += 1
        folder = tmp_path / f"step-{step}"
        run(folder, before)
        failure = (
            OSError(errno.ENOSPC, "No space left on device")
            if error == "disk full"
            else KeyboardInterrupt()
        )
        with monkeypatch.context() as patch:
            crash = Crash(patch, step, failure)
            try:
                store(folder, NAME, data, ENTRY, replace=replace)
            except (BuildError, KeyboardInterrupt) as raised:
                if isinstance(raised, BuildError):
                    assert len(raised.lines()) == 1, raised.lines()
        if crash.calls < step:
            break  # the run got through: every step has been tried
        after = snapshot(folder)
        pending = "pending" in json.loads(after.get("catalogue.json", b"{}"))
        if pending:  # committed: a fixity check says so, and the next run finishes it
            assert [f.field for f in verify(folder).findings] == ["pending"]
        else:
            assert after in (old, new), f"step {step}: {sorted(after)}"
            assert after == old or verify(folder).findings == []
        again = store(folder, NAME, data, ENTRY, replace=replace)
        assert snapshot(folder) == new, f"step {step}"
        assert verify(folder).findings == []
        # "Identical: nothing to do" only when the catalogue has the entry already.
        expected = {"unchanged"} if after == new else {status, "completed"} if pending else {status}
        assert again.status in expected, f"step {step}"
    assert step > 3


def test_a_rerun_after_a_crash_completes_the_entry(tmp_path, monkeypatch):
    """Never 'identical: nothing to do' while the catalogue lacks the entry."""
    monkeypatch.chdir(tmp_path)
    real_replace = os.replace

    def staged_rename_dies(source, target):
        if str(source).endswith(".pending"):
            raise KeyboardInterrupt
        return real_replace(source, target)

    with monkeypatch.context() as patch:
        patch.setattr(os, "replace", staged_rename_dies)
        with pytest.raises(KeyboardInterrupt):
            store(Path("archive"), NAME, A, ENTRY)
    assert catalogue_of(Path("archive"))["issues"] == []
    assert catalogue_of(Path("archive"))["pending"]["file"] == NAME
    again = store(Path("archive"), NAME, A, ENTRY)
    assert again.status == "completed"
    (entry,) = catalogue_of(Path("archive"))["issues"]
    assert entry["sha256"] == sha(A)
    assert "pending" not in catalogue_of(Path("archive"))


def test_what_a_killed_run_leaves_is_named_then_cleared(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    folder = Path("archive")
    store(folder, NAME, A, ENTRY)
    (folder / f".{NAME}.pending").write_bytes(B)
    (folder / ".catalogue.json.k3x_9q.tmp").write_text("{")
    findings = [str(f) for f in verify(folder).findings]
    assert findings == [
        f"archive/.{NAME}.pending: unlisted: left by an interrupted run; "
        "the next `bulletin archive` removes it",
        "archive/.catalogue.json.k3x_9q.tmp: unlisted: left by an interrupted run; "
        "the next `bulletin archive` removes it",
    ]
    assert store(folder, NAME, A, ENTRY).status == "unchanged"
    assert sorted(snapshot(folder)) == sorted(["catalogue.json", NAME])


# ---------------------------------------------------------------- hand-made trouble


def test_a_catalogued_file_deleted_by_hand(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    folder = Path("archive")
    store(folder, NAME, A, ENTRY)
    (folder / NAME).unlink()
    listed = catalogue_of(folder)
    with pytest.raises(ArchiveRefused) as refused:
        store(folder, NAME, B, ENTRY)
    (line,) = refused.value.lines()
    assert line.startswith(
        f"archive/{NAME}: archive: listed in catalogue.json (sha256 {sha(A)[:12]}…)"
    )
    assert "missing from the folder" in line
    assert catalogue_of(folder) == listed and not (folder / NAME).exists()

    assert store(folder, NAME, A, ENTRY).status == "restored"
    assert (folder / NAME).read_bytes() == A and catalogue_of(folder) == listed

    (folder / NAME).unlink()
    replaced = store(folder, NAME, B, ENTRY, replace=True)
    assert (replaced.status, replaced.kept) == ("replaced", None)
    (entry,) = catalogue_of(folder)["issues"]
    (old,) = entry["replaced"]
    assert (old["file"], old["lost"], old["sha256"]) == (None, True, sha(A))
    assert verify(folder).findings == []


def test_a_file_changed_by_hand_is_refused_even_with_replace(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    folder = Path("archive")
    store(folder, NAME, A, ENTRY)
    (folder / NAME).write_bytes(B)
    for replace in (False, True):
        with pytest.raises(ArchiveRefused) as refused:
            store(folder, NAME, B, ENTRY, replace=replace)
        (line,) = refused.value.lines()
        assert "changed since it was archived" in line
    assert (folder / NAME).read_bytes() == B


def test_other_listed_files_missing_or_unlisted_are_named(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    folder = Path("archive")
    store(folder, "other.pdf", A, {"cumulative": 1})
    (folder / "other.pdf").unlink()
    (folder / "stray.pdf").write_bytes(B)
    result = store(folder, NAME, B, ENTRY)
    assert result.status == "archived"
    assert [str(note) for note in result.notes] == [
        "archive/other.pdf: archive: listed in catalogue.json (issues[0]) but missing; restore "
        "it from a backup",
        "archive/stray.pdf: archive: in the archive folder but not in catalogue.json",
    ]


def test_a_folder_at_a_kept_name_or_the_catalogue_is_one_line(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    folder = Path("archive")
    store(folder, NAME, A, ENTRY)
    (folder / kept_name(NAME, sha(A))).mkdir()
    with pytest.raises(BuildError) as error:
        store(folder, NAME, B, ENTRY, replace=True)
    assert error.value.lines() == [
        f"archive/{kept_name(NAME, sha(A))}: archive: a folder is in the way; "
        "expected a PDF or nothing, move it away"
    ]
    assert (folder / NAME).read_bytes() == A

    other = Path("other")
    (other / "catalogue.json").mkdir(parents=True)
    with pytest.raises(BuildError) as error:
        store(other, NAME, A, ENTRY)
    (line,) = error.value.lines()
    assert line.startswith("other/catalogue.json: catalogue: cannot read: ")


def test_a_read_only_folder_is_one_line_and_changes_nothing(tmp_path, monkeypatch):
    """Tests run as root, whom chmod does not stop: the refusals are simulated."""
    monkeypatch.chdir(tmp_path)
    folder = Path("archive")
    store(folder, NAME, A, ENTRY)
    before = snapshot(folder)

    def refuse(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied")

    with monkeypatch.context() as patch:
        patch.setattr(catalogue_module, "write_atomically", refuse)
        with pytest.raises(BuildError) as error:
            store(folder, NAME, B, ENTRY, replace=True)
    assert error.value.lines() == ["archive: archive: cannot write: Permission denied"]
    assert snapshot(folder) == before

    real_open = os.open

    def refuse_the_lock(path, *args, **kwargs):
        if str(path).endswith(LOCK):
            refuse()
        return real_open(path, *args, **kwargs)

    with monkeypatch.context() as patch:
        patch.setattr(os, "open", refuse_the_lock)
        with pytest.raises(BuildError) as error:
            store(Path("fresh"), NAME, A, ENTRY)
    assert error.value.lines() == [
        f"fresh/{LOCK}: archive: cannot lock the archive folder: Permission denied"
    ]


def test_malformed_catalogue_entries_are_named_with_their_index(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "archive"
    folder.mkdir()
    good = sha(A)
    issues = [
        "bri-2024-01.pdf",
        {"sha256": good},
        {"file": "../outside.pdf", "sha256": good},
        {"file": "a.pdf", "sha256": "zz", "bytes": "10"},
        {"file": "b.pdf", "sha256": good, "replaced": {}},
        {"file": "c.pdf", "sha256": good, "replaced": [{"file": "c.old.pdf"}, 7]},
        {"file": "d.pdf", "sha256": good, "cumulative": None},
        {"file": "d.pdf", "sha256": good},
    ]
    (folder / "catalogue.json").write_text(json.dumps({"format": 1, "issues": issues}))
    expected = [
        "archive/catalogue.json: issues[0]: expected an object, found a string",
        "archive/catalogue.json: issues[1]: no 'file'; expected the name of the archived PDF",
        "archive/catalogue.json: issues[2].file: '../outside.pdf': expected a file name "
        "in the archive folder",
        "archive/catalogue.json: issues[3].sha256: expected 64 lowercase hexadecimal digits",
        "archive/catalogue.json: issues[3].bytes: expected a whole number, found a string",
        "archive/catalogue.json: issues[4].replaced: expected a list, found an object",
        "archive/catalogue.json: issues[5].replaced[0].sha256: expected 64 lowercase "
        "hexadecimal digits",
        "archive/catalogue.json: issues[5].replaced[1]: expected an object, found a number",
        "archive/catalogue.json: issues[6].cumulative: expected a whole number, found null",
    ]
    with pytest.raises(CatalogueError) as error:
        store(folder, NAME, A, ENTRY)
    assert error.value.lines() == expected
    assert not (folder / NAME).exists()

    checked = cli("archive", "--verify", "archive")
    assert checked.exit_code == 1
    assert checked.stdout.splitlines()[: len(expected)] == expected
    assert "internal error" not in checked.output

    for text, message in [
        ("{", ":1: catalogue: not valid JSON; restore it from a backup"),
        ("[]", ": catalogue: expected an object with a list 'issues'"),
    ]:
        (folder / "catalogue.json").write_text(text)
        with pytest.raises(CatalogueError) as error:
            store(folder, NAME, A, ENTRY)
        (line,) = error.value.lines()
        assert line.startswith(f"archive/catalogue.json{message}")


def test_a_duplicate_entry_is_named(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "archive"
    folder.mkdir()
    record = {"file": "d.pdf", "sha256": sha(A)}
    (folder / "catalogue.json").write_text(json.dumps({"issues": [record, record]}))
    with pytest.raises(BulletinError) as error:
        store(folder, NAME, A, ENTRY)
    assert error.value.lines() == [
        "archive/catalogue.json: issues[1].file: listed at issues[0] too"
    ]


# ---------------------------------------------------------------- fixity


def test_verify_names_each_flipped_missing_and_unlisted_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    folder = Path("archive")
    store(folder, NAME, A, ENTRY)
    store(folder, NAME, B, ENTRY, replace=True)
    store(folder, "other.pdf", A, {"cumulative": 1})
    ok = cli("archive", "--verify", folder)
    assert (ok.exit_code, ok.stdout) == (
        0,
        "archive: 3 files match catalogue.json (2 issues, 1 replaced copy): all intact\n",
    )

    kept = folder / kept_name(NAME, sha(A))
    flipped = bytearray(kept.read_bytes())
    flipped[3] ^= 0x01
    kept.write_bytes(bytes(flipped))
    (folder / "other.pdf").unlink()
    (folder / "notes.txt").write_text("by hand")
    checked = cli("archive", "--verify", folder)
    assert checked.exit_code == 1
    assert checked.stdout.splitlines() == [
        f"archive/{kept.name}: changed: sha256 {sha(bytes(flipped))[:12]}… but catalogue.json "
        f"(issues[1].replaced[0]) lists {sha(A)[:12]}…; this is not the file that was archived",
        "archive/other.pdf: missing: not in the folder, but catalogue.json lists it (issues[0])",
        "archive/notes.txt: unlisted: in the archive folder but not in catalogue.json",
    ]


def test_verify_needs_an_archive_folder_and_nothing_else(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    missing = cli("archive", "--verify", "nowhere")
    assert (missing.exit_code, missing.stderr) == (
        1,
        "nowhere: verify: not a folder; expected an archive folder\n",
    )
    Path("empty").mkdir()
    empty = cli("archive", "--verify", "empty")
    assert empty.stderr == "empty: verify: no catalogue.json; expected an archive folder\n"
    both = cli("archive", str(SAMPLE_ISSUE), "--verify", "empty")
    assert both.exit_code == 2 and "--verify checks an archive folder" in both.output
    neither = cli("archive", str(SAMPLE_ISSUE))
    assert neither.exit_code == 2 and "--to ARCHIVE_DIR" in neither.output
