"""The corpus of bad inputs: each gives exactly its expected lines on stderr and exit 1."""

from __future__ import annotations

import shutil

import pytest
from typer.testing import CliRunner

from bulletin.cli import app
from tests.corpus import CASES, Case

runner = CliRunner()


def test_the_corpus_is_large_enough():
    assert len(CASES) >= 100
    assert len({case.name for case in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_bad_input_gives_its_exact_lines(case: Case, issue_factory):
    for name, data in case.files.items():
        path = (issue_factory.dir / name).resolve()
        if data is None:
            shutil.rmtree(path) if path.is_dir() else path.unlink()
            continue
        issue_factory.write(name, data)
    for name, target in case.links.items():
        (issue_factory.root / name).symlink_to(issue_factory.root / target)
    arguments = ["check", *(["--strict"] if case.strict else []), case.check]
    result = runner.invoke(app, arguments)
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    assert result.stderr.splitlines() == case.expected
    assert "internal error" not in result.output
