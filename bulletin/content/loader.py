"""Content files → validated records, every problem located by file, line and field."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel

from bulletin.content.characters import body_texts, describe, forbidden_characters
from bulletin.content.files import display_path, name_not_utf8, read_text
from bulletin.content.models import (
    Article,
    Issue,
    IssueContent,
    Publication,
    cross_record_problems,
)
from bulletin.content.resources import locate_file
from bulletin.content.validation import validate_record
from bulletin.content.yaml_reading import (
    FRONT_MATTER_FENCE,
    SourceText,
    Unfenced,
    field_name,
    parse_yaml,
    split_front_matter,
)
from bulletin.errors import ContentError, Problem
from bulletin.i18n import N_, _

__all__ = [
    "FRONT_MATTER_FENCE",
    "LoadedIssue",
    "SourceText",
    "display_path",
    "field_name",
    "load_issue",
    "read_text",
    "split_front_matter",
]

PUBLICATION_FILE = "publication.yaml"
ISSUE_FILE = "issue.yaml"
ARTICLES_DIR = "articles"
THE_ISSUE = N_("the issue folder")
THE_PUBLICATION = N_("the publication folder")
NAME_NOT_UTF8 = N_(
    "the file's name is not UTF-8 text (written in another encoding); rename it, e.g. 02.md"
)


@dataclass
class LoadedIssue:
    """A validated issue and the files it came from (for coverage checks and watching)."""

    content: IssueContent
    sources: list[SourceText]
    issue_dir: Path
    # The file of each article of `content.articles`, in the same order.
    article_sources: list[SourceText] = field(default_factory=list)


class FromLoadedIssue:
    """What a record made from a loaded issue reads through it: its content, its issue and
    its folder, so no caller reaches through `.loaded.content.issue`."""

    loaded: LoadedIssue

    @property
    def content(self) -> IssueContent:
        return self.loaded.content

    @property
    def issue(self) -> Issue:
        return self.loaded.content.issue

    @property
    def issue_dir(self) -> Path:
        return self.loaded.issue_dir


def admitted(path: Path, roots: list[Path], place: str, problems: list[Problem], what="file"):
    """Whether the loader may open `path` (the one file-origin policy); if not, say why."""
    _path, refused = locate_file(path, roots, place, "folder" if what == ARTICLES_DIR else "file")
    if refused:
        problems.append(Problem(display_path(path), None, what, refused))
    return not refused


def find_publication_file(issue_dir: Path) -> Path:
    """The issue's own publication file if it has one, else the one shared by its folder."""
    own = issue_dir / PUBLICATION_FILE
    # An absolute, normalised path: the parent of "." or "articles/.." (a build from inside
    # the issue folder) is the content folder; links are left for the file policy to resolve.
    return own if own.is_file() else Path(os.path.abspath(issue_dir)).parent / PUBLICATION_FILE


def load_yaml_record(
    path: Path,
    model: type[BaseModel],
    problems: list[Problem],
    sources: list,
    place: str = N_("its folder"),
    root: Path | None = None,
):
    """One YAML file as a validated record; it must lie in `root` (default: its folder)."""
    if not path.is_file():
        missing = _("missing; expected a YAML file")
        problems.append(Problem(display_path(path), None, "file", missing))
        return None
    if not admitted(path, [root or path.parent], place, problems):
        return None
    text = read_text(path, problems)
    if text is None:
        return None
    source = SourceText(path, text)
    sources.append(source)
    data = parse_yaml(source, text, 0, problems)
    return None if data is None else validate_record(model, data, source, problems)


def load_article(path: Path, problems: list[Problem], sources: list) -> Article | None:
    text = read_text(path, problems)
    if text is None:
        return None
    source = SourceText(path, text, first_line=1)
    sources.append(source)
    shown = display_path(path)
    try:
        front, body, body_line = split_front_matter(text)
    except Unfenced as unfenced:
        problems.append(Problem(shown, unfenced.line, "front matter", unfenced.message))
        return None
    data = parse_yaml(source, front, 1, problems, "front matter")
    texts = body_texts(body, body_line)
    source.texts.extend(texts)
    # Tab and newline are the body's own whitespace, typed or not.
    wrong = [
        Problem(shown, line, "body", describe(char))
        for line, written in texts
        for char in forbidden_characters(written, "\t\n")
    ]
    if data is None:
        problems.extend(wrong)
        return None
    if not isinstance(data, dict):
        return validate_record(Article, data, source, problems)
    if "body" in data:
        problems.append(
            Problem(
                shown,
                source.line_of(("body",)),
                "body",
                _("the body is the text after the front matter, not a field"),
            )
        )
        return None
    source.lines[("body",)] = body_line
    article = validate_record(Article, {**data, "body": body}, source, problems)
    problems.extend(wrong)
    return None if wrong else article


def article_files(issue_dir: Path, problems: list[Problem] | None = None) -> list[Path]:
    """The issue's articles in order; files starting with _ are examples or drafts, skipped.

    With `problems`, the articles folder and each article must lie inside the issue folder
    once links are resolved; those that do not are reported there and left out.
    """
    folder = issue_dir / ARTICLES_DIR
    if not folder.is_dir():
        return []
    roots = [issue_dir]
    if problems is not None and not admitted(folder, roots, THE_ISSUE, problems, ARTICLES_DIR):
        return []
    paths = sorted(p for p in folder.glob("*.md") if p.is_file() and not p.name.startswith("_"))
    if problems is None:
        return paths
    for path in paths:
        if name_not_utf8(path):
            problems.append(Problem(display_path(path), None, "file", _(NAME_NOT_UTF8)))
    paths = [path for path in paths if not name_not_utf8(path)]
    return [path for path in paths if admitted(path, roots, THE_ISSUE, problems)]


def _not_an_issue_folder(folder: Path) -> str | None:
    """What the folder is when it is plainly the content folder or an articles folder."""
    if (folder / ISSUE_FILE).exists():
        return None
    issues = sorted(p.name for p in folder.iterdir() if (p / ISSUE_FILE).is_file())
    if issues:
        return _(
            "the content folder, not an issue folder; give one of its issues, e.g. {example}"
        ).format(example=display_path(folder / issues[-1]))
    parent = Path(os.path.abspath(folder)).parent
    if folder.name == ARTICLES_DIR and (parent / ISSUE_FILE).is_file():
        return _("the articles of an issue; give the issue folder {issue}").format(
            issue=display_path(parent)
        )
    return None


def no_articles(issue_dir: Path) -> Problem:
    """An issue without articles: how to write the first, or (a `new` too many) remove it."""
    folder = issue_dir / ARTICLES_DIR
    examples = sorted(folder.glob("_*.md")) if folder.is_dir() else []
    if examples:
        message = _(
            "no articles yet; copy {example} to {first} and write the article (files "
            "starting with _ are not printed), or remove {issue} if it was started by mistake"
        ).format(
            example=display_path(examples[0]),
            first=display_path(folder / "01.md"),
            issue=display_path(issue_dir),
        )
    else:
        message = _("no articles; expected one or more .md files")
    return Problem(display_path(folder), None, "articles", message)


def not_an_issue(path: Path) -> str | None:
    """What an entry of a content folder is when it is plainly no issue (for `check
    content/*`): the publication file, another file, a folder with no issue in it."""
    if path.is_file():
        return _("the publication file") if path.name == PUBLICATION_FILE else _("a file")
    if path.is_dir() and not (path / ISSUE_FILE).exists() and not (path / ARTICLES_DIR).exists():
        return _("a folder without issue.yaml or articles/")
    return None


def issue_folder_problem(issue_dir: Path) -> Problem | None:
    """Why `issue_dir` is not an issue folder at all (missing, a file, another folder)."""
    if not issue_dir.is_dir():
        if issue_dir.name == PUBLICATION_FILE and issue_dir.is_file():
            wrong = _("the publication file, not an issue folder such as content/2024-08")
        elif issue_dir.exists():
            wrong = _("not a folder; expected an issue folder such as content/2024-08")
        else:
            wrong = _("no such folder; expected an issue folder such as content/2024-08")
        return Problem(display_path(issue_dir), None, "issue", wrong)
    if wrong_folder := _not_an_issue_folder(issue_dir):
        return Problem(display_path(issue_dir), None, "issue", wrong_folder)
    return None


def load_issue(issue_dir: Path) -> LoadedIssue:
    """Read and validate a whole issue; raise ContentError listing every problem found."""
    issue_dir = Path(issue_dir)
    problems: list[Problem] = []
    sources: list[SourceText] = []
    if wrong := issue_folder_problem(issue_dir):
        raise ContentError([wrong])
    publication_file = find_publication_file(issue_dir)
    shared = publication_file.parent != issue_dir
    publication = load_yaml_record(
        publication_file,
        Publication,
        problems,
        sources,
        THE_PUBLICATION if shared else THE_ISSUE,
        publication_file.parent,
    )
    issue = load_yaml_record(issue_dir / ISSUE_FILE, Issue, problems, sources, THE_ISSUE)
    refused = len(problems)
    paths = article_files(issue_dir, problems)
    if not paths and len(problems) == refused:
        problems.append(no_articles(issue_dir))
    loaded = [(path, load_article(path, problems, sources)) for path in paths]
    articles = [(path, article) for path, article in loaded if article is not None]

    records = [article for _, article in articles]
    names = [display_path(path) for path, _ in articles]
    by_path = {s.path: s for s in sources}
    for index, name, message in cross_record_problems(publication, issue, records, names):
        source = by_path[issue_dir / ISSUE_FILE if index is None else articles[index][0]]
        problems.append(Problem(display_path(source.path), source.line_of((name,)), name, message))

    if problems:
        raise ContentError(problems)
    if publication is None or issue is None:  # every path above records why; never reached
        unread = _("could not be read")
        raise ContentError([Problem(display_path(issue_dir), None, "issue", unread)])
    content = IssueContent(
        publication=publication, issue=issue, articles=tuple(a for _, a in articles)
    )
    return LoadedIssue(
        content=content,
        sources=sources,
        issue_dir=issue_dir,
        article_sources=[by_path[path] for path, _ in articles],
    )
