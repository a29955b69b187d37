"""Adding a Word draft's articles to an issue: numbering, titles, pictures and the manifest."""

from __future__ import annotations

import os
import re
from pathlib import Path

import yaml

from ..content.loader import ARTICLES_DIR, ISSUE_FILE, article_files, display_path
from ..errors import ImportFormatError, Problem
from ..i18n import _
from .docx import article_markdown
from .issue_lock import import_lock
from .records import ImportedIssue
from .writer import dump_yaml, signals_held, staging

IMAGES_DIR = "images"
# Which files came from which draft, so `--replace` puts a draft again where it was.
MANIFEST = "drafts.yaml"
MANIFEST_HEADER = (
    "# Written by `bulletin import`: the articles and pictures each Word draft became.\n"
    "# `bulletin import DRAFT.docx --replace` uses it to import a draft again in place.\n"
)
NUMBER = re.compile(r"^(\d+)")
# The only names the manifest may list: nothing it says can reach outside the issue.
OWN_FILE = re.compile(r"(articles/\d+\.md|images/\d+-\d+\.(png|jpg|gif))")


def refuse(path, where: str, message: str) -> ImportFormatError:
    return ImportFormatError([Problem(display_path(Path(path)), None, where, message)])


def read_manifest(issue_dir: Path) -> dict[str, dict[str, list[str]]]:
    path = issue_dir / MANIFEST
    if not path.is_file():
        return {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (yaml.YAMLError, OSError, UnicodeDecodeError):
        raise refuse(path, "file", _("unreadable; delete it to import drafts afresh")) from None
    if not isinstance(data, dict):
        raise refuse(
            path,
            "file",
            _("expected draft names with their articles and images; delete it to start afresh"),
        )
    return {
        str(key): {
            kind: [str(item) for item in value.get(kind) or [] if OWN_FILE.fullmatch(str(item))]
            for kind in ("articles", "images")
        }
        for key, value in data.items()
        if isinstance(value, dict)
    }


def title_of(path: Path) -> str | None:
    """An article's title from its front matter; None when it cannot be read."""
    try:
        text = path.read_text(encoding="utf-8")
        front = text.split("\n---", 1)[0].removeprefix("---")
        data = yaml.safe_load(front)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None
    title = data.get("title") if isinstance(data, dict) else None
    return str(title).strip() if title is not None else None


def number_of(path: Path) -> int:
    match = NUMBER.match(path.name)
    return int(match[1]) if match else 0


def add_draft(
    draft: ImportedIssue, issue_dir: Path, source: Path, *, replace: bool = False
) -> list[Path]:
    """Add the draft's articles after the issue's last article (or, with `replace`, in place
    of what the same draft gave before). Returns the article files written, in the order of
    their numbers. One import into an issue at a time: another waits, or is refused."""
    issue_dir = Path(issue_dir)
    if not (issue_dir / ISSUE_FILE).is_file():
        raise refuse(
            issue_dir / ISSUE_FILE,
            "file",
            _("missing; start the issue with `bulletin new` first, then import the draft into it"),
        )
    with import_lock(issue_dir):
        return add_locked(draft, issue_dir, source, replace)


def add_locked(draft: ImportedIssue, issue_dir: Path, source: Path, replace: bool) -> list[Path]:
    """What add_draft does once it holds the issue's import lock."""
    key = Path(source).name
    manifest = read_manifest(issue_dir)
    before = manifest.get(key, {"articles": [], "images": []})
    if key in manifest and not replace:
        shown = ", ".join(before["articles"]) or _("no articles")
        raise refuse(
            source,
            "file",
            _("imported already as {files}; use --replace to import it again").format(files=shown),
        )
    replaced = {(issue_dir / name).resolve() for name in before["articles"]}
    kept = [p for p in article_files(issue_dir) if p.resolve() not in replaced]
    check_titles(draft, kept, source)

    reused = sorted(number_of(issue_dir / name) for name in before["articles"])
    last = max([number_of(p) for p in kept] + reused + [0])
    numbers = reused[: len(draft.articles)]
    numbers += range(last + 1, last + 1 + len(draft.articles) - len(numbers))
    planned = plan_files(draft, numbers, issue_dir, set(before["images"]))
    try:
        return commit(issue_dir, planned, manifest, key, before)
    except OSError as error:
        where = error.filename or issue_dir
        reason = _("cannot write: {reason}").format(reason=error.strerror or error)
        raise refuse(where, "file", reason) from None


def check_titles(draft: ImportedIssue, kept: list[Path], source: Path) -> None:
    """A title already in the issue (or twice in the draft) is refused, naming both files."""
    taken = {}
    for path in kept:
        if (title := title_of(path)) is not None:
            taken.setdefault(title, path)
    problems = []
    seen: set[str] = set()
    for article in draft.articles:
        if article.title in taken:
            message = _(
                "title {title} is already the title of {file}; an issue prints each article once"
            ).format(title=repr(article.title), file=display_path(taken[article.title]))
        elif article.title in seen:
            message = _("title twice in the draft; give each article its own title")
        else:
            seen.add(article.title)
            continue
        problems.append(Problem(display_path(Path(source)), None, article.where, message))
    if problems:
        raise ImportFormatError(problems)


def plan_files(
    draft: ImportedIssue, numbers: list[int], issue_dir: Path, own_images: set[str]
) -> dict[str, str | bytes]:
    """Relative path → content of every file the draft becomes."""
    planned: dict[str, str | bytes] = {}
    for article, number in zip(draft.articles, numbers, strict=True):
        names = []
        order = 0
        for kind, figure in article.blocks:
            if kind != "figure":
                continue
            order += 1
            name = f"{IMAGES_DIR}/{number:02d}-{order}.{figure.suffix}"
            while (issue_dir / name).exists() and name not in own_images:
                order += 1  # a picture someone saved there by hand stays
                name = f"{IMAGES_DIR}/{number:02d}-{order}.{figure.suffix}"
            planned[name] = figure.data
            names.append(name)
        planned[f"{ARTICLES_DIR}/{number:02d}.md"] = article_markdown(article, names)
    return planned


def commit(
    issue_dir: Path,
    planned: dict[str, str | bytes],
    manifest: dict,
    key: str,
    before: dict[str, list[str]],
) -> list[Path]:
    """Write everything into a temporary folder, then move it into place with Ctrl-C held, so
    an interrupted import leaves the issue as it was."""
    articles = sorted(
        (name for name in planned if name.startswith(ARTICLES_DIR + "/")),
        key=lambda name: (number_of(Path(name)), name),  # 99.md before 100.md
    )
    images = sorted(name for name in planned if name.startswith(IMAGES_DIR + "/"))
    manifest = {**manifest, key: {"articles": articles, "images": images}}
    with staging(issue_dir, "draft") as stage:
        for name, data in planned.items():
            target = stage / name
            target.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(data, str):
                target.write_text(data, encoding="utf-8")
            else:
                target.write_bytes(data)
        (stage / MANIFEST).write_text(MANIFEST_HEADER + dump_yaml(manifest), encoding="utf-8")
        obsolete = [
            issue_dir / name
            for name in before["articles"] + before["images"]
            if name not in planned
        ]
        with signals_held():
            for name in planned:
                (issue_dir / name).parent.mkdir(parents=True, exist_ok=True)
                os.replace(stage / name, issue_dir / name)
            for path in obsolete:
                path.unlink(missing_ok=True)
            os.replace(stage / MANIFEST, issue_dir / MANIFEST)
    return [issue_dir / name for name in articles]
