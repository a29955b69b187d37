"""Corrections after archiving: every version with its dates and reason, withdrawals, and
catalogues written before versions were numbered."""

from __future__ import annotations

import errno
import json
from pathlib import Path

import pytest

from bulletin.errors import BuildError
from bulletin.operations.archive import archive
from bulletin.outputs.archive import store, verify, withdraw
from bulletin.outputs.catalogue import LOCK, kept_name
from tests.conftest import SAMPLE_ISSUE
from tests.outputs.test_archive import ENTRY, NAME, A, B, Crash, catalogue_of, cli, sha

EPOCH = 1_700_000_000  # 2023-11-14T22:13:20Z


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file of an archive folder and of its withdrawn/ but the lock, with its bytes."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != LOCK
    }


@pytest.fixture
def at(monkeypatch):
    """Sets the moment archiving records, as SOURCE_DATE_EPOCH does."""

    def moment(day: int) -> None:
        monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EPOCH + day * 86_400))

    moment(0)
    return moment


def test_a_correction_needs_a_reason_and_a_reason_needs_replace(tmp_path):
    folder = tmp_path / "archive"
    without = cli("archive", SAMPLE_ISSUE, "--to", folder, "--replace")
    assert without.exit_code == 2
    assert '--replace needs --reason "…": say why the archived copy is corrected' in without.output
    blank = cli("archive", SAMPLE_ISSUE, "--to", folder, "--replace", "--reason", "  ")
    assert blank.exit_code == 2 and "--replace needs --reason" in blank.output
    alone = cli("archive", SAMPLE_ISSUE, "--to", folder, "--reason", "why")
    assert alone.exit_code == 2 and "--reason goes with --replace" in alone.output
    for args in (["--replace"], ["--reason", "why"]):
        published = cli("publish", SAMPLE_ISSUE, "-o", tmp_path / "out", *args)
        assert published.exit_code == 2 and "give --archive DIR" in published.output
    bare = cli("publish", SAMPLE_ISSUE, "-o", tmp_path / "out", "--archive", folder, "--replace")
    assert bare.exit_code == 2 and "--replace needs --reason" in bare.output
    with pytest.raises(BuildError) as refused:
        archive([SAMPLE_ISSUE], folder, replace=True)
    assert "--replace needs --reason" in refused.value.lines()[0]
    assert not folder.exists()


def test_every_version_keeps_its_dates_reason_and_hash(tmp_path, at):
    folder = tmp_path / "archive"
    store(folder, NAME, A, ENTRY)
    at(1)
    store(folder, NAME, B, ENTRY, replace=True, reason="第 3 篇标题有误")
    at(2)
    store(folder, NAME, A, ENTRY, replace=True, reason="撤回更正")
    catalogue = catalogue_of(folder)
    assert catalogue["format"] == 2
    (entry,) = catalogue["issues"]
    versions = [
        (v["version"], v["sha256"], v["archived_at"], v.get("replaced_at"), v["reason"])
        for v in [*entry["replaced"], entry]
    ]
    assert versions == [
        (1, sha(A), "2023-11-14T22:13:20Z", "2023-11-15T22:13:20Z", None),
        (2, sha(B), "2023-11-15T22:13:20Z", "2023-11-16T22:13:20Z", "第 3 篇标题有误"),
        (3, sha(A), "2023-11-16T22:13:20Z", None, "撤回更正"),
    ]
    assert [v["archived_on"] for v in [*entry["replaced"], entry]] == [
        "2023-11-14",
        "2023-11-15",
        "2023-11-16",
    ]
    assert verify(folder).findings == []

    (folder / kept_name(NAME, sha(B))).write_bytes(A)  # a version's file changed by hand
    (finding,) = verify(folder).findings
    assert finding.field == "changed" and "(issues[0].replaced[1])" in finding.message


def test_without_source_date_epoch_the_time_is_now_in_utc(tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    store(tmp_path, NAME, A, ENTRY)
    (entry,) = catalogue_of(tmp_path)["issues"]
    assert entry["archived_at"].endswith("Z") and len(entry["archived_at"]) == 20
    assert entry["archived_on"] == entry["archived_at"][:10]


def withdrawn_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "archive"
    store(folder, NAME, A, ENTRY)
    store(folder, NAME, B, ENTRY, replace=True, reason="更正")
    store(folder, "other.pdf", A, {"issue": "2024-09", "cumulative": 283})
    return folder


def test_withdrawing_moves_the_files_aside_and_verify_still_checks_them(tmp_path, at):
    folder = withdrawn_folder(tmp_path)
    refused = cli("archive", "--withdraw", "2024-08", "--to", folder)
    assert refused.exit_code == 2 and '--withdraw needs --reason "…"' in refused.output
    unknown = cli("archive", "--withdraw", "2030-01", "--to", folder, "--reason", "误存")
    assert unknown.exit_code == 1 and "no such issue in catalogue.json" in unknown.stderr
    at(5)
    done = cli("archive", "--withdraw", "content/2024-08", "--to", folder, "--reason", "误存")
    assert done.exit_code == 0, done.output
    assert done.stdout == f"{folder}/withdrawn/{NAME}: withdrawn, the catalogue records why\n"
    kept = kept_name(NAME, sha(A))
    assert sorted(snapshot(folder)) == [
        "catalogue.json",
        "other.pdf",
        f"withdrawn/{NAME}",
        f"withdrawn/{kept}",
    ]
    catalogue = catalogue_of(folder)
    assert [i["file"] for i in catalogue["issues"]] == ["other.pdf"]
    (gone,) = catalogue["withdrawn"]
    assert (gone["file"], gone["sha256"], gone["reason"]) == (NAME, sha(B), "更正")
    assert (gone["withdrawn_at"], gone["withdrawn_reason"]) == ("2023-11-19T22:13:20Z", "误存")
    assert [(old["file"], old["sha256"]) for old in gone["replaced"]] == [(kept, sha(A))]

    checked = cli("archive", "--verify", folder)
    assert checked.exit_code == 0, checked.output
    assert checked.stdout.splitlines() == [
        f"{folder}/withdrawn/{NAME}: withdrawn 2023-11-19T22:13:20Z: 误存",
        f"{folder}: 3 files match catalogue.json (1 issue, 1 replaced copy, 1 withdrawn): "
        "all intact",
    ]
    (folder / "withdrawn" / NAME).write_bytes(A)
    checked = cli("archive", "--verify", folder)
    assert checked.exit_code == 1
    assert f"{folder}/withdrawn/{NAME}: changed: sha256 {sha(A)[:12]}…" in checked.stdout
    assert "(withdrawn[0])" in checked.stdout
    (folder / "withdrawn" / NAME).unlink()
    checked = cli("archive", "--verify", folder)
    assert f"{folder}/withdrawn/{NAME}: missing: not in the folder" in checked.stdout

    # The name is free again: the issue can be archived anew, and withdrawn again.
    (folder / "withdrawn" / NAME).write_bytes(B)
    assert store(folder, NAME, A, ENTRY).status == "archived"
    result = withdraw(folder, NAME, "又误存")
    assert result.path == folder / "withdrawn" / f"bri-2024-08-282.withdrawn-{sha(A)[:12]}.pdf"
    assert verify(folder).findings == []
    assert len(catalogue_of(folder)["withdrawn"]) == 2


@pytest.mark.parametrize("error", ["disk full", "Ctrl-C"])
def test_a_crash_while_withdrawing_is_finished_by_the_next_run(error, tmp_path, monkeypatch, at):
    monkeypatch.setattr("os.fsync", lambda descriptor: None)
    reference = withdrawn_folder(tmp_path / "reference")
    old = snapshot(reference)
    withdraw(reference, "2024-08", "误存")
    new = snapshot(reference)
    step = 0
    while True:
        step += 1
        folder = withdrawn_folder(tmp_path / f"step-{step}")
        failure = (
            OSError(errno.ENOSPC, "No space left on device")
            if error == "disk full"
            else KeyboardInterrupt()
        )
        with monkeypatch.context() as patch:
            crash = Crash(patch, step, failure)
            try:
                withdraw(folder, "2024-08", "误存")
            except (BuildError, KeyboardInterrupt) as raised:
                if isinstance(raised, BuildError):
                    assert len(raised.lines()) == 1, raised.lines()
        if crash.calls < step:
            break
        after = snapshot(folder)
        if "pending" in json.loads(after["catalogue.json"]):
            assert [f.field for f in verify(folder).findings] == ["pending"]
            result = store(folder, "other.pdf", A, {"issue": "2024-09", "cumulative": 283})
            assert [n.message for n in result.notes] == [
                "completed a withdrawal that was interrupted"
            ]
        elif after != new:  # killed before the commit point, or after the last write
            assert after == old, f"step {step}"
            withdraw(folder, "2024-08", "误存")
        assert snapshot(folder) == new, f"step {step}"
        assert verify(folder).findings == []
    assert step > 3


def test_a_catalogue_without_versions_reads_verifies_and_is_upgraded(tmp_path, at):
    folder = tmp_path / "archive"
    folder.mkdir()
    kept = kept_name(NAME, sha(A))
    (folder / kept).write_bytes(A)
    (folder / NAME).write_bytes(B)
    old = {"file": kept, "sha256": sha(A), "bytes": len(A), "replaced_on": "2024-05-01"}
    entry = {**ENTRY, "archived_on": "2024-05-01", "file": NAME, "sha256": sha(B)}
    entry |= {"bytes": len(B), "replaced": [old]}
    (folder / "catalogue.json").write_text(json.dumps({"format": 1, "issues": [entry]}))
    fixity = verify(folder)
    assert (fixity.findings, fixity.files, fixity.kept) == ([], 2, 1)

    store(folder, NAME, A, ENTRY, replace=True, reason="补正")
    catalogue = catalogue_of(folder)
    assert catalogue["format"] == 2
    (upgraded,) = catalogue["issues"]
    history = upgraded["replaced"]
    assert [(v["version"], v.get("archived_on"), v.get("reason")) for v in history] == [
        (1, None, None),
        (2, "2024-05-01", None),
    ]
    assert (upgraded["version"], upgraded["reason"]) == (3, "补正")
    assert history[0] == {**old, "version": 1}  # the old record as it was, numbered
    assert verify(folder).findings == []
