"""Adding drafts to an issue: numbering past 99, and one import into an issue at a time."""

from __future__ import annotations

import contextlib
import os
import threading

import pytest
from typer.testing import CliRunner

from bulletin.cli import app
from bulletin.content.loader import load_issue
from bulletin.errors import ImportFormatError
from bulletin.importers import adding, issue_lock
from bulletin.importers.docx import read_draft
from bulletin.operations.importing import import_source
from tests.docx_factory import many_articles

runner = CliRunner()


def run(*args):
    return runner.invoke(app, [str(a) for a in args], prog_name="bulletin")


@pytest.fixture
def issue(issue_factory):
    assert run("new", issue_factory.root).exit_code == 0
    return issue_factory.root / "2024-09"


def test_a_hundred_and_one_articles_are_counted_and_named_by_number(issue, tmp_path):
    draft = many_articles(tmp_path / "big.docx", 101)
    result = run("import", draft, "--out", issue)
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == f"{issue}: 101 articles from {draft} (01.md–101.md)"
    names = {path.name for path in (issue / "articles").glob("[0-9]*.md")}
    assert {"01.md", "99.md", "100.md", "101.md"} <= names and len(names) == 101
    assert adding.read_manifest(issue)["big.docx"]["articles"][-2:] == [
        "articles/100.md",
        "articles/101.md",
    ]


def test_two_imports_into_one_issue_at_once_both_keep_their_articles(issue, tmp_path, monkeypatch):
    """Both read the issue before either writes (without the lock they take the same
    numbers, and each removes the other's work folder); with it the second waits."""
    drafts = [many_articles(tmp_path / f"{name}.docx", 3, prefix=name) for name in ("甲稿", "乙稿")]
    both_planned = threading.Barrier(2)
    plan = adding.plan_files

    def planned_together(*args, **kwargs):
        # The second never comes while the first holds the lock: the wait times out.
        with contextlib.suppress(threading.BrokenBarrierError):
            both_planned.wait(timeout=2)
        return plan(*args, **kwargs)

    monkeypatch.setattr(adding, "plan_files", planned_together)
    outcomes: dict[str, object] = {}

    def one(draft):
        try:
            outcomes[draft.name] = import_source(draft, issue)
        except Exception as error:  # the test reports whatever happened
            outcomes[draft.name] = error

    threads = [threading.Thread(target=one, args=(draft,)) for draft in drafts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(not isinstance(outcome, Exception) for outcome in outcomes.values()), outcomes
    titles = sorted(article.title for article in load_issue(issue).content.articles)
    assert titles == sorted(f"{name}第{n}篇" for name in ("甲稿", "乙稿") for n in (1, 2, 3))
    assert sorted(adding.read_manifest(issue)) == ["乙稿.docx", "甲稿.docx"]
    assert [p.name for p in issue.iterdir() if p.name.startswith(".")] == []


def test_an_import_while_another_holds_the_issue_is_refused_in_one_line(
    issue, tmp_path, monkeypatch
):
    draft = many_articles(tmp_path / "late.docx", 2)
    monkeypatch.setattr(issue_lock, "WAIT_SECONDS", 0)
    with issue_lock.import_lock(issue), pytest.raises(ImportFormatError) as refused:
        adding.add_draft(read_draft(draft), issue, draft)
    assert str(refused.value) == (
        "2024-09/.import.lock: file: another import into this issue is running; try again when "
        "it has finished"
    )
    assert list((issue / "articles").glob("[0-9]*.md")) == []
    assert run("import", draft, "--out", issue).exit_code == 0  # once it is free, it goes in


@pytest.mark.parametrize("kind", ["symbolic link", "named pipe"])
def test_a_lock_that_is_not_a_regular_file_is_refused(issue, tmp_path, kind):
    lock = issue / issue_lock.LOCK_FILE
    if kind == "symbolic link":
        target = tmp_path / "elsewhere"
        lock.symlink_to(target)
    else:
        os.mkfifo(lock)
    result = run("import", many_articles(tmp_path / "d.docx", 1), "--out", issue)
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        f"2024-09/.import.lock: file: is a {kind}; imports lock the issue with a regular file "
        "there: remove it"
    )
    if kind == "symbolic link":
        assert not target.exists()  # nothing was made where the link points
