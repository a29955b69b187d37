"""Content files → validated records, every problem located by file, line and field."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from difflib import get_close_matches
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from bulletin.content.characters import body_texts, describe, forbidden_characters
from bulletin.content.models import (
    URL_FIELDS,
    Article,
    Issue,
    IssueContent,
    Publication,
    cross_record_problems,
)
from bulletin.content.resources import locate_file
from bulletin.content.yaml_reading import (
    FRONT_MATTER_FENCE,
    Path_,
    SourceText,
    Unfenced,
    display_path,
    field_name,
    parse_yaml,
    read_text,
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


@dataclass
class LoadedIssue:
    """A validated issue and the files it came from (for coverage checks and watching)."""

    content: IssueContent
    sources: list[SourceText]
    issue_dir: Path
    # The file of each article of `content.articles`, in the same order.
    article_sources: list[SourceText] = field(default_factory=list)


_FIELD_MESSAGES = {
    "missing": N_("required; expected a value"),
    "extra_forbidden": N_("unknown field"),
    "string_too_short": N_("must not be empty"),
    "string_too_long": N_("too long"),
    "too_short": N_("must not be empty"),
    "string_type": N_("expected text"),
    "list_type": N_("expected a list"),
    "dict_type": N_("expected a mapping of fields"),
    "model_type": N_("expected a mapping of fields"),
    "int_type": N_("expected a whole number"),
    "int_parsing": N_("expected a whole number"),
    "int_from_float": N_("expected a whole number"),
    "date_type": N_("expected a date written YYYY-MM-DD"),
    "date_from_datetime_parsing": N_("expected a date written YYYY-MM-DD"),
    "date_parsing": N_("expected a date written YYYY-MM-DD"),
}
# Fields whose value must match a pattern, and the pattern in words.
_PATTERNS = {
    "slug": N_("expected small letters, digits and hyphens, such as bri"),
    "layout": N_(
        "expected the name of a layout folder (letters, digits, _ and -), such as default"
    ),
    "phone": N_("expected a number of at least 5 digits, spaces, +, ( ) and -"),
    "fax": N_("expected a number of at least 5 digits, spaces, +, ( ) and -"),
}
_BOUNDS = {
    "greater_than": N_("expected a number greater than {bound}, got {value}"),
    "greater_than_equal": N_("expected a number at least {bound}, got {value}"),
    "less_than": N_("expected a number less than {bound}, got {value}"),
    "less_than_equal": N_("expected a number at most {bound}, got {value}"),
}


def describe_error(error: dict[str, Any], model: type[BaseModel]) -> str:
    """One pydantic error → what was expected, in words an editor can act on."""
    kind = error["type"]
    given = error.get("input")
    context = error.get("ctx") or {}
    if kind == "extra_forbidden":
        known = ", ".join(model.model_fields)
        given_name = str(error["loc"][-1]) if error["loc"] else ""
        if close := get_close_matches(given_name, list(model.model_fields), n=1):
            return _("unknown field; did you mean {name}? expected one of: {fields}").format(
                name=close[0], fields=known
            )
        return _("unknown field; expected one of: {fields}").format(fields=known)
    if kind in _BOUNDS:
        bound = next(iter(context.values()))
        return _(_BOUNDS[kind]).format(bound=bound, value=given)
    if kind == "string_pattern_mismatch":
        field = error["loc"][-1] if error["loc"] else None
        expected = _(_PATTERNS[field]) if field in _PATTERNS else _("expected other text")
        return _("unexpected value {value}; {expected}").format(
            value=repr(given), expected=expected
        )
    if kind == "value_error":
        return str(context.get("error", error["msg"]))
    if kind in ("string_type", "string_too_short") and given in (None, ""):
        return _("must not be empty")
    if kind == "string_too_long":
        length, limit = len(str(given).strip()), context["max_length"]
        if error["loc"] and error["loc"][-1] in URL_FIELDS:
            return _(
                "an address of {length} characters; expected at most {limit} (check for a "
                "paste gone wrong)"
            ).format(length=length, limit=limit)
        return _(
            "{length} characters; expected at most {limit} (split it, or check for a paste "
            "gone wrong)"
        ).format(length=length, limit=limit)
    if kind == "too_long":
        return _("{count} entries; expected at most {limit}").format(
            count=context["actual_length"], limit=context["max_length"]
        )
    if kind not in _FIELD_MESSAGES:
        return _("not a usable value here: {value}").format(value=repr(given))
    message = _(_FIELD_MESSAGES[kind])
    if kind in ("int_parsing", "date_parsing", "date_from_datetime_parsing", "int_from_float"):
        message = _("{expected}, got {value}").format(expected=message, value=repr(given))
    return message


def _bracket_hint(source: SourceText, line: int, location: Path_) -> str | None:
    """A text field written [like this] is read as a list: say to quote it."""
    key = location[-1] if location and isinstance(location[-1], str) else None
    written = source.line_text(line)
    if key is None or not written.startswith(f"{key}:"):
        return None
    value = written[len(key) + 1 :].strip()
    if not value.startswith(("[", "{")):
        return None
    quoted = '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if value[0] == "[":
        message = _(
            'a value starting with a bracket "{bracket}" is read as a list; put the whole '
            "value in quotes: {fix}"
        )
    else:
        message = _(
            'a value starting with a bracket "{bracket}" is read as a set of fields; put the '
            "whole value in quotes: {fix}"
        )
    return message.format(bracket=value[0], fix=f"{key}: {quoted}")


def validate_record(
    model: type[BaseModel], data: Any, source: SourceText, problems: list[Problem]
) -> Any:
    """Validate one record, turning each pydantic error into a located Problem."""
    if not isinstance(data, dict):
        problems.append(
            Problem(
                display_path(source.path),
                source.first_line,
                "record",
                _("expected a mapping of fields (key: value lines)"),
            )
        )
        return None
    try:
        return model.model_validate(data)
    except ValidationError as error:
        for item in error.errors():
            location = tuple(item["loc"])
            line = source.line_of(location)
            message = describe_error(item, model)
            if item["type"] == "string_type" and isinstance(item.get("input"), (list, dict)):
                message = _bracket_hint(source, line, location) or message
            problems.append(Problem(display_path(source.path), line, field_name(location), message))
        return None


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


def issue_folder_problem(issue_dir: Path) -> Problem | None:
    """Why `issue_dir` is not an issue folder at all (missing, a file, another folder)."""
    if not issue_dir.is_dir():
        if issue_dir.exists():
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
        problems.append(
            Problem(
                display_path(issue_dir / ARTICLES_DIR),
                None,
                "articles",
                _("no articles; expected one or more .md files"),
            )
        )
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
