"""An archive folder made hostile: locks that are no files, huge catalogues, names forging lines."""

from __future__ import annotations

import hashlib
import json
import os
import stat
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bulletin.cli import app
from bulletin.errors import BuildError
from bulletin.outputs import archive_files
from bulletin.outputs.archive import KIND, store, verify
from bulletin.outputs.base import BuildResult
from bulletin.outputs.catalogue import LOCK, CatalogueError
from tests.conftest import REPO, SAMPLE_ISSUE

runner = CliRunner()
NAME = "bri-2024-08-282.pdf"
A = b"%PDF-1.7 copy A\n"
# A safety net for what used to wait for ever (a pipe as the lock), not a timing assertion.
NEVER = 120


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def bulletin(*args, cwd: Path) -> subprocess.CompletedProcess:
    """The real command in its own process: one that hangs fails the test instead of it."""
    environment = {**os.environ, "BULLETIN_LANG": "en", "PYTHONPATH": str(REPO)}
    return subprocess.run(
        [sys.executable, "-m", "bulletin", *map(str, args)],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        timeout=NEVER,
        check=False,
    )


def archived(folder: Path) -> Path:
    store(folder, NAME, A, {"cumulative": 282})
    return folder


def contents(folder: Path) -> dict[str, bytes | None]:
    return {p.name: p.read_bytes() if p.is_file() else None for p in sorted(folder.iterdir())}


# ---------------------------------------------------------------- the lock


def make_fifo(lock: Path) -> str:
    os.mkfifo(lock)
    return "a named pipe (FIFO)"


def make_symlink(lock: Path) -> str:
    (lock.parent.parent / "elsewhere").write_text("")
    lock.symlink_to(lock.parent.parent / "elsewhere")
    return "a symbolic link"


def make_folder(lock: Path) -> str:
    lock.mkdir()
    return "a folder"


def make_device(lock: Path) -> str:
    try:  # the same as /dev/null; never opened
        os.mknod(lock, 0o600 | stat.S_IFCHR, os.makedev(1, 3))
    except PermissionError:
        pytest.skip("making a device takes privileges this run does not have")
    return "a device"


MAKERS = [make_fifo, make_symlink, make_folder, make_device]


@pytest.mark.parametrize("make", MAKERS, ids=lambda m: m.__name__)
def test_a_lock_that_is_no_regular_file_is_one_line_and_nothing_waits(make, tmp_path):
    folder = archived(tmp_path / "archive")
    (folder / LOCK).unlink()
    kind = make(folder / LOCK)
    before = contents(folder)
    refused = (
        f"archive/{LOCK}: {{field}}: {kind} where the archive folder's lock should be, not a "
        "regular file; remove it (the next `bulletin archive` makes it again as an empty file)"
    )

    checked = bulletin("archive", "--verify", "archive", cwd=tmp_path)
    assert (checked.returncode, checked.stdout) == (1, "")
    assert checked.stderr.splitlines() == [refused.format(field="verify")]

    made = bulletin("archive", SAMPLE_ISSUE, "--to", "archive", cwd=tmp_path)
    assert (made.returncode, made.stdout) == (1, "")
    assert made.stderr.splitlines() == [refused.format(field="archive")]

    # The store itself, for a caller that did not look first (the check before building).
    script = "from pathlib import Path; from bulletin.outputs.archive import store; "
    script += f"store(Path('archive'), {NAME!r}, b'other', {{}})"
    stored = subprocess.run(
        [sys.executable, "-c", script],
        cwd=tmp_path,
        env={**os.environ, "BULLETIN_LANG": "en", "PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
        timeout=NEVER,
        check=False,
    )
    assert stored.returncode == 1
    assert stored.stderr.splitlines()[-1].endswith(refused.format(field="archive"))
    assert contents(folder) == before


# ---------------------------------------------------------------- the catalogue's budgets


def test_a_huge_catalogue_is_one_line_and_never_read(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    folder = archived(Path("archive"))
    catalogue = folder / "catalogue.json"
    expected = (
        "archive/catalogue.json: catalogue: larger than 16 MB, more than any catalogue holds "
        "(a century of issues takes about 1 MB); restore it from a backup"
    )
    # Valid JSON one byte over the budget (spaces after it), then a sparse 700 MB file.
    text = catalogue.read_text(encoding="utf-8")
    catalogue.write_text(text.ljust(archive_files.MAX_CATALOGUE_BYTES + 1))
    assert [str(f) for f in verify(folder).findings] == [expected]
    with catalogue.open("r+b") as stream:
        stream.truncate(700 * 1024 * 1024)
    with pytest.raises(CatalogueError) as error:
        store(folder, NAME, A, {})
    assert error.value.lines() == [expected]
    checked = runner.invoke(app, ["archive", "--verify", "archive"])
    assert (checked.exit_code, checked.stdout.splitlines()) == (1, [expected])


def test_a_catalogue_nested_deep_or_of_countless_lists_is_one_line(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    folder = archived(Path("archive"))
    catalogue = folder / "catalogue.json"
    record = json.loads(catalogue.read_text(encoding="utf-8"))["issues"][0]
    deep = "archive/catalogue.json: catalogue: nested more than 16 deep, deeper than any "
    deep += "catalogue (it needs 5); restore it from a backup"
    many = "archive/catalogue.json: catalogue: more than 200,000 objects and lists, more than "
    many += "any catalogue holds; restore it from a backup"
    nested: list = []
    for _ in range(600):  # JSON reads it (up to about 1,000), but no catalogue is so deep
        nested = [nested]
    for catalogue_text, expected in [
        (json.dumps({"issues": [{**record, "note": nested}]}), deep),
        ("[" * 100_000 + "]" * 100_000, deep),
        (json.dumps({"issues": [record], "x": ["[{"] * 17}), None),  # brackets in strings
        (json.dumps({"issues": [record, *[[]] * 200_000]}), many),
    ]:
        catalogue.write_text(catalogue_text)
        found = [str(f) for f in verify(folder).findings]
        assert found == ([expected] if expected else []), catalogue_text[:40]
        if expected:
            with pytest.raises(CatalogueError) as error:
                store(folder, NAME, A, {})
            assert error.value.lines() == [expected]


def test_a_lone_surrogate_typed_into_the_catalogue_is_kept_escaped(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    folder = archived(Path("archive"))
    catalogue = folder / "catalogue.json"
    text = catalogue.read_text(encoding="utf-8")
    catalogue.write_text(text.replace('"file"', '"note": "\\ud800", "file"'))
    assert store(folder, "other.pdf", A, {"cumulative": 1}).status == "archived"
    issues = json.loads(catalogue.read_text(encoding="ascii"))["issues"]
    assert [i["file"] for i in issues] == ["other.pdf", NAME] and issues[1]["note"] == "\ud800"
    assert verify(folder).findings == []


# ---------------------------------------------------------------- names that would forge a line

FORGED = "archive: 1 file matches catalogue.json (1 issue, 0 replaced copies): all intact"
# A newline, the other characters Python reads as line ends, bidi controls, a zero-width mark.
NAMES = {
    f"x\n{FORGED}.pdf": f"x\\n{FORGED}.pdf",
    "a\r\x0b\x0c\x1c\x1d\x1e\x85.pdf": "a\\r\\u000b\\u000c\\u001c\\u001d\\u001e\\u0085.pdf",
    "b\u2028\u2029.pdf": "b\\u2028\\u2029.pdf",
    "c\u202e\u2066fdp.pdf": "c\\u202e\\u2066fdp.pdf",
    "d\u200e\u200b\ufeff\x1b[2K.pdf": "d\\u200e\\u200b\\ufeff\\u001b[2K.pdf",
}


def lines_of(output: str) -> list[str]:
    """The lines a terminal or a script sees: split on every line end Python knows."""
    return output.splitlines()


def test_names_in_a_catalogue_edited_by_hand_are_refused_and_shown_escaped(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    folder = archived(Path("archive"))
    catalogue = json.loads((folder / "catalogue.json").read_text(encoding="utf-8"))
    for name in NAMES:
        catalogue["issues"].append({"file": name, "sha256": sha(b"other"), "bytes": 5})
        (folder / name).write_bytes(A)  # on disk too, and not what the entry claims
    (folder / "catalogue.json").write_text(json.dumps(catalogue, ensure_ascii=False))
    expected = []
    for index, name in enumerate(NAMES, start=1):
        char = next(c for c in name if archive_files.unsafe_character(c))
        code = f"U+{ord(char):04X}"
        described = f"{code} {unicodedata.name(char, '')}".rstrip()
        expected.append(
            f"archive/catalogue.json: issues[{index}].file: {name!r}: holds an invisible or "
            f"control character ({described}); expected a file name in the archive folder, "
            "which never holds one"
        )
    assert expected[0] == (
        f"archive/catalogue.json: issues[1].file: 'x\\n{FORGED}.pdf': holds an invisible or "
        "control character (U+000A); expected a file name in the archive folder, which never "
        "holds one"
    )
    unlisted = sorted(NAMES)
    expected += [
        f"archive/{NAMES[name]}: unlisted: in the archive folder but not in catalogue.json"
        for name in unlisted
    ]
    checked = runner.invoke(app, ["archive", "--verify", "archive"])
    assert checked.exit_code == 1
    assert lines_of(checked.stdout) == expected
    assert all(FORGED not in line or "\\n" in line for line in lines_of(checked.output))

    with pytest.raises(CatalogueError) as error:
        store(folder, "new.pdf", A, {})
    assert error.value.lines() == expected[: len(NAMES)]
    assert not (folder / "new.pdf").exists()


def test_files_named_so_on_disk_are_shown_escaped_by_verify_and_archive(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    folder = archived(Path("archive"))
    for name in NAMES:
        (folder / name).write_bytes(A)
    undecodable = os.fsdecode(b"e\xff.pdf")  # not UTF-8: held as a surrogate
    (folder / undecodable).write_bytes(A)
    shown = {**NAMES, undecodable: "e\\xff.pdf"}  # a byte that is not UTF-8, as display_path
    unlisted = [
        f"archive/{shown[name]}: unlisted: in the archive folder but not in catalogue.json"
        for name in sorted(shown)
    ]
    checked = bulletin("archive", "--verify", "archive", cwd=tmp_path)
    assert (checked.returncode, lines_of(checked.stdout), checked.stderr) == (1, unlisted, "")

    result = store(folder, "other.pdf", A, {"cumulative": 1})
    notes = [line.replace(": unlisted: ", ": archive: ") for line in unlisted]
    assert [str(note) for note in result.notes] == notes


def test_a_name_with_a_control_character_is_not_archived(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for name, escaped in NAMES.items():
        with pytest.raises(BuildError) as error:
            store(Path("archive"), name, A, {})
        (line,) = error.value.lines()
        assert lines_of(line) == [line]
        assert line.startswith(f"archive/{escaped}: archive: the file name holds an invisible")
    assert not Path("archive").exists()


def test_archiving_lines_show_the_folder_escaped(tmp_path):
    folder = tmp_path / "a\nb\u202e"
    kept = folder / "x.replaced-0123456789ab.pdf"
    result = BuildResult(folder / NAME, 8, status="replaced", kept=kept, kind="archive")
    for line in (KIND.result_line(result), KIND.published_line(result)):
        (only,) = lines_of(line)
        assert only.count("a\\nb\\u202e") == 2
