"""Content files → validated records, every problem located by file, line and field."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from ..errors import ContentError, Problem
from .models import Article, Issue, IssueContent, Publication, cross_record_problems

PUBLICATION_FILE = "publication.yaml"
ISSUE_FILE = "issue.yaml"
ARTICLES_DIR = "articles"
FRONT_MATTER_FENCE = "---"

Path_ = tuple[str | int, ...]


@dataclass
class SourceText:
    """One content file as read: its path for messages, its text, and value positions."""

    path: Path
    text: str
    lines: dict[Path_, int] = field(default_factory=dict)
    first_line: int = 1

    def line_of(self, location: Path_) -> int:
        """Line of the deepest known part of a value's path, else the record's first line."""
        for end in range(len(location), -1, -1):
            if location[:end] in self.lines:
                return self.lines[location[:end]]
        return self.first_line


@dataclass
class LoadedIssue:
    """A validated issue and the files it came from (for coverage checks and watching)."""

    content: IssueContent
    sources: list[SourceText]
    issue_dir: Path
    # The file of each article of `content.articles`, in the same order.
    article_sources: list[SourceText] = field(default_factory=list)


def display_path(path: Path) -> str:
    """Path as the user will recognise it: relative to the working folder when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def read_text(path: Path, problems: list[Problem]) -> str | None:
    """UTF-8 text with CRLF normalised; an unreadable or non-UTF-8 file becomes a problem."""
    try:
        data = path.read_bytes()
    except OSError as error:
        problems.append(Problem(display_path(path), None, "file", f"cannot read: {error.strerror}"))
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        problems.append(
            Problem(
                display_path(path),
                line,
                "file",
                f"not UTF-8 text (byte 0x{data[error.start]:02X}); save the file as UTF-8",
            )
        )
        return None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        problems.append(Problem(display_path(path), line, "file", "binary data; expected text"))
        return None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def parse_yaml(source: SourceText, text: str, line_offset: int, problems: list[Problem]) -> Any:
    """YAML → plain values (scalars stay strings), recording the line of every key and item."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        line = mark.line + 1 + line_offset if mark else None
        column = f", column {mark.column + 1}" if mark else ""
        reason = getattr(error, "problem", None) or str(error).splitlines()[0]
        problems.append(
            Problem(display_path(source.path), line, "yaml", f"malformed YAML{column}: {reason}")
        )
        return None
    if node is None or (isinstance(node, yaml.ScalarNode) and node.tag.endswith(":null")):
        return {}  # an empty document: every required field is then reported missing
    try:
        return _plain(node, (), source, line_offset, set())
    except _AliasFound as found:
        problems.append(
            Problem(
                display_path(source.path),
                found.line,
                "yaml",
                "anchors and aliases (&name, *name) are not used in content files; "
                "write the value out",
            )
        )
        return None


class _AliasFound(Exception):
    def __init__(self, line: int):
        self.line = line


def _plain(
    node: yaml.Node, location: Path_, source: SourceText, offset: int, seen: set[int]
) -> Any:
    # An alias is the same node met twice; expanding them can grow exponentially.
    if id(node) in seen:
        raise _AliasFound(node.start_mark.line + 1 + offset)
    seen.add(id(node))
    source.lines.setdefault(location, node.start_mark.line + 1 + offset)
    if isinstance(node, yaml.MappingNode):
        mapping: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value)
            source.lines[(*location, key)] = key_node.start_mark.line + 1 + offset
            mapping[key] = _plain(value_node, (*location, key), source, offset, seen)
        return mapping
    if isinstance(node, yaml.SequenceNode):
        return [
            _plain(item, (*location, index), source, offset, seen)
            for index, item in enumerate(node.value)
        ]
    if node.tag.endswith(":null"):
        return None
    return node.value


def split_front_matter(text: str) -> tuple[str, str, int] | None:
    """(front matter, body, line where the body starts) or None when there is no front matter."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != FRONT_MATTER_FENCE:
        return None
    for index in range(1, len(lines)):
        if lines[index].strip() == FRONT_MATTER_FENCE:
            return "\n".join(lines[1:index]), "\n".join(lines[index + 1 :]), index + 2
    return None


_FIELD_MESSAGES = {
    "missing": "required; expected a value",
    "extra_forbidden": "unknown field",
    "string_too_short": "must not be empty",
    "string_too_long": "too long",
    "too_short": "must not be empty",
    "string_type": "expected text",
    "list_type": "expected a list",
    "dict_type": "expected a mapping of fields",
    "model_type": "expected a mapping of fields",
    "int_parsing": "expected a whole number",
    "int_from_float": "expected a whole number",
    "date_from_datetime_parsing": "expected a date written YYYY-MM-DD",
    "date_parsing": "expected a date written YYYY-MM-DD",
}


def describe_error(error: dict[str, Any], model: type[BaseModel]) -> str:
    """One pydantic error → what was expected, in words an editor can act on."""
    kind = error["type"]
    given = error.get("input")
    context = error.get("ctx") or {}
    if kind == "extra_forbidden":
        known = ", ".join(model.model_fields)
        return f"unknown field; expected one of: {known}"
    if kind in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
        bound = next(iter(context.values()))
        words = {
            "greater_than": "greater than",
            "greater_than_equal": "at least",
            "less_than": "less than",
            "less_than_equal": "at most",
        }[kind]
        return f"expected a number {words} {bound}, got {given}"
    if kind == "string_pattern_mismatch":
        return f"unexpected value {given!r}; expected text matching {context['pattern']}"
    if kind == "value_error":
        return str(context.get("error", error["msg"]))
    if kind in ("string_type", "string_too_short") and given in (None, ""):
        return "must not be empty"
    if kind == "string_too_long":
        return (
            f"{len(str(given).strip())} characters; expected at most {context['max_length']} "
            "(split it, or check for a paste gone wrong)"
        )
    message = _FIELD_MESSAGES.get(kind, error["msg"][:1].lower() + error["msg"][1:])
    if kind in ("int_parsing", "date_parsing", "date_from_datetime_parsing", "int_from_float"):
        message += f", got {given!r}"
    return message


def field_name(location: Path_) -> str:
    """('sponsors', 0) → 'sponsors[0]'."""
    name = ""
    for part in location:
        name += f"[{part}]" if isinstance(part, int) else (f".{part}" if name else part)
    return name or "record"


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
                "expected a mapping of fields (key: value lines)",
            )
        )
        return None
    try:
        return model.model_validate(data)
    except ValidationError as error:
        for item in error.errors():
            location = tuple(item["loc"])
            problems.append(
                Problem(
                    display_path(source.path),
                    source.line_of(location),
                    field_name(location),
                    describe_error(item, model),
                )
            )
        return None


def find_publication_file(issue_dir: Path) -> Path:
    """The issue's own publication file if it has one, else the one shared by its folder."""
    own = issue_dir / PUBLICATION_FILE
    return own if own.is_file() else issue_dir.parent / PUBLICATION_FILE


def load_yaml_record(path: Path, model: type[BaseModel], problems: list[Problem], sources: list):
    if not path.is_file():
        problems.append(Problem(display_path(path), None, "file", "missing; expected a YAML file"))
        return None
    text = read_text(path, problems)
    if text is None:
        return None
    source = SourceText(path, text)
    sources.append(source)
    data = parse_yaml(source, text, 0, problems)
    if data is None and not text.strip():
        data = {}
    return None if data is None else validate_record(model, data, source, problems)


def load_article(path: Path, problems: list[Problem], sources: list) -> Article | None:
    text = read_text(path, problems)
    if text is None:
        return None
    source = SourceText(path, text, first_line=1)
    sources.append(source)
    parts = split_front_matter(text)
    if parts is None:
        problems.append(
            Problem(
                display_path(path),
                1,
                "front matter",
                "expected the article to start with a '---' line, its fields, and a closing '---'",
            )
        )
        return None
    front, body, body_line = parts
    data = parse_yaml(source, front, 1, problems)
    if data is None:
        return None
    if not isinstance(data, dict):
        return validate_record(Article, data, source, problems)
    if "body" in data:
        problems.append(
            Problem(
                display_path(path),
                source.line_of(("body",)),
                "body",
                "the body is the text after the front matter, not a field",
            )
        )
        return None
    source.lines[("body",)] = body_line
    return validate_record(Article, {**data, "body": body}, source, problems)


def article_files(issue_dir: Path) -> list[Path]:
    """The issue's articles in order; files starting with _ are examples or drafts, skipped."""
    folder = issue_dir / ARTICLES_DIR
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob("*.md") if p.is_file() and not p.name.startswith("_"))


def load_issue(issue_dir: Path) -> LoadedIssue:
    """Read and validate a whole issue; raise ContentError listing every problem found."""
    issue_dir = Path(issue_dir)
    problems: list[Problem] = []
    sources: list[SourceText] = []
    if not issue_dir.is_dir():
        raise ContentError([Problem(display_path(issue_dir), None, "issue", "not a folder")])

    publication = load_yaml_record(find_publication_file(issue_dir), Publication, problems, sources)
    issue = load_yaml_record(issue_dir / ISSUE_FILE, Issue, problems, sources)
    paths = article_files(issue_dir)
    if not paths:
        problems.append(
            Problem(
                display_path(issue_dir / ARTICLES_DIR),
                None,
                "articles",
                "no articles; expected one or more .md files",
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
        raise ContentError([Problem(display_path(issue_dir), None, "issue", "could not be read")])
    content = IssueContent(
        publication=publication, issue=issue, articles=tuple(a for _, a in articles)
    )
    return LoadedIssue(
        content=content,
        sources=sources,
        issue_dir=issue_dir,
        article_sources=[by_path[path] for path, _ in articles],
    )
