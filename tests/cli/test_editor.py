"""The editor's loop: the next issue, numbering between issues, many issues at once."""

from __future__ import annotations

import datetime as dt

import yaml
from typer.testing import CliRunner

from bulletin.cli import app
from bulletin.content.loader import load_issue
from bulletin.content.models import Issue
from bulletin.content.numbering import next_numbers

runner = CliRunner()


def run(*args):
    return runner.invoke(app, [str(a) for a in args], prog_name="bulletin")


def issue_yaml(folder, year, number, cumulative, date):
    (folder / "articles").mkdir(parents=True, exist_ok=True)
    (folder / "issue.yaml").write_text(
        f"year: {year}\nnumber: {number}\ncumulative: {cumulative}\nprint_date: {date}\n",
        encoding="utf-8",
    )


def copy_article(issue_factory, folder):
    """The factory issue's valid article, as the article of another issue folder."""
    article = (issue_factory.dir / "articles" / "01.md").read_text(encoding="utf-8")
    (folder / "articles" / "01.md").write_text(article, encoding="utf-8")


def test_new_issue_follows_the_latest(issue_factory):
    result = run("new", issue_factory.root)
    assert result.exit_code == 0, result.output
    folder = issue_factory.root / "2024-09"
    assert result.stdout.startswith(f"{folder}: new issue")
    values = yaml.safe_load((folder / "issue.yaml").read_text(encoding="utf-8"))
    assert values == {
        "year": 2024,
        "number": 9,
        "cumulative": 283,
        "print_date": dt.date(2024, 5, 9),
    }
    example = folder / "articles" / "_example.md"
    assert "region:" in example.read_text(encoding="utf-8")
    # the example is not an article until it is copied to a numbered file
    check = run("check", folder)
    assert check.exit_code == 1
    assert "no articles" in check.stderr
    (folder / "articles" / "01.md").write_text(
        example.read_text(encoding="utf-8"), encoding="utf-8"
    )
    assert run("check", folder).exit_code == 0
    assert len(load_issue(folder).content.articles) == 1


def test_new_issue_interval_comes_from_the_publication(issue_factory):
    publication = issue_factory.root / "publication.yaml"
    publication.write_text(
        publication.read_text(encoding="utf-8") + "interval_days: 7\n", encoding="utf-8"
    )
    assert run("new", issue_factory.root).exit_code == 0
    values = yaml.safe_load((issue_factory.root / "2024-09" / "issue.yaml").read_text())
    assert values["print_date"] == dt.date(2024, 5, 2)


def test_number_restarts_in_a_new_year():
    last = Issue(year=2024, number=26, cumulative=300, print_date=dt.date(2024, 12, 26))
    after = next_numbers(last, 14)
    assert (after.year, after.number, after.cumulative, after.print_date) == (
        2025,
        1,
        301,
        dt.date(2025, 1, 9),
    )


def test_new_refuses_to_overwrite_and_needs_an_issue(issue_factory, tmp_path):
    assert run("new", issue_factory.root).exit_code == 0
    (issue_factory.root / "2024-09" / "issue.yaml").unlink()  # now 2024-08 is latest again
    again = run("new", issue_factory.root)
    assert again.exit_code == 1
    assert again.stderr.strip() == "2024-09: issue: already exists; not overwritten"
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "publication.yaml").write_text(
        (issue_factory.root / "publication.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    none = run("new", empty)
    assert none.exit_code == 1
    assert "no issue to follow" in none.stderr


def test_check_reports_a_numbering_gap_naming_both_folders(issue_factory):
    later = issue_factory.root / "2024-09"
    issue_yaml(later, 2024, 9, 284, "2024-05-09")
    copy_article(issue_factory, later)
    result = run("check", later)
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "2024-09/issue.yaml:3: cumulative: 2024 年第 9 期, 总第 284 期 does not follow 2024-08 "
        "(2024 年第 8 期, 总第 282 期); expected 第 9 期, 总第 283 期"
    )


def test_check_reports_a_repeated_number(issue_factory):
    twin = issue_factory.root / "2024-08b"
    issue_yaml(twin, 2024, 8, 282, "2024-04-25")
    copy_article(issue_factory, twin)
    result = run("check", twin)
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert "2024-08b/issue.yaml:3: cumulative: 总第 282 期 is also 2024-08" in lines
    assert "2024-08b/issue.yaml:2: number: 2024 年第 8 期 is also 2024-08" in lines


def test_batch_builds_in_parallel_and_reports_the_broken_one(issue_factory, tmp_path):
    later = issue_factory.root / "2024-09"
    issue_yaml(later, 2024, 9, 283, "2024-05-09")
    (later / "articles" / "01.md").write_text("---\nregion: 西藏\n---\n", encoding="utf-8")
    third = issue_factory.root / "2024-10"
    issue_yaml(third, 2024, 10, 284, "2024-05-23")
    copy_article(issue_factory, third)
    out = tmp_path / "pdfs"
    result = run("build", issue_factory.dir, later, third, "-o", out, "--jobs", "2")
    assert result.exit_code == 1
    assert sorted(p.name for p in out.iterdir()) == ["bri-2024-08-282.pdf", "bri-2024-10-284.pdf"]
    assert "2024-09/articles/01.md:2: title: required; expected a value" in result.stderr
    summary = result.stdout.splitlines()[-1]
    assert summary.startswith("2 issues built, 8 pages, ")
    assert summary.endswith("(2 workers), 1 failed")


def test_several_e_editions_go_into_their_own_folders(issue_factory, tmp_path):
    later = issue_factory.root / "2024-09"
    issue_yaml(later, 2024, 9, 283, "2024-05-09")
    copy_article(issue_factory, later)
    site = tmp_path / "site"
    result = run("build", issue_factory.dir, later, "--web", "-o", site, "--jobs", "1")
    assert result.exit_code == 0, result.output
    for name in ("bri-2024-08-282-web", "bri-2024-09-283-web"):
        assert (site / name / "index.html").is_file()
        assert (site / name / "assets" / "web.css").is_file()
    assert result.stdout.splitlines()[-1].startswith("2 e-editions written, ")
