"""Careless editors (issue 24): what the commands say when an editor slips, and do not do."""

from __future__ import annotations

from typer.testing import CliRunner

from bulletin.cli import app
from bulletin.content.loader import load_issue
from tests.conftest import ARTICLE, SEED

runner = CliRunner()


def run(*args, **options):
    return runner.invoke(app, [str(a) for a in args], prog_name="bulletin", **options)


def test_check_of_a_whole_content_folder_skips_what_is_no_issue(issue_factory, monkeypatch):
    monkeypatch.chdir(issue_factory.root)
    (issue_factory.root / "layouts").mkdir()
    result = run("check", "2024-08", "layouts", "publication.yaml")  # as `check *` gives
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "2024-08: ok, 1 article in 1 region",
        "layouts: skipped, not an issue folder (a folder without issue.yaml or articles/)",
        "publication.yaml: skipped, not an issue folder (the publication file)",
    ]
    alone = run("check", "publication.yaml")
    assert alone.exit_code == 1
    assert alone.stderr.splitlines() == [
        "publication.yaml: issue: the publication file, not an issue folder such as content/2024-08"
    ]


def test_a_second_new_refuses_to_leave_an_empty_issue_behind(issue_factory, monkeypatch):
    monkeypatch.chdir(issue_factory.root)
    assert run("new", ".").exit_code == 0
    again = run("new", ".")
    assert again.exit_code == 1
    assert again.stderr.splitlines() == [
        "2024-09: issue: the latest issue has no articles yet, and a new issue would leave it "
        "empty; write its articles first (copy 2024-09/articles/_example.md to 01.md), or "
        "remove 2024-09 if it was started by mistake"
    ]
    assert sorted(p.name for p in issue_factory.root.iterdir()) == [
        "2024-08",
        "2024-09",
        "publication.yaml",
    ]
    empty = run("check", "2024-09")
    assert empty.stderr.splitlines() == [
        "2024-09/articles: articles: no articles yet; copy 2024-09/articles/_example.md to "
        "2024-09/articles/01.md and write the article (files starting with _ are not printed), "
        "or remove 2024-09 if it was started by mistake"
    ]


def test_an_article_name_that_is_not_utf8_never_reaches_site_or_archive(
    issue_factory, tmp_path, monkeypatch
):
    monkeypatch.chdir(issue_factory.root)
    issue_factory.write("articles/\udcff.md", ARTICLE.replace("上海支持", "浙江支持"))
    line = (
        "2024-08/articles/\\xff.md: file: the file's name is not UTF-8 text (written in another "
        "encoding); rename it, e.g. 02.md"
    )
    for arguments in (
        ["check", "2024-08"],
        ["build", "2024-08", "-o", tmp_path / "out"],
        ["site", ".", "-o", tmp_path / "site"],
        ["archive", "2024-08", "--to", tmp_path / "archive"],
    ):
        result = run(*arguments)
        assert result.exit_code == 1, result.output
        assert "internal error" not in result.output
        assert line in result.stderr.splitlines(), arguments


def test_import_writes_the_publication_only_into_a_content_folder(tmp_path, monkeypatch):
    project = tmp_path / "project"
    (project / "content").mkdir(parents=True)
    (project / "pyproject.toml").write_text("", encoding="utf-8")
    monkeypatch.chdir(project)
    refused = run("import", SEED, "--out", "t2")
    assert refused.exit_code == 1
    assert refused.stderr.splitlines() == [
        "t2: out: . is not a content folder (no publication.yaml, and it holds other files), "
        "so the publication file is not written there; import into a folder of the content "
        "folder, e.g. --out content/t2, or name the file with --publication FILE.yaml"
    ]
    assert sorted(p.name for p in project.iterdir()) == ["content", "pyproject.toml"]
    assert run("import", SEED, "--out", "content/2024-08").exit_code == 0
    assert (project / "content" / "publication.yaml").is_file()
    named = run("import", SEED, "--out", "t3", "--publication", "content/publication.yaml")
    assert named.exit_code == 0, named.output  # the file named exists: not rewritten
    assert not (project / "publication.yaml").exists()


def test_init_comments_in_chinese_and_the_first_issue_still_checks(tmp_path):
    assert run("init", tmp_path / "kw").exit_code == 0
    publication = (tmp_path / "kw" / "publication.yaml").read_text(encoding="utf-8")
    comments = [line.partition("#")[2] for line in publication.splitlines() if "#" in line]
    assert comments and all(any("\u4e00" <= c <= "\u9fff" for c in text) for text in comments)
    issue = next((tmp_path / "kw").glob("20*"))
    article = (issue / "articles" / "01.md").read_text(encoding="utf-8")
    assert "# 一篇文章一个文件" in article
    assert len(load_issue(issue).content.articles) == 1


def test_doctor_speaks_chinese():
    result = run("--lang", "zh", "doctor")
    lines = result.stdout.splitlines()
    assert any(line.startswith("正常 印刷色彩配置 ") for line in lines), result.stdout
    assert not any(line.startswith("ok ") or "press profile" in line for line in lines)


def test_an_output_named_like_a_pdf_and_ending_in_a_slash_is_refused(issue_factory, tmp_path):
    for command in ("build", "watch"):
        result = run(command, issue_factory.dir, "-o", f"{tmp_path}/out.pdf/")
        assert result.exit_code == 2, result.output
        assert "(a folder named like a PDF)" in result.stderr.splitlines()[-1]
    assert not (tmp_path / "out.pdf").exists()
